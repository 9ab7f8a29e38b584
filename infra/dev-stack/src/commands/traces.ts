import { spawn } from 'node:child_process';
import { progressFor } from '../progress.ts';
import { describeFailure, StackError } from '../stack-error.ts';
import { isPortOpen } from '../tcp-port.ts';
import { ensureZipkinJar } from '../tools/zipkin-server.ts';
import { which } from '../which.ts';

const HOST = '127.0.0.1';
const PORT = 9411;

/**
 * `npm run observe:traces`: a local trace viewer in the foreground (Ctrl-C stops it). Zipkin keeps
 * spans in memory, on loopback only; the processes send theirs when started with
 * OTEL_TRACES_EXPORTER=zipkin (ADR 0025). Returns the exit code.
 */
export async function traces(): Promise<number> {
  const progress = progressFor('zipkin');
  try {
    const java = which('java');
    if (java === undefined) {
      throw new StackError(
        'java is not on PATH; Zipkin runs on the JVM',
        'apt-get install -y openjdk-17-jre-headless',
      );
    }
    if (await isPortOpen(HOST, PORT)) {
      throw new StackError(
        `${HOST}:${PORT} is taken`,
        'a Zipkin already running there serves as well; or stop what holds the port',
      );
    }
    const jar = await ensureZipkinJar(progress);
    progress(`starting on http://${HOST}:${PORT} (spans kept in memory until it stops)`);
    console.log(
      [
        "Send Strata's traces here by starting it with:",
        '  OTEL_TRACES_EXPORTER=zipkin npm run start:distributed      (or npm start)',
        `Zipkin's UI: http://${HOST}:${PORT}/zipkin/  — Ctrl-C stops it.`,
      ].join('\n'),
    );
    const child = spawn(
      java,
      [
        '-jar',
        jar,
        `--armeria.ports[0].port=${PORT}`,
        `--armeria.ports[0].ip=${HOST}`,
        '--armeria.ports[0].protocols=http',
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    // Ctrl-C reaches the whole foreground group, Zipkin included: wait for it to exit.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => child.kill(signal));
    return await new Promise<number>((done) => child.once('exit', (code) => done(code ?? 0)));
  } catch (error) {
    progress(`COULD NOT START: ${describeFailure(error)}`);
    return 1;
  }
}
