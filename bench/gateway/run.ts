// npm run bench:gateway — one run, loopback only, bounded in time: requests/s and p50/p99 for
// direct to the upstream, through the Strata gateway (no plugins, auth, auth + Redis rate
// limit), through Debian's nginx proxy_pass and through a minimal node:net proxy (the floor) to the
// same upstream, measured by wrk (a separate process from everything it measures).
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianCommands, stackEndpoints } from '@strata/dev-stack';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { freePort } from '../shared/free-port.ts';
import { median } from '../shared/median.ts';
import { cpuSeconds } from '../shared/process-cpu.ts';
import { spawnUntilReady } from '../shared/ready-child.ts';
import { nginxWorker, startNginx } from '../shared/nginx.ts';
import { failuresOf, runWrk } from '../shared/wrk.ts';
import { describe, snapshot, type Snapshot } from './probe.ts';
import { measureSamplingPhases } from './sampling-phases.ts';
import { measureSteadyLatency } from './steady-latency.ts';

const durationSeconds = Number(process.env.BENCH_GATEWAY_SECONDS ?? 5);
// Rounds run every row in turn, so a burst of a neighbour's load lands on one round of several rows
// rather than on every round of one; each row reports its median over rounds.
const rounds = Number(process.env.BENCH_GATEWAY_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_GATEWAY_CONNECTIONS ?? 32);
// Seconds of wrk on every row before any is measured. A traced gateway compiles its sampled path
// only as often as it samples; a longer warm-up tells that apart from tracing's steady cost (issue 20).
const warmupSeconds = Number(process.env.BENCH_GATEWAY_WARMUP_SECONDS ?? 3);
// For iterating on the gateway: only the rows whose name matches (direct and nginx always run, as
// the ratios' denominators), and a V8 CPU profile of each gateway written to this directory when
// it exits, named by its pid (bench/gateway/profile-summary.ts reads it).
const only =
  process.env.BENCH_GATEWAY_ONLY === undefined ? undefined : new RegExp(process.env.BENCH_GATEWAY_ONLY);
