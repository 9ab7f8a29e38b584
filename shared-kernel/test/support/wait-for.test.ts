import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';

// The tests' one wait, on real timers: bounds of tens of milliseconds keep it fast.
describe('waitFor', () => {
  it('resolves with the first value that is not undefined or false', async () => {
    let tries = 0;
    const found = await waitFor('the third try', () => {
      tries += 1;
      return tries < 3 ? undefined : { tries };
    });
    expect(found).toEqual({ tries: 3 });
  });

  it('waits for a condition', async () => {
    let tries = 0;
    await expect(waitFor('two tries', () => ++tries >= 2, { everyMs: 1 })).resolves.toBe(true);
    expect(tries).toBe(2);
  });

  it('judges each answer with `done`, and resolves with the one that passes', async () => {
    const answers = [{ status: 503 }, { status: 503 }, { status: 200 }];
    const answer = await waitFor('a 200', async () => answers.shift()!, {
      done: (reply) => reply.status === 200,
      everyMs: 1,
    });
    expect(answer).toEqual({ status: 200 });
  });

  it('fails, once its time has passed, naming what it awaited, for how long, and the last value seen', async () => {
    let tries = 0;
    const ask = () => {
      tries += 1;
      return { answer: 41 };
    };
    const failure = waitFor('the answer to be 42', ask, {
      timeoutMs: 50,
      everyMs: 5,
      done: (reply) => reply.answer === 42,
      detail: () => 'the oracle is asleep',
    });
    await expect(failure).rejects.toThrow(
      /^waited 50 ms for the answer to be 42 \(\d+ tries, every 5 ms\); last seen: \{ answer: 41 \}; the oracle is asleep$/,
    );
    expect(tries).toBeGreaterThan(1);
  });

  it('fails a condition that never holds', async () => {
    await expect(waitFor('a condition that never holds', () => false, { timeoutMs: 50 })).rejects.toThrow(
      /^waited 50 ms for a condition that never holds \(\d+ tries?, every 50 ms\); last seen: false$/,
    );
  });

  it('fails at once when a try throws, as the test would', async () => {
    let tries = 0;
    const failure = waitFor('a broken probe', () => {
      tries += 1;
      throw new Error('connection refused');
    });
    await expect(failure).rejects.toThrow(/^connection refused$/);
    expect(tries).toBe(1);
  });

  it('with retryErrors, tries again after an error and reports the last one', async () => {
    let tries = 0;
    const recovered = await waitFor(
      'a probe that recovers',
      () => {
        tries += 1;
        if (tries < 3) throw new Error('not yet listening');
        return 'up';
      },
      { retryErrors: true, everyMs: 1 },
    );
    expect(recovered).toBe('up');

    const failure = waitFor(
      'a probe that never recovers',
      () => {
        throw new Error('connection refused');
      },
      { retryErrors: true, timeoutMs: 50 },
    );
    await expect(failure).rejects.toThrow(
      /^waited 50 ms for a probe that never recovers \(.*\); last seen: the error Error: connection refused$/,
    );
  });

  it("loads in a plain node process, without jest, as a test's child process needs", () => {
    const loaded = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '--eval',
        "const { waitFor } = await import('@strata/shared-kernel/test-support/wait-for'); console.log(await waitFor('a value', () => 'loaded'));",
      ],
      { encoding: 'utf8' },
    );
    expect(loaded.trim()).toBe('loaded');
  });
});
