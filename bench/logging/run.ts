// npm run bench:logging — the CPU one access line costs a service, by log destination: Strata's
// (logDestination, and the access line without the redaction walk) beside pino's default
// destination and pino's synchronous one, each row in a process of its own, rounds rotated.
import { spawn } from 'node:child_process';
import { openSync, closeSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../shared/median.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    'per-tick': { type: 'string', default: '3' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const perTick = Number(values['per-tick']);
if (!(seconds > 0) || !Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(perTick) || perTick < 1) {
  console.error('bench:logging: --seconds must be > 0, --rounds and --per-tick whole numbers ≥ 1');
  process.exit(2);
}

const ROWS = [
  { id: 'none', label: 'no logging (the pacing alone)' },
  { id: 'pino-default', label: "pino's default destination (the peer)" },
  { id: 'pino-sync', label: 'pino.destination({ sync: true })' },
  { id: 'pino-sync-access', label: 'the same, access line (no redaction walk)' },
  { id: 'strata', label: 'strata: createLogger (logDestination)' },
  { id: 'strata-access', label: 'strata: access line (no redaction walk)' },
] as const;
type RowId = (typeof ROWS)[number]['id'];

const dir = await mkdtemp(path.join(tmpdir(), 'strata-bench-logging-'));
const child = path.join(import.meta.dirname, 'logging-process.ts');

async function runRow(id: RowId): Promise<{ lines: number; cpuMicros: number; bytes: number }> {
  const file = path.join(dir, `${id}.log`);
  const out = openSync(file, 'w');
  try {
    const logging = spawn(process.execPath, [child, id, String(seconds), String(perTick)], {
      stdio: ['ignore', out, 'pipe'],
    });
    let report = '';
    logging.stderr!.on('data', (chunk: Buffer) => (report += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => logging.once('exit', resolve));
    if (code !== 0) throw new Error(`row ${id} exited with ${code}: ${report}`);
    const figures = JSON.parse(report.trim().split('\n').at(-1)!) as { lines: number; cpuMicros: number };
    return { ...figures, bytes: statSync(file).size };
  } finally {
    closeSync(out);
  }
}

console.log(
  `bench:logging — ${rounds} rounds × ${ROWS.length} rows × ${seconds} s; ${perTick} access lines (the shape of runtime's 'request answered') ` +
    'every 1 ms timer turn, to a file, each row in its own process; CPU of the whole process (every thread) per line',
);
const perLine = new Map<RowId, number[]>();
try {
  for (let round = 0; round < rounds; round += 1) {
    for (let index = 0; index < ROWS.length; index += 1) {
      const row = ROWS[(index + round) % ROWS.length]!;
      const figures = await runRow(row.id);
      if (row.id !== 'none' && figures.bytes === 0) throw new Error(`row ${row.id} wrote nothing`);
      (perLine.get(row.id) ?? perLine.set(row.id, []).get(row.id)!).push(figures.cpuMicros / figures.lines);
      console.log(
        `  round ${round + 1} ${row.id.padEnd(14)} ${(figures.cpuMicros / figures.lines).toFixed(1)} µs per line, ` +
          (row.id === 'none'
            ? `${figures.lines} paced, not logged`
            : `${figures.lines} lines, ${(figures.bytes / 1e6).toFixed(1)} MB`),
      );
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

const pacing = median(perLine.get('none')!);
const peer = median(perLine.get('pino-default')!) - pacing;
console.log(
  `\n${'row'.padEnd(44)}${'µs CPU/line'.padStart(13)}${'above pacing'.padStart(14)}${'÷ pino default'.padStart(16)}`,
);
for (const row of ROWS) {
  const total = median(perLine.get(row.id)!);
  const own = total - pacing;
  console.log(
    `${row.label.padEnd(44)}${total.toFixed(1).padStart(13)}${(row.id === 'none' ? '' : own.toFixed(1)).padStart(14)}` +
      `${(row.id === 'none' ? '' : `${(own / peer).toFixed(2)}×`).padStart(16)}`,
  );
}