const cpuProfileDir = process.env.BENCH_GATEWAY_CPU_PROF;
// An A/B inside one run: the control gateway runs another checkout's gateway (installed; main in a
// detached worktree, say), so both builds meet the same moments of a noisy machine. Across runs,
// this machine's drift can exceed a change (bench/README.md, ADR 0072).
const controlCheckout = process.env.BENCH_GATEWAY_CONTROL_CHECKOUT;
// The added-latency table's wait between one connection's requests; 0 leaves the table out.
const steadyDelayMs = Number(process.env.BENCH_GATEWAY_STEADY_DELAY_MS ?? 10);
// Issue 20: seconds of the one-in-ten gateway alternating sampled and unsampled seconds in one
// process (sampling-phases.ts); 0 leaves the section out. The cycle: each second's sampled share.
const samplingSeconds = Number(process.env.BENCH_GATEWAY_SAMPLING_SECONDS ?? 0);
const samplingCycle = (process.env.BENCH_GATEWAY_SAMPLING_CYCLE ?? '0,0.1').split(',').map(Number);
// Issue 21, the identical gateways: per row and round, the gateways' threads, scheduler counts and
// garbage collections (probe.ts, probe-preload.ts); extra node flags for the gateways only, and a
// command to start each gateway under (`taskset -c 1`, `setarch -R`; it must exec node).
const probeDir = process.env.BENCH_GATEWAY_PROBE;
// Made here: the preload writes its file from a SIGUSR2 handler, and a gateway whose write fails
// there dies in the middle of a round.
if (probeDir !== undefined) mkdirSync(probeDir, { recursive: true });
const gatewayNodeFlags = (process.env.BENCH_GATEWAY_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const gatewayWrap = (process.env.BENCH_GATEWAY_WRAP ?? '').split(' ').filter(Boolean);

// The load generator and the peer are the machine's programs: installed here when missing, as the
// dev stack installs its own tools, so the bench runs first try on a fresh machine.
await ensureDebianCommands('bench-gateway', [
  { command: 'wrk', debianPackage: 'wrk' },
  { command: 'nginx', debianPackage: 'nginx' },
]);

const children: ChildProcess[] = [];
const dir = await mkdtemp(join(tmpdir(), 'strata-bench-gateway-'));
const { etcdHosts } = stackEndpoints();
const prefix = `/strata-bench/gateway-${randomUUID()}`;

async function waitForHttp(url: string, headers: Record<string, string> = {}): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const response = await fetch(url, { headers }).catch(() => undefined);
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered 200`);
}

/** nginx's one worker: the master's child, which does the proxying. */
interface Figures {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: string;
}

function wrk(url: string, headers: Record<string, string>, seconds: number): Figures {
  const run = runWrk({ url, headers, seconds, connections });
  return {
    requests: run.requests,
    rps: run.rps,
    p50: run.p50,
    p99: run.p99,
    errors: failuresOf(run, 'non-2xx'),
  };
}

try {
  // JWKS issuer standing in for account-api.
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = randomUUID();
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] });
  const issuerServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(jwks);
  });
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}/jwks.json`;
  const token = await new SignJWT({ sub: 'bench-user', roles: ['learner'] })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setIssuer('strata-account-api')
    .setAudience('strata')
    .setExpirationTime('1h')
    .sign(privateKey);

  const upstream = await spawnUntilReady(
    children,
    process.execPath,
    [new URL('./upstream.ts', import.meta.url).pathname, etcdHosts.join(','), prefix],
    /ready (\d+)/,
  );
  const upstreamPid = upstream.pid;
  const upstreamPort = Number(upstream.match[1]);
  const routesPath = join(dir, 'routes.json');
  await writeFile(
    routesPath,
    JSON.stringify({
      version: 1,
      routes: [
        { name: 'plain', prefix: '/plain', service: 'bench-api' },
        { name: 'auth', prefix: '/auth', service: 'bench-api', plugins: { auth: { roles: ['learner'] } } },
        // A limit no run reaches: every request pays the Redis round trip and passes.
        {
          name: 'limited',
          prefix: '/limited',
          service: 'bench-api',
          plugins: { auth: { roles: ['learner'] }, rateLimit: { limit: 1_000_000_000, periodSeconds: 60 } },
        },
      ],
    }),
  );
  // The gateway as every launcher starts it: with tracing's preload (ADR 0025), which loads nothing
  // unless an OTLP endpoint is set. Its metrics (ADR 0024) are always on; the traced gateways add
  // tracing, exporting by OTLP/HTTP protobuf to a sink that discards the spans, in a process of its
  // own (this one's event loop is blocked while wrk runs).
  const sinkPort = Number(
    (
      await spawnUntilReady(
        children,
        process.execPath,
        [new URL('../rpc/peers/otlp-sink-process.ts', import.meta.url).pathname],
        /ready (\d+)/,
      )
    ).match[1],
  );
  const sink = { url: `http://127.0.0.1:${sinkPort}` };
  const gatewayPids = new Set<number>();
  const startGateway = async (
    tracing: Record<string, string>,
    checkout?: string,
  ): Promise<{ port: number; pid: number }> => {
    const port = await freePort();
    const tracingPreload =
      checkout === undefined
        ? '@strata/runtime/tracing'
        : createRequire(join(checkout, 'package.json')).resolve('@strata/runtime/tracing');
    const gatewayMain =
      checkout === undefined
        ? new URL('../../infra/gateway/src/main.ts', import.meta.url).pathname
        : join(checkout, 'infra/gateway/src/main.ts');
    const { pid } = await spawnUntilReady(
      children,
      gatewayWrap[0] ?? process.execPath,
      [
        ...(gatewayWrap.length > 0 ? [...gatewayWrap.slice(1), process.execPath] : []),
        ...gatewayNodeFlags,
        ...(probeDir !== undefined
          ? ['--import', new URL('./probe-preload.ts', import.meta.url).pathname]
          : []),
        ...(cpuProfileDir !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []),
        '--import',
        tracingPreload,
        gatewayMain,
      ],
      /"ready":true/,
      {
        ...process.env,
        STRATA_GATEWAY_PORT: String(port),
        STRATA_GATEWAY_ADMIN_PORT: '0',
        STRATA_GATEWAY_ADMIN_TOKEN: randomUUID() + randomUUID(),
        STRATA_GATEWAY_ROUTES: routesPath,
        STRATA_GATEWAY_ETCD_PREFIX: prefix,
        STRATA_GATEWAY_JWKS_URL: jwksUrl,
        STRATA_GATEWAY_LOG_LEVEL: 'warn',
        ...tracing,
        ...(probeDir !== undefined ? { BENCH_GATEWAY_PROBE: probeDir } : {}),
      },
    );
    gatewayPids.add(pid);
    return { port, pid };
  };
  const traced = (sampler: string, ratio: string) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
    OTEL_SERVICE_NAME: 'gateway',
    OTEL_TRACES_SAMPLER: sampler,
    OTEL_TRACES_SAMPLER_ARG: ratio,
  });
  const { port: gatewayPort, pid: gatewayPid } = await startGateway({});
  // A second untraced gateway: what two identical gateways differ by on a shared machine, the
  // spread any tracing ratio must be read against (issue 20).
  // With BENCH_GATEWAY_CONTROL_CHECKOUT it runs another checkout's gateway instead (an A/B in one run).
  const { port: controlPort, pid: controlPid } = await startGateway({}, controlCheckout);
  if (controlCheckout !== undefined)
    console.log(`the control rows run the gateway of ${controlCheckout} (BENCH_GATEWAY_CONTROL_CHECKOUT)`);
  // And that checkout's gateway traced at one in ten, twinned with its own untraced gateway: tracing's
  // cost in two builds, read in the same rounds (issue 20 after ADR 0072).
  const controlTracedTenth =
    controlCheckout === undefined
      ? undefined
      : await startGateway(traced('parentbased_traceidratio', '0.1'), controlCheckout);
  const { port: tracedAllPort, pid: tracedAllPid } = await startGateway(traced('parentbased_always_on', '1'));
  const { port: tracedTenthPort, pid: tracedTenthPid } = await startGateway(
    traced('parentbased_traceidratio', '0.1'),
  );
  // Traced, keeping no trace: what a traced gateway costs before any span is recorded (issue 20).
  const { port: tracedNonePort, pid: tracedNonePid } = await startGateway(
    traced('parentbased_always_off', '1'),
  );

  // The floor (floor-proxy.ts): the least a Node HTTP/1.1 proxy does on this machine, as a row of
  // the same run, so the gateway's distance from what Node allows is read beside its distance from nginx.
  // Its two halves swapped in turn for the gateway's (node:http's server in front; undici behind)
  // tell which half of the gateway's distance from the floor is where.
  const startFloor = async (file: string): Promise<{ port: number; pid: number }> => {
    const { pid, match } = await spawnUntilReady(
      children,
      process.execPath,
      [
        ...(cpuProfileDir !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []),
        new URL(file, import.meta.url).pathname,
        String(upstreamPort),
      ],
      /ready (\d+)/,
    );
    return { port: Number(match[1]), pid };
  };
  const floor = await startFloor('./floor-proxy.ts');
  const floorHttpFront = await startFloor('./floor-http-front.ts');
  const floorUndici = await startFloor('./floor-undici.ts');

  const { port: nginxPort, master: nginx } = await startNginx(
    dir,
    children,
    'proxy_pass http://bench; proxy_http_version 1.1; proxy_set_header Connection "";',
    `upstream bench { server 127.0.0.1:${upstreamPort}; keepalive 64; }`,
  );

  const bearer = { authorization: `Bearer ${token}` };
  // The worker exists once nginx answers.
  await waitForHttp(`http://127.0.0.1:${nginxPort}/courses/1`);
  const nginxPid = nginxWorker(nginx.pid!);
  /** Each row: its name, URL, headers, and the process whose CPU per request it reports. */
  const allTargets: [string, string, Record<string, string>, number][] = [
    ['direct to upstream', `http://127.0.0.1:${upstreamPort}/courses/1`, {}, upstreamPid],
    ['nginx proxy_pass', `http://127.0.0.1:${nginxPort}/courses/1`, {}, nginxPid],
    ['gateway, no plugins', `http://127.0.0.1:${gatewayPort}/plain/courses/1`, {}, gatewayPid],
    ['gateway floor', `http://127.0.0.1:${floor.port}/plain/courses/1`, {}, floor.pid],
    [
      '  floor, node:http front',
      `http://127.0.0.1:${floorHttpFront.port}/plain/courses/1`,
      {},
      floorHttpFront.pid,
    ],
    ['  floor, undici upstream', `http://127.0.0.1:${floorUndici.port}/plain/courses/1`, {}, floorUndici.pid],
    ['  traced (10%), no plugins', `http://127.0.0.1:${tracedTenthPort}/plain/courses/1`, {}, tracedTenthPid],
    ['  untraced (control), no plugins', `http://127.0.0.1:${controlPort}/plain/courses/1`, {}, controlPid],
    ['  traced (none), no plugins', `http://127.0.0.1:${tracedNonePort}/plain/courses/1`, {}, tracedNonePid],
    ...(controlTracedTenth === undefined
      ? []
      : ([
          [
            '  traced (10%, control), no plugins',
            `http://127.0.0.1:${controlTracedTenth.port}/plain/courses/1`,
            {},
            controlTracedTenth.pid,
          ],
        ] as [string, string, Record<string, string>, number][])),
    ['  traced (all), no plugins', `http://127.0.0.1:${tracedAllPort}/plain/courses/1`, {}, tracedAllPid],
    ['gateway, auth', `http://127.0.0.1:${gatewayPort}/auth/courses/1`, bearer, gatewayPid],
    ['  traced (10%), auth', `http://127.0.0.1:${tracedTenthPort}/auth/courses/1`, bearer, tracedTenthPid],
    ['  untraced (control), auth', `http://127.0.0.1:${controlPort}/auth/courses/1`, bearer, controlPid],
    ['  traced (none), auth', `http://127.0.0.1:${tracedNonePort}/auth/courses/1`, bearer, tracedNonePid],
    ['  traced (all), auth', `http://127.0.0.1:${tracedAllPort}/auth/courses/1`, bearer, tracedAllPid],
    ['gateway, auth + rate limit', `http://127.0.0.1:${gatewayPort}/limited/courses/1`, bearer, gatewayPid],
    [
      '  untraced (control), auth + rate limit',
      `http://127.0.0.1:${controlPort}/limited/courses/1`,
      bearer,
      controlPid,
    ],
  ];
  const targets = allTargets.filter(
    ([name], index) => index < 2 || only === undefined || only.test(name.trim()),
  );
  /**
   * Each traced row's untraced twin: its req/s over the twin's is tracing's cost in throughput.
   * Rows rotate (below), so the every-trace row's last spans, exported after its window, land on
   * whichever row follows it in that round.
   */
  const untracedTwin: Record<string, string> = {
    '  traced (all), no plugins': 'gateway, no plugins',
    '  traced (10%), no plugins': 'gateway, no plugins',
    '  untraced (control), no plugins': 'gateway, no plugins',
    '  traced (none), no plugins': 'gateway, no plugins',
    '  traced (10%, control), no plugins': '  untraced (control), no plugins',
    '  traced (all), auth': 'gateway, auth',
    '  traced (10%), auth': 'gateway, auth',
    '  untraced (control), auth': 'gateway, auth',
    '  untraced (control), auth + rate limit': 'gateway, auth + rate limit',
    '  traced (none), auth': 'gateway, auth',
  };
  for (const [, url, headers] of targets) await waitForHttp(url, headers);

  console.log(
    `bench:gateway — wrk -t1 -c${connections}, ${rounds} rounds of ${durationSeconds} s per row (every row in turn each round, each round starting one row further down the list; medians over rounds) after a ${warmupSeconds} s warm-up of every row; loopback; gateway and nginx each one process/worker; CPU µs/req: user + system CPU of the row's proxying process (the upstream's on the direct row) over its requests, steadier than req/s on a shared machine`,
  );
  // Every target is warmed before any is measured, so no row pays for JIT warm-up or
  // connection-pool growth of the processes it shares with the others.
  for (const [, url, headers] of targets) wrk(url, headers, warmupSeconds);
  /** Each row's figures and CPU µs per request of its proxying process, one entry per round. */
  const measured = new Map<string, { figures: Figures; cpuUs: number }[]>();
  // Each round starts one row further down the list, so every row takes every place in turn: a
  // row's place moved its figures by more than tracing's cost (the first gateway row after nginx's
  // cost ~1.1× its round's median; swapping the one-in-ten and control rows turned one in ten ÷ its
  // twin from 0.82× into 1.15×, two minutes apart), as bench:rpc found of its peers.
  for (let round = 0; round < rounds; round += 1) {
    const shift = round % targets.length;
    for (const [name, url, headers, pid] of [...targets.slice(shift), ...targets.slice(0, shift)]) {
      const probed = probeDir !== undefined && gatewayPids.has(pid);
      const probeBefore: Snapshot | undefined = probed ? await snapshot(probeDir, pid, true) : undefined;
      const cpuBefore = cpuSeconds(pid);
      const figures = wrk(url, headers, durationSeconds);
      const cpuUs = ((cpuSeconds(pid) - cpuBefore) * 1e6) / figures.requests;
      if (probeBefore !== undefined)
        console.log(
          `${describe(name, round, figures.requests, probeBefore, await snapshot(probeDir!, pid, true))} | pid ${pid} | bench ${cpuUs.toFixed(1)} µs/req`,
        );
      measured.set(name, [...(measured.get(name) ?? []), { figures, cpuUs }]);
    }
  }
  const rows = targets.map(([name]) => {
    const taken = measured.get(name)!;
    const rps = taken.map((one) => one.figures.rps);
    return {
      name,
      rps: median(rps),
      low: Math.min(...rps),
      high: Math.max(...rps),
      p50: median(taken.map((one) => one.figures.p50)),
      p99: median(taken.map((one) => one.figures.p99)),
      cpuUs: median(taken.map((one) => one.cpuUs)),
      errors: [...new Set(taken.map((one) => one.figures.errors))].join('; '),
    };
  });
  const direct = rows[0]!;
  const nginxRow = rows[1]!;
  const pad = (text: string, width: number) => text.padEnd(width);
  console.log(
    `${pad('target', 30)}${pad('req/s', 9)}${pad('range', 15)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('vs direct', 11)}${pad('vs nginx', 10)}${pad('CPU µs/req', 12)}errors`,
  );
  for (const row of rows) {
    console.log(
      `${pad(row.name, 30)}${pad(row.rps.toFixed(0), 9)}${pad(`${row.low.toFixed(0)}–${row.high.toFixed(0)}`, 15)}${pad(row.p50.toFixed(2), 9)}${pad(row.p99.toFixed(2), 9)}${pad((row.rps / direct.rps).toFixed(2), 11)}${pad((row.rps / nginxRow.rps).toFixed(2), 10)}${pad(row.cpuUs.toFixed(0), 12)}${row.errors}`,
    );
  }
  const floorRow = rows.find((row) => row.name === 'gateway floor');
  if (floorRow !== undefined) {
    console.log(
      `\ngateway floor: node:net both sides, the request and response heads parsed just enough, hop-by-hop headers dropped, x-request-id and x-forwarded-* added, a kept-alive upstream pool of up to 128 sockets, bodies framed by Content-Length or chunked and passed through; no routes, plugins, target checks, header limits, timeouts, retries, breakers, health checks, metrics, logs or tracing (bench/gateway/floor-proxy.ts)`,
    );
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    console.log(
      `gateway floor ÷ nginx proxy_pass: req/s ${ratio(floorRow.rps, nginxRow.rps)}, CPU µs/req ${ratio(floorRow.cpuUs, nginxRow.cpuUs)} (goal for the gateway: ≥ 0.7× req/s)`,
    );
    for (const row of rows) {
      if (row.name !== 'gateway, no plugins' && !row.name.startsWith('  floor,')) continue;
      console.log(
        `${row.name.trim()} ÷ gateway floor: req/s ${ratio(row.rps, floorRow.rps)}, CPU µs/req ${ratio(row.cpuUs, floorRow.cpuUs)} (${(row.cpuUs - floorRow.cpuUs).toFixed(0)} µs more)`,
      );
    }
  }
  const received = (await (await fetch(`${sink.url}/received`)).json()) as {
    requests: number;
    bytes: number;
  };
  const twinned = rows.filter(
    (row) => untracedTwin[row.name] !== undefined && measured.has(untracedTwin[row.name]!),
  );
  if (twinned.length > 0)
    console.log(
      `\ntracing on ÷ off (same gateway build, metrics on in both; the ratios are the median over rounds of each round's pair; the control rows, a second untraced gateway, show what two identical gateways differ by; spans exported, ${received.requests} OTLP requests, ${(received.bytes / 1e6).toFixed(1)} MB received):`,
    );
  for (const row of twinned) {
    const twin = untracedTwin[row.name]!;
    const on = measured.get(row.name)!;
    const off = measured.get(twin)!;
    const ratio = (pick: (one: { figures: Figures; cpuUs: number }) => number) =>
      median(on.map((one, round) => pick(one) / pick(off[round]!))).toFixed(2);
    console.log(
      `${pad(`${row.name.trim()} ÷ ${twin.trim()}`, 58)}req/s ${ratio((one) => one.figures.rps)}×  CPU µs/req ${ratio((one) => one.cpuUs)}×  p99 ${ratio((one) => one.figures.p99)}×`,
    );
  }
  if (steadyDelayMs > 0) {
    const steady = await measureSteadyLatency(
      targets
        .filter(([name]) => !name.startsWith(' '))
        .map(([name, url, headers]) => ({ name, url, headers })),
      { dir, rounds, seconds: durationSeconds, connections, delayMs: steadyDelayMs },
    );
    const nginxSteady = steady[1]!;
    console.log(
      `\nadded latency at a steady rate: wrk -t1 -c${connections}, each connection waiting ${steadyDelayMs} ms between its requests, so every row serves about the same rate, below its capacity (${rounds} rounds of ${durationSeconds} s, every row in turn, medians). The table above takes p99 at saturation, where it is mostly queueing (connections ÷ req/s); issue 21's "added p99 ≤ 1 ms" is this table's added p99`,
    );
    console.log(
      `${pad('target', 30)}${pad('req/s', 9)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('added p50', 11)}${pad('added p99', 11)}errors`,
    );
    for (const row of steady) {
      const added = (value: number) =>
        row === nginxSteady || row === steady[0] ? '–' : `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
      console.log(
        `${pad(row.name, 30)}${pad(row.rps.toFixed(0), 9)}${pad(row.p50.toFixed(2), 9)}${pad(row.p99.toFixed(2), 9)}${pad(added(row.p50 - nginxSteady.p50), 11)}${pad(added(row.p99 - nginxSteady.p99), 11)}${row.errors}`,
      );
    }
  }
  if (samplingSeconds > 0) {
    const shares = await measureSamplingPhases({
      url: `http://127.0.0.1:${tracedTenthPort}/plain/courses/1`,
      pid: tracedTenthPid,
      seconds: samplingSeconds,
      connections,
      cycle: samplingCycle,
      dir,
    });
    console.log(
      `\nsampling's cost inside one process: the one-in-ten gateway (parent-based, so the callers' sampled flags decide) under wrk -t1 -c${connections} for ${samplingSeconds} s, the share of requests sent with a sampled traceparent changing each second (cycle ${samplingCycle.join(', ')}); each sampled second's CPU per request and requests ÷ the mean of the unsampled seconds either side (a caller's unsampled request makes no span, ADR 0068: the SDK's being loaded is not in it)`,
    );
    for (const share of shares)
      console.log(
        `${pad(`${share.fraction * 100}% sampled ÷ none`, 24)}CPU µs/req ${share.cpuMedian.toFixed(3)}× median, ${share.cpuMean.toFixed(3)}× mean ± ${share.cpuStandardError.toFixed(3)} (standard error, ${share.pairs} seconds; unsampled seconds ${share.baseCpuUs.toFixed(1)} µs/req)  requests ${share.doneMedian.toFixed(3)}× median`,
      );
  }
  issuerServer.close();
} finally {
  for (const child of children.reverse()) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
  await rm(dir, { recursive: true, force: true });
}
