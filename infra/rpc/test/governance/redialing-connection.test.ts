import { describe, expect, it } from '@jest/globals';
import { RedialingConnection, type DialledConnection } from '../../src/governance/index.ts';
import type { RpcResponse } from '../../src/protocol.ts';
import { request } from './fake-cluster.ts';

class Dialled implements DialledConnection {
  state: 'open' | 'draining' | 'closed' = 'open';
  pending = 0;
  closed = false;
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  async call(): Promise<RpcResponse> {
    return { ok: true, result: this.name };
  }
  async close(): Promise<void> {
    this.closed = true;
    this.state = 'closed';
  }
}

describe('RedialingConnection', () => {
  it('answers UNAVAILABLE (not sent) when the dial fails, and dials again on the next call', async () => {
    const outcomes: (() => Promise<DialledConnection>)[] = [
      async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:7001');
      },
      async () => new Dialled('second'),
    ];
    const connection = new RedialingConnection(
      () => outcomes.shift()!(),
      'catalog-service c1 at 127.0.0.1:7001',
    );
    expect(await connection.call(request())).toEqual({
      ok: false,
      error: {
        code: 'UNAVAILABLE',
        message:
          'cannot connect to catalog-service c1 at 127.0.0.1:7001: connect ECONNREFUSED 127.0.0.1:7001',
        details: { retrySafe: true },
      },
    });
    expect(await connection.call(request())).toEqual({ ok: true, result: 'second' });
  });

  it('dials once for concurrent first calls and replaces a connection that ended', async () => {
    const dialled: Dialled[] = [];
    const connection = new RedialingConnection(async () => {
      const next = new Dialled(`c${dialled.length + 1}`);
      dialled.push(next);
      return next;
    }, 'x');
    const first = await Promise.all([
      connection.call(request()),
      connection.call(request()),
      connection.call(request()),
    ]);
    expect(first.map((response) => (response.ok ? response.result : undefined))).toEqual(['c1', 'c1', 'c1']);
    dialled[0]!.state = 'draining';
    expect(await connection.call(request())).toEqual({ ok: true, result: 'c2' });
    expect(dialled[0]!.closed).toBe(true);
    await connection.close();
    expect(dialled[1]!.closed).toBe(true);
    expect(await connection.call(request())).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', details: { retrySafe: true } },
    });
    expect(dialled).toHaveLength(2);
  });
});
