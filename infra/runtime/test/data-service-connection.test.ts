import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { listenTcp, type RpcListener, type RpcRequest } from '@strata/rpc';
import { aggregate, defineContract, z } from '@strata/shared-kernel';
import {
  checkDataServiceEnv,
  ConfigError,
  connectDataService,
  dataServiceEnvShape,
  hostPort,
  loadEnvConfig,
} from '../src/index.ts';

const schema = z
  .object({ ...dataServiceEnvShape, STRATA_WIDGET_ADDRESS: hostPort.optional() })
  .superRefine((env, context) => checkDataServiceEnv(env, context, 'STRATA_WIDGET_ADDRESS'));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadEnvConfig('widget-api', schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => problem.variable).sort();
    throw error;
  }
  return [];
}

const silent = { warn: () => {} };

const WIDGET_TIMEOUT_MS = 1_234;
const meteredContract = defineContract({
  context: 'metered',
  callPolicy: { balancing: 'round-robin', timeoutMs: 1_000, rateLimit: { ratePerSecond: 1, burst: 1 } },
  aggregates: { Widget: aggregate({ id: z.string(), view: z.object({ id: z.string() }) }) },
});

const widgetContract = defineContract({
  context: 'widget',
  callPolicy: { balancing: 'round-robin', timeoutMs: WIDGET_TIMEOUT_MS },
  aggregates: { Widget: aggregate({ id: z.string(), view: z.object({ id: z.string() }) }) },
});

describe('data-service environment', () => {
  it('needs the address for a static registry and all three TLS files unless plaintext is chosen', () => {
    expect(problemsOf({ STRATA_REGISTRY: 'static' })).toEqual([
      'STRATA_TLS_CA_FILE',
      'STRATA_TLS_CERT_FILE',
      'STRATA_TLS_KEY_FILE',
      'STRATA_WIDGET_ADDRESS',
    ]);
    expect(problemsOf({ STRATA_RPC_PLAINTEXT: '1', STRATA_TLS_CA_FILE: '/ca.pem' })).toEqual([
      'STRATA_RPC_PLAINTEXT',
    ]);
    expect(
      problemsOf({ STRATA_REGISTRY: 'static', STRATA_WIDGET_ADDRESS: 'nohost', STRATA_RPC_PLAINTEXT: '1' }),
    ).toEqual(['STRATA_WIDGET_ADDRESS']);
    expect(problemsOf({ STRATA_RPC_PLAINTEXT: '1' })).toEqual([]);
  });

  it('reads client rate limits per data service as service=rate/burst, and names the variable when one is malformed', () => {
    const env = loadEnvConfig('widget-api', schema, {
      STRATA_RPC_PLAINTEXT: '1',
      STRATA_RPC_RATE_LIMITS: 'widget-service=2500/500, gadget-service=0.5/1',
    });
    expect(env.STRATA_RPC_RATE_LIMITS).toEqual({
      'widget-service': { ratePerSecond: 2_500, burst: 500 },
      'gadget-service': { ratePerSecond: 0.5, burst: 1 },
    });
    // The item at fault is named by its place in the list, as for every list variable.
    expect(
      problemsOf({ STRATA_RPC_PLAINTEXT: '1', STRATA_RPC_RATE_LIMITS: 'widget-service=10/1,gadget' }),
    ).toEqual(['STRATA_RPC_RATE_LIMITS.1']);
    expect(problemsOf({ STRATA_RPC_PLAINTEXT: '1', STRATA_RPC_RATE_LIMITS: 'widget-service=2500' })).toEqual([
      'STRATA_RPC_RATE_LIMITS.0',
    ]);
    for (const zero of ['widget-service=0/10', 'widget-service=10/0'])
      expect(problemsOf({ STRATA_RPC_PLAINTEXT: '1', STRATA_RPC_RATE_LIMITS: zero })).toEqual([
        'STRATA_RPC_RATE_LIMITS',
      ]);
  });
});

describe('connectDataService over a static registry in plaintext', () => {
  let server: RpcListener;
  const received: RpcRequest[] = [];

  beforeAll(async () => {
    server = await listenTcp({
      tls: false,
      handler: async (request) => {
        received.push(request);
        return { ok: true, result: { echoed: request.payload } };
      },
    });
  });

  afterAll(async () => {
    await server?.drain();
  });

  it('calls the data service at the configured address over real TCP, within the call policy timeout', async () => {
    const env = loadEnvConfig('widget-api', schema, {
      STRATA_REGISTRY: 'static',
      STRATA_WIDGET_ADDRESS: `127.0.0.1:${server.address.port}`,
      STRATA_RPC_PLAINTEXT: '1',
    });
    const connection = await connectDataService({
      service: 'widget-service',
      contracts: [widgetContract],
      env,
      staticAddress: env.STRATA_WIDGET_ADDRESS,
      logger: silent,
    });
    try {
      await expect(connection.healthCheck.check()).resolves.toBeUndefined();
      const sentAfter = Date.now();
      const response = await connection.invoke(
        { service: 'widget-service', method: 'Widget.get', payload: { id: 'w-1' }, metadata: {} },
        { kind: 'query' },
      );
      expect(response).toEqual({ ok: true, result: { echoed: { id: 'w-1' } } });
      const sentBefore = Date.now();
      expect(received.map((request) => request.method)).toEqual(['Widget.get']);
      // A call without a deadline of its own travels with the one the contract's call policy sets.
      expect(received[0]!.deadline).toBeGreaterThanOrEqual(sentAfter + WIDGET_TIMEOUT_MS);
      expect(received[0]!.deadline).toBeLessThanOrEqual(sentBefore + WIDGET_TIMEOUT_MS);
    } finally {
      await connection.close();
    }
  });

  it("keeps to the contract's client rate limit, or to the one STRATA_RPC_RATE_LIMITS sets for the service", async () => {
    const outcomes = async (limits?: string) => {
      const env = loadEnvConfig('widget-api', schema, {
        STRATA_REGISTRY: 'static',
        STRATA_WIDGET_ADDRESS: `127.0.0.1:${server.address.port}`,
        STRATA_RPC_PLAINTEXT: '1',
        ...(limits === undefined ? {} : { STRATA_RPC_RATE_LIMITS: limits }),
      });
      const connection = await connectDataService({
        service: 'widget-service',
        contracts: [meteredContract],
        env,
        staticAddress: env.STRATA_WIDGET_ADDRESS,
        logger: silent,
      });
      try {
        const answers = [];
        for (let call = 0; call < 5; call += 1) {
          const response = await connection.invoke(
            { service: 'widget-service', method: 'Widget.get', payload: { id: `w-${call}` }, metadata: {} },
            { kind: 'query' },
          );
          answers.push(response.ok ? 'ok' : response.error.code);
        }
        return answers;
      } finally {
        await connection.close();
      }
    };

    expect(await outcomes()).toEqual(['ok', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(await outcomes('widget-service=1000/100')).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });
});
