import { describe, expect, it } from '@jest/globals';
import { connectInProcess, DeadlineExceededError } from '../../src/transport/index.ts';
import type { RpcHandler, RpcRequest } from '../../src/protocol.ts';
import { abortedWith, echoHandler, gate, request, until } from './support.ts';

describe('in-process transport', () => {
  it('carries a request to the handler and its answer back', async () => {
    const connection = connectInProcess(echoHandler, { callerService: 'learner-api' });
    const response = await connection.call(
      request({ payload: { courseId: 'c-9', at: new Date('2026-01-02T03:04:05Z') } }),
    );
    expect(response).toEqual({
      ok: true,
      result: {
        payload: { courseId: 'c-9', at: new Date('2026-01-02T03:04:05Z') },
        metadata: { correlationId: 'corr-1', caller: { service: 'learner-api' } },
        method: 'Course.publish',
      },
    });
  });

  it('never lets caller and handler share an object', async () => {
    let seen: { tags: string[] } | undefined;
    const kept = { tags: ['server'] };
    const handler: RpcHandler = async (received) => {
      seen = received.payload as { tags: string[] };
      seen.tags.push('mutated by handler');
      return { ok: true, result: kept };
    };
    const payload = { tags: ['client'] };
    const response = await connectInProcess(handler).call(request({ payload }));
    expect(payload.tags).toEqual(['client']);
    expect(seen).not.toBe(payload);
    if (!response.ok) throw new Error('expected success');
    (response.result as { tags: string[] }).tags.push('mutated by caller');
    expect(kept.tags).toEqual(['server']);
  });

  it('replaces a caller.service the client wrote itself', async () => {
    const forged = request({ metadata: { caller: { service: 'identity-service', userId: 'u-1' } } });
    const anonymous = await connectInProcess(echoHandler).call(forged);
    const named = await connectInProcess(echoHandler, { callerService: 'learner-api' }).call(forged);
    expect(anonymous).toMatchObject({ ok: true, result: { metadata: { caller: { userId: 'u-1' } } } });
    expect(
      (anonymous as { result: { metadata: { caller: object } } }).result.metadata.caller,
    ).not.toHaveProperty('service');
    expect(named).toMatchObject({
      ok: true,
      result: { metadata: { caller: { service: 'learner-api', userId: 'u-1' } } },
    });
  });

  it('answers DEADLINE_EXCEEDED and aborts the handler when the deadline passes', async () => {
    let reason: Promise<unknown> | undefined;
    const handler: RpcHandler = (_request, signal) => {
      reason = abortedWith(signal);
      return new Promise(() => {});
    };
    const response = await connectInProcess(handler).call(request({ deadline: Date.now() + 30 }));
    expect(response).toMatchObject({ ok: false, error: { code: 'DEADLINE_EXCEEDED' } });
    await expect(reason).resolves.toBeInstanceOf(DeadlineExceededError);
  });

  it('does not start a handler for a request whose deadline has already passed', async () => {
    let invoked = 0;
    const handler: RpcHandler = async () => {
      invoked += 1;
      return { ok: true, result: null };
    };
    const response = await connectInProcess(handler).call(request({ deadline: Date.now() - 1 }));
    expect(response).toMatchObject({ ok: false, error: { code: 'DEADLINE_EXCEEDED' } });
    expect(invoked).toBe(0);
  });

  it('rejects with the caller’s reason and aborts the handler when the caller cancels', async () => {
    let reason: Promise<unknown> | undefined;
    const handler: RpcHandler = (_request, signal) => {
      reason = abortedWith(signal);
      return new Promise(() => {});
    };
    const controller = new AbortController();
    const call = connectInProcess(handler).call(request(), controller.signal);
    await until(() => reason !== undefined, 'the handler runs');
    controller.abort(new Error('user navigated away'));
    await expect(call).rejects.toThrow('user navigated away');
    await expect(reason).resolves.toEqual(new Error('user navigated away'));
  });

  it('turns a throwing handler into INTERNAL with the method named', async () => {
    const response = await connectInProcess(async () => {
      throw new Error('boom');
    }).call(request());
    expect(response).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'handler for commerce-service Course.publish threw: boom' },
    });
  });

  it('on close lets pending calls finish, then refuses new ones as retry-safe UNAVAILABLE', async () => {
    const release = gate<void>();
    const handler: RpcHandler = async (received: RpcRequest) => {
      await release.promise;
      return { ok: true, result: received.payload };
    };
    const connection = connectInProcess(handler);
    const states: string[] = [];
    connection.onStateChange((state) => states.push(state));
    const pending = connection.call(request({ payload: 1 }));
    expect(connection.pending).toBe(1);
    const closing = connection.close();
    await expect(connection.call(request())).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', details: { retrySafe: true } },
    });
    release.open();
    await expect(pending).resolves.toEqual({ ok: true, result: 1 });
    await closing;
    expect(states).toEqual(['draining', 'closed']);
    expect(connection.pending).toBe(0);
  });

  it('on close answers the calls still running after the grace period UNAVAILABLE, not retry-safe, and aborts them', async () => {
    const signals: AbortSignal[] = [];
    const handler: RpcHandler = (_received, signal) => {
      signals.push(signal);
      return new Promise(() => undefined);
    };
    const connection = connectInProcess(handler);
    const calls = Array.from({ length: 40 }, (_, payload) => connection.call(request({ payload })));
    expect(connection.pending).toBe(40);
    await connection.close(20);
    for (const answer of await Promise.all(calls))
      expect(answer).toMatchObject({
        ok: false,
        error: { code: 'UNAVAILABLE', details: { retrySafe: false } },
      });
    expect(signals).toHaveLength(40);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(connection.pending).toBe(0);
  });

  it('refuses invalid options with the field path', () => {
    expect(() => connectInProcess(echoHandler, { defaultTimeoutMs: -1 })).toThrow(/defaultTimeoutMs/);
  });
});
