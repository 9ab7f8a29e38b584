import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

/*
 * The data service pods' init container against an API server's answers for a Job: not created yet
 * (404), running, then succeeded; or failed. Served by a local HTTP server as the API server would.
 */

const answers = new Map<string, object[]>();
/** How often each Job was asked for. */
const asked = new Map<string, number>();
let server: Server;

beforeAll(async () => {
  server = createServer((request, response) => {
    const job = /^\/apis\/batch\/v1\/namespaces\/strata\/jobs\/([a-z0-9-]+)$/.exec(request.url ?? '')?.[1];
    if (job !== undefined) asked.set(job, (asked.get(job) ?? 0) + 1);
    const next = job === undefined ? undefined : answers.get(job)?.shift();
    if (next === undefined) return void response.writeHead(404).end('{"kind":"Status","code":404}');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(next));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.STRATA_KUBERNETES_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.STRATA_AWAIT_JOB_POLL_MS = '20';
});

afterAll(async () => {
  delete process.env.STRATA_KUBERNETES_API_URL;
  await new Promise((resolve) => server.close(resolve));
});

describe('await-job', () => {
  it('waits through "not created" and "running" until the Job succeeded', async () => {
    const { awaitJob } = await import('../src/await-job.ts');
    answers.set('migrate-identity-service-0-1-0', [
      { status: { active: 1 } },
      { status: { active: 1 } },
      { status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } },
    ]);
    const lines: string[] = [];
    await awaitJob('migrate-identity-service-0-1-0', 'strata', (line) => lines.push(line));
    expect(lines).toEqual([
      'waiting for job migrate-identity-service-0-1-0 to complete',
      'job migrate-identity-service-0-1-0 succeeded',
    ]);
  });

  it('says when the Job is not there yet, and fails when the Job failed', async () => {
    const { awaitJob } = await import('../src/await-job.ts');
    const lines: string[] = [];
    const waiting = awaitJob('migrate-commerce-service-0-1-0', 'strata', (line) => lines.push(line));
    // Asked a third time: two "not found" answers were read (said once). Not a fixed pause, which a
    // loop stalled past it ends before the first answer is read.
    while ((asked.get('migrate-commerce-service-0-1-0') ?? 0) < 3)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(lines).toEqual(['waiting for job migrate-commerce-service-0-1-0 to be created']);
    answers.set('migrate-commerce-service-0-1-0', [
      {
        status: {
          failed: 4,
          conditions: [
            { type: 'Failed', status: 'True', message: 'Job has reached the specified backoff limit' },
          ],
        },
      },
    ]);
    await expect(waiting).rejects.toThrow(
      'job migrate-commerce-service-0-1-0 failed: Job has reached the specified backoff limit',
    );
  });
});
