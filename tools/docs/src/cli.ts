import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from '@strata/shared-kernel';
import { checkDocs } from './check-docs.ts';
import { buildDocsSite, generateDocs, writeDocs } from './generate-docs.ts';
import { loadPlatform } from './load-platform.ts';
import { serveDocs } from './serve-docs.ts';

const USAGE = `usage: node tools/docs/src/cli.ts <generate|check|serve> [--root <dir>] [--port <n>] [--host <addr>]
  generate  write docs/ubiquitous-language/*, docs/events.md, docs/context-map.md and build docs/site/ (npm run docs)
  check     exit 1 naming every stale doc, undefined term or dangling glossary ref (npm run docs:check)
  serve     build docs/site and serve it at http://<host>:<port>/docs/ (npm run docs:serve)`;

const Options = z.object({
  command: z.enum(['generate', 'check', 'serve']),
  root: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
});

const REPOSITORY_ROOT = path.resolve(import.meta.dirname, '../../..');

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      root: { type: 'string', default: REPOSITORY_ROOT },
      port: { type: 'string', default: process.env.STRATA_DOCS_PORT ?? '4100' },
      host: { type: 'string', default: '127.0.0.1' },
    },
    allowPositionals: true,
  });
  const parsed = Options.safeParse({ command: positionals[0], ...values });
  if (!parsed.success || positionals.length !== 1) {
    const reasons = parsed.success
      ? ['exactly one command']
      : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    console.error(`${reasons.join('\n')}\n${USAGE}`);
    return 2;
  }
  const { command, port, host } = parsed.data;
  const root = path.resolve(parsed.data.root);

  const platform = await loadPlatform(root);
  if (command === 'serve') {
    const server = await serveDocs({ dir: await buildDocsSite(platform), port, host });
    console.log(
      `Strata docs at ${server.url} (Ctrl-C to stop); restart to rebuild after changing a contract`,
    );
    await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
    await server.close();
    return 0;
  }

  if (command === 'generate') {
    const { written, removed } = await writeDocs(root, generateDocs(platform));
    for (const file of written) console.log(`wrote ${file}`);
    for (const file of removed) console.log(`removed ${file}`);
    console.log(written.length + removed.length === 0 ? 'docs already up to date' : 'docs generated');
    return 0;
  }

  const problems = await checkDocs(platform);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(`docs:check found ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    return 1;
  }
  console.log(
    `docs are complete and current (${platform.contexts.map((context) => context.name).join(', ')})`,
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
