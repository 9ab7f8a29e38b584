import type {
  ConnectionFactory,
  InstanceConnection,
  ServiceInstance,
  ServiceInstanceInput,
} from '../../src/governance/index.ts';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import type { RpcRequest, RpcResponse } from '../../src/protocol.ts';

export type Behaviour = (request: RpcRequest, signal: AbortSignal | undefined) => Promise<RpcResponse>;

/** An in-memory stand-in for a transport connection: the invoker's collaborator, scripted per test. */
export class FakeConnection implements InstanceConnection {
  readonly instance: ServiceInstance;
  behaviour: Behaviour;
  pending = 0;
  calls = 0;
  aborted = 0;
  closed = false;
  readonly requests: RpcRequest[] = [];

  constructor(instance: ServiceInstance, behaviour: Behaviour) {
    this.instance = instance;
    this.behaviour = behaviour;
  }

  async call(request: RpcRequest, signal?: AbortSignal): Promise<RpcResponse> {
    this.calls += 1;
    this.pending += 1;
    this.requests.push(request);
    signal?.addEventListener('abort', () => (this.aborted += 1), { once: true });
    try {
      return await this.behaviour(request, signal);
    } finally {
      this.pending -= 1;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export const answer =
  (result: unknown): Behaviour =>
  async () => ({ ok: true, result });

export const echoInstance: Behaviour = async (request) => ({ ok: true, result: request.payload });

export const unavailable =
  (requestSent: boolean): Behaviour =>
  async () => ({
    ok: false,
    error: { code: 'UNAVAILABLE', message: 'connection refused', details: { retrySafe: !requestSent } },
  });

/** Never answers; rejects with the signal's reason when aborted, as a transport does. */
export const hang: Behaviour = (_request, signal) =>
  new Promise((_resolve, reject) => {
    if (signal?.aborted) reject(signal.reason);
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

export function instance(id: string, service = 'catalog-service'): ServiceInstanceInput {
  return { id, service, host: '127.0.0.1', port: 7000 + Number(id.replace(/\D/g, '') || 0) };
}

/** A connect() factory that makes FakeConnections and keeps them by instance id for assertions. */
export function fakeConnections(behaviourFor: (instance: ServiceInstance) => Behaviour): {
  connect: ConnectionFactory;
  byId: Map<string, FakeConnection>;
} {
  const byId = new Map<string, FakeConnection>();
  return {
    byId,
    connect: (target) => {
      const connection = new FakeConnection(target, behaviourFor(target));
      byId.set(target.id, connection);
      return connection;
    },
  };
}

export function request(payload: unknown = {}, deadlineInMs = 5000): RpcRequest {
  return {
    service: 'catalog-service',
    method: 'Course.get',
    payload,
    metadata: {},
    deadline: Date.now() + deadlineInMs,
  };
}

/** Polls `condition` (through the shared waitFor) until it holds; fails with `what` after `timeoutMs`. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  await waitFor(what, condition, { timeoutMs, everyMs: 20 });
}
