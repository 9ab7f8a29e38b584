import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Contract, type Glossary, z } from '@strata/shared-kernel';
import { parseTopology, type Topology } from '../../../config/topology.ts';

/** One bounded context found in code: its published contract and its glossary. */
export interface DocumentedContext {
  readonly name: string;
  /** The package folder, relative to the root, e.g. `contexts/catalog`. */
  readonly dir: string;
  readonly contract: Contract;
  readonly glossary: Glossary;
}

/** Everything the docs are generated from. */
export interface Platform {
  readonly root: string;
  /** Sorted by name, so every page lists contexts in one stable order. */
  readonly contexts: readonly DocumentedContext[];
  readonly topology: Topology;
}

export const TOPOLOGY_FILE = 'config/topology.ts';

const PackageManifest = z.object({
  name: z.string().min(1),
  exports: z.object({
    '.': z.string().min(1, 'the package index ("exports": {".": …}) exports the glossary'),
    './contract': z
      .string()
      .min(1, 'the contract subpath ("exports": {"./contract": …}) exports the contract'),
  }),
});

// Shapes rather than instanceof: a context's module is loaded from its own file URL.
const ContractShape = z.object({
  context: z.string(),
  aggregates: z.record(z.string(), z.object({ kind: z.literal('aggregate') })),
});
const GlossaryShape = z.object({
  context: z.string(),
  terms: z.array(z.object({ term: z.string(), refs: z.array(z.string()) })),
});

/**
 * Finds every context under `<root>/contexts/*` and loads it through its package's public surface
 * (the `./contract` and `.` exports), so a new context is documented without touching the generator.
 */
export async function loadPlatform(root: string): Promise<Platform> {
  const contextsDir = path.join(root, 'contexts');
  const entries = await readdir(contextsDir, { withFileTypes: true });
  const dirs = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const contexts: DocumentedContext[] = [];
  for (const dir of dirs) {
    const packageDir = path.join(contextsDir, dir);
    const manifestPath = path.join(packageDir, 'package.json');
    const manifest = parseOrExplain(
      PackageManifest,
      await readManifest(manifestPath, path.relative(root, manifestPath)),
      path.relative(root, manifestPath),
    );
    const contract = single(
      await import(pathToFileURL(path.join(packageDir, manifest.exports['./contract'])).href),
      ContractShape,
      `${manifest.name}/contract`,
      'contract (defineContract)',
    ) as Contract;
    const glossary = single(
      await import(pathToFileURL(path.join(packageDir, manifest.exports['.'])).href),
      GlossaryShape,
      manifest.name,
      'glossary (defineGlossary)',
    ) as Glossary;
    contexts.push({ name: contract.context, dir: path.relative(root, packageDir), contract, glossary });
  }
  const topologyModule = (await import(pathToFileURL(path.join(root, TOPOLOGY_FILE)).href)) as {
    topology?: unknown;
  };
  if (topologyModule.topology === undefined) {
    throw new TypeError(`${TOPOLOGY_FILE} must export the platform's topology as "topology"`);
  }
  return { root, contexts, topology: parseTopology(topologyModule.topology, TOPOLOGY_FILE) };
}

async function readManifest(file: string, shown: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new TypeError(
      `${shown} cannot be read (${(error as NodeJS.ErrnoException).code}); every folder under contexts/ is a context package with a package.json`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TypeError(`${shown} is not valid JSON: ${(error as Error).message}`);
  }
}

function single(module: Record<string, unknown>, shape: z.ZodType, from: string, what: string): unknown {
  const found = Object.entries(module).filter(([, value]) => shape.safeParse(value).success);
  if (found.length !== 1) {
    throw new TypeError(
      found.length === 0
        ? `${from} exports no ${what}; export exactly one so the docs can find it`
        : `${from} exports ${found.length} values that look like a ${what} (${found.map(([name]) => name).join(', ')}); export exactly one`,
    );
  }
  return found[0]![1];
}

function parseOrExplain<T extends z.ZodType>(schema: T, value: unknown, source: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new TypeError(`${source} cannot be documented:\n${lines.join('\n')}`);
  }
  return result.data;
}
