import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { topology } from '../../../config/topology.ts';
import { generatedFiles, releaseOf } from './generate.ts';
import { platformOf } from './platform-services.ts';

// `npm run k8s:generate` writes infra/k8s's generated files; `npm run k8s:check` fails when one is
// stale (a service added to config/topology.ts, a changed setting) and names it.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const folder = join(root, 'infra/k8s');
const files = generatedFiles(platformOf(topology, root), releaseOf(root));
const command = process.argv[2];

if (command === 'generate') {
  for (const [path, content] of files) {
    await mkdir(dirname(join(folder, path)), { recursive: true });
    await writeFile(join(folder, path), content);
  }
  console.log(`infra/k8s: wrote ${files.size} generated files`);
} else if (command === 'check') {
  const stale: string[] = [];
  for (const [path, content] of files) {
    const current = await readFile(join(folder, path), 'utf8').catch(() => undefined);
    if (current !== content) stale.push(`infra/k8s/${path}`);
  }
  if (stale.length > 0) {
    console.error(`stale Kubernetes manifests (run npm run k8s:generate):\n  ${stale.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log(`infra/k8s: ${files.size} generated files are fresh`);
  }
} else {
  console.error('usage: node infra/k8s/src/cli.ts generate|check');
  process.exitCode = 2;
}
