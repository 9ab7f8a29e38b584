import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { callSignal, DeadlineSignal, markDeadline, MAX_TIMER_MS } from '../src/deadline/index.ts';

function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(signal.reason), { once: true }),
  );
}

describe('DeadlineSignal', () => {
  it('aborts when the deadline passes, with the reason AbortSignal.timeout gives', async () => {
    const deadline = new DeadlineSignal(Date.now() + 20);
    const reason = await aborted(deadline.signal);
    expect(reason).toBeInstanceOf(DOMException);
    expect((reason as DOMException).name).toBe('TimeoutError');
  });

  it('is aborted from the start when the deadline has already passed', () => {
    expect(new DeadlineSignal(Date.now() - 1).signal.aborted).toBe(true);
  });

  it('follows its parent, with the parent’s reason', () => {
    const parent = new AbortController();
    const deadline = new DeadlineSignal(Date.now() + 60_000, parent.signal);
    parent.abort(new Error('caller gave up'));
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as Error).message).toBe('caller gave up');
    deadline.dispose();
  });

  it('no longer aborts once disposed: neither at the deadline nor when the parent aborts', async () => {
    const parent = new AbortController();
    const deadline = new DeadlineSignal(Date.now() + 10, parent.signal);
    deadline.dispose();
    const later = new DeadlineSignal(Date.now() + 40);
    await aborted(later.signal);
    parent.abort();
    expect(deadline.signal.aborted).toBe(false);
  });

  describe('when its timer fires before Date.now() reaches the deadline', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    // Node's timers run on a monotonic clock that can fire up to a millisecond before Date.now()
    // says the delay is over; setSystemTime moves Date.now() without moving the timers, so the
    // fake clock shows that skew every time. Callers answer DEADLINE_EXCEEDED only once
    // Date.now() >= deadline, so an early abort reached the caller as a bare TimeoutError.
    it('waits out the rest instead of aborting early', () => {
      jest.useFakeTimers({ now: 1_700_000_000_000 });
      const deadline = new DeadlineSignal(Date.now() + 100);
      jest.setSystemTime(Date.now() - 2);
      jest.advanceTimersByTime(100);
      expect(deadline.signal.aborted).toBe(false);
      jest.advanceTimersByTime(2);
      expect(deadline.signal.aborted).toBe(true);
      expect((deadline.signal.reason as DOMException).name).toBe('TimeoutError');
    });

    it('does not abort at the timer clamp when the deadline is further away', () => {
      jest.useFakeTimers({ now: 1_700_000_000_000 });
      const deadline = new DeadlineSignal(Date.now() + MAX_TIMER_MS + 1_000);
      jest.advanceTimersByTime(MAX_TIMER_MS);
      expect(deadline.signal.aborted).toBe(false);
      jest.advanceTimersByTime(1_000);
      expect(deadline.signal.aborted).toBe(true);
    });
  });

  it('aborts on demand, once, keeping the first reason', () => {
    const deadline = new DeadlineSignal(undefined);
    deadline.abort(new Error('another instance answered first'));
    deadline.abort(new Error('second'));
    expect((deadline.signal.reason as Error).message).toBe('another instance answered first');
  });
});

describe('callSignal', () => {
  it('reuses a parent armed for the same or an earlier deadline instead of arming a timer', () => {
    const at = Date.now() + 60_000;
    const upper = new DeadlineSignal(at);
    expect(callSignal(at, upper.signal).signal).toBe(upper.signal);
    expect(callSignal(at + 1, upper.signal).signal).toBe(upper.signal);
    upper.dispose();
  });

  it('arms its own deadline when the parent’s is later or unknown', async () => {
    const unmarked = new AbortController();
    const later = new AbortController();
    markDeadline(later.signal, Date.now() + 60_000);
    const own = callSignal(Date.now() + 20, later.signal);
    expect(own.signal).not.toBe(later.signal);
    const fallback = callSignal(Date.now() + 60_000, unmarked.signal);
    expect(fallback.signal).not.toBe(unmarked.signal);
    fallback.dispose();
    await aborted(own.signal);
    expect(later.signal.aborted).toBe(false);
  });
});
