import { describe, expect, it } from '@jest/globals';
import { aggregate, command, defineContract, z } from '@strata/shared-kernel';
import { hostContracts, type RpcHandler, type RpcRequest } from '../../src/index.ts';

function contractWith(context: string, aggregateName: string) {
  return defineContract({
    context,
    aggregates: {
      [aggregateName]: aggregate({
        id: z.uuid(),
        view: z.object({ id: z.uuid() }),
        commands: { touch: command({ input: z.object({}), idempotent: true }) },
      }),
    },
  });
}

/** A handler that answers with the context it belongs to, so a test sees where a call went. */
const answering =
  (context: string): RpcHandler =>
  async () => ({ ok: true, result: context });

const call = (method: string): RpcRequest => ({
  service: 'commerce-service',
  method,
  payload: {},
  metadata: {},
});
const signal = new AbortController().signal;

describe('a data service hosting several contracts', () => {
  const handler = hostContracts([
    { contract: contractWith('catalog', 'Course'), handler: answering('catalog') },
    { contract: contractWith('ordering', 'Order'), handler: answering('ordering') },
  ]);

  it("routes each call to the contract that declares the call's aggregate", async () => {
    await expect(handler(call('Course.touch'), signal)).resolves.toEqual({ ok: true, result: 'catalog' });
    await expect(handler(call('Order.touch'), signal)).resolves.toEqual({ ok: true, result: 'ordering' });
  });

  it('answers UNIMPLEMENTED, naming the hosted aggregates, for an aggregate no contract declares', async () => {
    await expect(handler(call('Invoice.touch'), signal)).resolves.toEqual({
      ok: false,
      error: {
        code: 'UNIMPLEMENTED',
        message: 'no hosted contract has a method Invoice.touch',
        details: { method: 'Invoice.touch', aggregates: ['Course', 'Order'] },
      },
    });
  });

  it('refuses, when composed, two contracts that declare one aggregate', () => {
    expect(() =>
      hostContracts([
        { contract: contractWith('catalog', 'Course'), handler: answering('catalog') },
        { contract: contractWith('studio', 'Course'), handler: answering('studio') },
      ]),
    ).toThrow('two hosted contracts declare the aggregate Course (the second is studio)');
  });
});
