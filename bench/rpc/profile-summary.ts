import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * Prints where a V8 CPU profile (`bench:rpc -- --cpu-prof DIR`) spent its time: self time per
 * function and per package, idle time left out, so two profiles of the same row can be compared
 * in a terminal before and after a change.
 *
 *   node bench/rpc/profile-summary.ts [--top 30] FILE.cpuprofile…
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Who owns the code a sample landed in: a package, Node itself, our workspace, or V8. */
function ownerOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage !== null) return inPackage[1]!;
  if (url.startsWith('node:')) return 'node';
  const workspace = /\/(infra|contexts|bench|services|shared)\/([^/]+)\//.exec(url);
  if (workspace !== null) return `${workspace[1]}/${workspace[2]}`;
  return url;
}

function summarize(file: string, top: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  for (let index = 0; index < profile.samples.length; index++) {
    const id = profile.samples[index]!;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  }
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let busy = 0;
  for (const [id, micros] of selfMicros) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busy += micros;
    const where =
      url === '' ? '' : ` ${url.replace(/^.*\/(node_modules|infra|bench)\//, '$1/')}:${lineNumber + 1}`;
    const key = `${functionName || '(anonymous)'}${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    const owner = ownerOf(url, functionName);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + micros);
  }
  const share = (micros: number): string => `${((100 * micros) / busy).toFixed(1).padStart(5)}%`;
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  console.log(`\n${basename(file)}: ${(busy / 1e6).toFixed(2)} s busy (idle excluded)`);
  console.log('  by owner:');
  for (const [owner, micros] of sorted(byOwner).slice(0, 15)) console.log(`    ${share(micros)}  ${owner}`);
  console.log(`  top ${top} functions by self time:`);
  for (const [name, micros] of sorted(byFunction).slice(0, top)) console.log(`    ${share(micros)}  ${name}`);
}

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '30' } },
  allowPositionals: true,
});
if (positionals.length === 0) {
  console.error('usage: node bench/rpc/profile-summary.ts [--top 30] FILE.cpuprofile…');
  process.exit(2);
}
for (const file of positionals) summarize(file, Number(values.top));
