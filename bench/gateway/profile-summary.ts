// node bench/gateway/profile-summary.ts <file.cpuprofile> [top]: the functions with the most self
// time in a V8 CPU profile (as `node --cpu-prof` writes it; `BENCH_GATEWAY_CPU_PROF=<dir>` makes
// bench:gateway profile each of its gateways), and self time by package, as percentages of the
// samples taken while the process was not idle.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, topText] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topText ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
for (let index = 0; index < profile.samples.length; index += 1) {
  const id = profile.samples[index]!;
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
}

/** Where a script comes from: a package under node_modules, node's own, or the repository's path. */
function origin(url: string): string {
  if (url === '') return '(native/VM)';
  if (url.startsWith('node:')) return 'node';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  const local = /\/(infra|bench|libs|application-services|data-services|shared-kernel)\/([^/]+)/.exec(url);
  return local ? `${local[1]}/${local[2]}` : url;
}

const byFunction = new Map<string, number>();
const byOrigin = new Map<string, number>();
let busy = 0;
let idle = 0;
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  if (functionName === '(idle)' || functionName === '(program)') {
    if (functionName === '(idle)') idle += us;
    else busy += us;
    const key = functionName;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byOrigin.set(key, (byOrigin.get(key) ?? 0) + us);
    continue;
  }
  busy += us;
  const where =
    url === '' ? '' : ` ${url.replace(/^.*\/(node_modules|infra|bench)\//, '$1/')}:${lineNumber + 1}`;
  const key = `${functionName || '(anonymous)'}${where}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  byOrigin.set(origin(url), (byOrigin.get(origin(url)) ?? 0) + us);
}

const percent = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
console.log(
  `${file}: ${(busy / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle; self time as % of busy`,
);
console.log('\nby package:');
for (const [key, us] of [...byOrigin]
  .filter(([key]) => key !== '(idle)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, 15))
  console.log(`${percent(us)}  ${key}`);
console.log(`\ntop ${top} functions by self time:`);
for (const [key, us] of [...byFunction]
  .filter(([key]) => key !== '(idle)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, top))
  console.log(`${percent(us)}  ${key}`);
