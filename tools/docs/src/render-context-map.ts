import { GENERATED_NOTICE, link, page, table } from './markdown.ts';
import type { PlatformMap, ServiceKind } from './platform-map.ts';

const id = (prefix: string, name: string): string => `${prefix}_${name.replaceAll('-', '_')}`;

interface Flow {
  readonly context: string;
  readonly service: string;
  readonly kind: ServiceKind;
  readonly types: readonly string[];
}

/** Event flows grouped by (publishing context, consuming service), in event catalog order. */
function flowsOf(map: PlatformMap): Flow[] {
  const flows = new Map<string, { context: string; service: string; kind: ServiceKind; types: string[] }>();
  for (const event of map.events) {
    for (const consumer of map.consumersOf.get(`${event.context}.${event.type}`) ?? []) {
      const key = `${event.context}\u0000${consumer.service}`;
      const flow = flows.get(key) ?? { ...consumer, context: event.context, types: [] };
      flow.types.push(event.type);
      flows.set(key, flow);
    }
  }
  return [...flows.values()];
}

/** `docs/context-map.md`: contexts, the data services hosting them, their callers and event flows. */
export function renderContextMap(map: PlatformMap): string {
  const flows = flowsOf(map);
  const servicesOf = (kind: ServiceKind, drawn: Iterable<string>): string[] => [
    ...new Set([...drawn, ...flows.filter((flow) => flow.kind === kind).map((flow) => flow.service)]),
  ];
  // Services that only consume (their own contexts not built yet, or calling none) are drawn too.
  const dataServices = servicesOf('data service', map.dataServices.keys());
  const applicationServices = servicesOf('application service', map.applicationServices.keys());
  const lines = ['flowchart LR'];
  lines.push('  subgraph application_services["Application services"]');
  for (const service of applicationServices) lines.push(`    ${id('app', service)}["${service}"]`);
  lines.push('  end');
  for (const [service, contexts] of map.dataServices) {
    lines.push(`  subgraph ${id('ds', service)}["${service}"]`);
    for (const context of contexts) lines.push(`    ${id('ctx', context)}(["${context}"])`);
    lines.push('  end');
  }
  for (const service of dataServices) {
    if (!map.dataServices.has(service)) lines.push(`  ${id('ds', service)}["${service}"]`);
  }
  for (const [service, contexts] of map.applicationServices) {
    for (const context of contexts) lines.push(`  ${id('app', service)} -->|RPC| ${id('ctx', context)}`);
  }
  for (const flow of flows) {
    const target = flow.kind === 'application service' ? id('app', flow.service) : id('ds', flow.service);
    lines.push(`  ${id('ctx', flow.context)} -.->|"${flow.types.join('<br/>')}"| ${target}`);
  }
  lines.push('  classDef context fill:#e8f1fb,stroke:#1f5fa8,color:#0b2440');
  lines.push('  classDef app fill:#fdf3e1,stroke:#a8661f,color:#402a0b');
  const builtContexts = [...map.dataServices.values()].flat();
  if (builtContexts.length > 0)
    lines.push(`  class ${builtContexts.map((context) => id('ctx', context)).join(',')} context`);
  if (applicationServices.length > 0) {
    lines.push(`  class ${applicationServices.map((service) => id('app', service)).join(',')} app`);
  }

  const consumed = (service: string): string =>
    flows
      .filter((flow) => flow.service === service)
      .flatMap((flow) => flow.types.map((type) => `${flow.context}.${type}`))
      .join(', ');
  return page([
    '# Context map',
    GENERATED_NOTICE,
    `The bounded contexts built so far, the data services that host them (boxes), the application services that call them over aggregate RPC (solid arrows) and the domain events that flow from a context to the services consuming them (dotted arrows). Drawn from the code under ${'`contexts/`'} and from ${'`config/topology.ts`'}; contexts the topology plans but the code does not have yet are left out. Each context's language is in its page: ${map.contexts.map((context) => link(context.name, `ubiquitous-language/${context.name}.md`)).join(', ')}; the events are in the ${link('event catalog', 'events.md')}.`,
    ['```mermaid', ...lines, '```'].join('\n'),
    '## Data services',
    table(
      ['Data service', 'Hosts', 'Consumes'],
      dataServices.map((service) => [
        service,
        map.dataServices.get(service)?.join(', ') ?? 'no context built yet',
        consumed(service),
      ]),
    ),
    '## Application services',
    table(
      ['Application service', 'Calls', 'Consumes'],
      applicationServices.map((service) => [
        service,
        (map.applicationServices.get(service) ?? []).join(', '),
        consumed(service),
      ]),
    ),
  ]);
}
