// The layer rules of ARCHITECTURE.md ("Layers and the one rule"), enforced by `npm run lint:layers`.
// tests/architecture/layer-rules.test.ts plants a violation of each rule in a fixture tree and
// proves this very file reports it, so a rule that stops catching anything fails the build.
//
// Paths are relative to the repository root. Workspace packages are followed through their
// node_modules symlinks to the real source (preserveSymlinks: false), so `@strata/catalog/contract`
// is seen as contexts/catalog/src/contract.ts and the path rules below apply to it.

const NPM = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];
// Everything of ours above the shared kernel, contexts aside: services, infra and the tooling folders.
const OTHER_LAYERS = '^(data-services|application-services|infra|tools|config|tests|bench|scripts)/';
// Tests, benchmarks and root tool configs may use dev tooling; the production-code rules skip them.
const NOT_SHIPPED = ['(^|/)test/', '^tests/', '\\.test\\.ts$', '^bench/', '^[^/]+\\.[cm]?[jt]s$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-kernel-imports-nothing-of-ours',
      comment:
        'The shared kernel is the bottom of the stack: it imports no context, service, infra or tooling of ours.',
      severity: 'error',
      from: { path: '^shared-kernel/' },
      to: { path: ['^contexts/', OTHER_LAYERS] },
    },
    {
      name: 'shared-kernel-uses-only-zod-and-uuid',
      comment:
        'The shared kernel depends on no npm package but zod (the contract language) and uuid (ids), so every layer can afford it.',
      severity: 'error',
      from: { path: '^shared-kernel/', pathNot: NOT_SHIPPED },
      to: { dependencyTypes: NPM, pathNot: '(^|/)node_modules/(zod|uuid)/' },
    },
    {
      name: 'context-imports-only-shared-kernel',
      comment:
        'A context is pure domain: of our code it imports only the shared kernel, never a data service, application service, infra or tooling.',
      severity: 'error',
      from: { path: '^contexts/[^/]+/' },
      to: { path: OTHER_LAYERS },
    },
    {
      name: 'context-imports-no-other-context',
      comment:
        'Contexts talk to each other only through domain events or an application service that calls both, never by import.',
      severity: 'error',
      from: { path: '^contexts/([^/]+)/' },
      to: { path: '^contexts/', pathNot: '^contexts/$1/' },
    },
    {
      name: 'context-imports-no-npm-package',
      comment:
        'A context imports no npm package (no NestJS, no MikroORM, no Kafka); contracts get zod through the shared kernel.',
      severity: 'error',
      from: { path: '^contexts/[^/]+/', pathNot: NOT_SHIPPED },
      to: { dependencyTypes: NPM },
    },
    {
      name: 'context-does-no-io',
      comment:
        'A context imports no Node.js builtin: the domain does no I/O, the data service around it does.',
      severity: 'error',
      from: { path: '^contexts/[^/]+/', pathNot: NOT_SHIPPED },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'hosted-context-reads-other-contexts-only-through-their-contracts',
      comment:
        "A data service's folder for one hosted context (src/<context>/) imports its own context and, of any other, only the published contract (to validate its events): contexts sharing a service still keep apart.",
      severity: 'error',
      from: { path: '^data-services/[^/]+/src/([^/]+)/' },
      to: { path: '^contexts/', pathNot: ['^contexts/$1/', '^contexts/[^/]+/src/contract\\.ts$'] },
    },
    {
      name: 'data-service-never-imports-application-service',
      comment: 'Data services sit below application services and never depend upward on them.',
      severity: 'error',
      from: { path: '^data-services/' },
      to: { path: '^application-services/' },
    },
    {
      name: 'application-service-imports-only-context-contracts',
      comment:
        "An application service sees a context only through its published contract (@strata/<context>/contract), never the context's domain internals.",
      severity: 'error',
      from: { path: '^application-services/' },
      to: { path: '^contexts/', pathNot: '^contexts/[^/]+/src/contract\\.ts$' },
    },
    {
      name: 'application-service-never-imports-data-service',
      comment:
        'An application service reaches a data service only over aggregate RPC, never by import. Its tests may host the real data service in-process, as the embedded runner does: that is composition, not a dependency of what ships.',
      severity: 'error',
      from: { path: '^application-services/', pathNot: NOT_SHIPPED },
      to: { path: '^data-services/' },
    },
    {
      name: 'infra-knows-no-business',
      comment: 'Infra is technical: it imports no context, data service or application service.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^(contexts|data-services|application-services)/' },
    },
    {
      name: 'payment-simulator-is-an-outside-system',
      comment:
        'The payment simulator stands for an outside provider (ADR 0014): of our code it imports only the shared kernel (for zod), so it cannot lean on the platform it is a stranger to.',
      severity: 'error',
      from: { path: '^tools/payment-simulator/' },
      to: {
        path: [
          '^(contexts|data-services|application-services|infra|config|scripts)/',
          '^tools/(?!payment-simulator/)',
        ],
      },
    },
    {
      name: 'platform-reaches-payment-simulator-only-over-http',
      comment:
        'Shipped platform code talks to the payment simulator over HTTP (@strata/payments), never by import, as it would to a real provider; tests and the start scripts may start it.',
      severity: 'error',
      from: {
        path: '^(shared-kernel|contexts|data-services|application-services|infra)/',
        pathNot: NOT_SHIPPED,
      },
      to: { path: '^tools/payment-simulator/' },
    },
    {
      name: 'no-circular-dependencies',
      comment: 'A cycle makes load order decide behaviour and blurs which module owns a concept; break it.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable-imports',
      comment:
        'Every import resolves to a file or an installed package (a typo here is a crash at start-up): fix the path or declare and install the package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'production-code-uses-no-dev-dependency',
      comment:
        "devDependencies are not installed in production: declare the package in the importing package's dependencies, or keep the import in test code.",
      severity: 'error',
      from: { pathNot: NOT_SHIPPED },
      // A package may declare in its own dependencies what the root keeps as dev tooling (reflect-metadata
      // for a NestJS app); the combined manifests then say both npm and npm-dev, and that is fine.
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['npm', 'type-only'] },
    },
    {
      name: 'npm-packages-are-declared',
      comment:
        "Declare every npm package production code imports in the importing package's own package.json: workspace hoisting hides the omission until the service is deployed alone.",
      severity: 'error',
      // Tests and benchmarks only ever run from the root install, where hoisting is a given.
      from: { pathNot: NOT_SHIPPED },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    // Fixture trees hold deliberate violations for tests (jest and tsc skip them too); the other folders
    // hold tools, runtime data and build output, no source of ours.
    exclude: { path: ['(^|/)fixtures/', '^\\.(git|stack|strata|toolchain)/', '^(coverage|dist)/'] },
    // Type-only imports count: a context may not even name a NestJS type.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    preserveSymlinks: false,
    // Each workspace declares its own dependencies; the root package.json holds the shared dev tooling.
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
