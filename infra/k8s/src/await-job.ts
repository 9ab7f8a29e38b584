import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/*
 * `service-entrypoint.sh await-job <job>`: a data service pod's init container. It waits until the
 * release's migration Job has succeeded, so the rollout of new code never serves a schema it does not
 * know, with one `kubectl apply -k` and no hook machinery (ADR 0020). It fails (and the kubelet
 * retries with backoff) when the Job failed; a Job not created yet is waited for.
 */

const ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const POLL_MS = Number(process.env.STRATA_AWAIT_JOB_POLL_MS ?? 2_000);

interface JobStatus {
  status?: { succeeded?: number; conditions?: { type: string; status: string; message?: string }[] };
}

async function get(path: string): Promise<{ status: number; body: string }> {
  const base =
    process.env.STRATA_KUBERNETES_API_URL ??
    `https://${process.env.KUBERNETES_SERVICE_HOST}:${process.env.KUBERNETES_SERVICE_PORT ?? '443'}`;
  const url = new URL(path, base);
  const token = await readFile(`${ACCOUNT}/token`, 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );
  const secure = url.protocol === 'https:';
  const ca = secure ? await readFile(`${ACCOUNT}/ca.crt`) : undefined;
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(
      url,
      {
        headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(ca ? { ca } : {}),
        timeout: 10_000,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer within 10 s')));
    request.on('error', reject);
    request.end();
  });
}

/** Resolves when the Job succeeded; rejects when it failed. */
export async function awaitJob(job: string, namespace: string, log: (line: string) => void): Promise<void> {
  let said = '';
  const say = (line: string) => {
    if (line !== said) log(line);
    said = line;
  };
  for (;;) {
    try {
      const { status, body } = await get(`/apis/batch/v1/namespaces/${namespace}/jobs/${job}`);
      if (status === 200) {
        const found = JSON.parse(body) as JobStatus;
        if ((found.status?.succeeded ?? 0) > 0) {
          log(`job ${job} succeeded`);
          return;
        }
        const failed = found.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
        if (failed !== undefined) throw new Error(`job ${job} failed: ${failed.message ?? 'no message'}`);
        say(`waiting for job ${job} to complete`);
      } else if (status === 404) {
        say(`waiting for job ${job} to be created`);
      } else {
        say(`reading job ${job} answered ${status}: ${body.slice(0, 200)}`);
      }
    } catch (error) {
      if ((error as Error).message.startsWith(`job ${job} failed`)) throw error;
      say(`reading job ${job} failed: ${(error as Error).message}; retrying`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function main(job: string | undefined): Promise<number> {
  if (job === undefined || !/^[a-z0-9-]+$/.test(job)) {
    console.error('usage: await-job <job-name>');
    return 2;
  }
  const namespace: string =
    process.env.STRATA_KUBERNETES_NAMESPACE ??
    (await readFile(`${ACCOUNT}/namespace`, 'utf8').then((text) => text.trim()));
  try {
    await awaitJob(job, namespace, (line) => console.log(line));
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(await main(process.argv[2]));
}
