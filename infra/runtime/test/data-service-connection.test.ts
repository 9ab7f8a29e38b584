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
});
