import { describe, expect, it } from '@jest/globals';
import { ReusedValueBytes } from '../src/links/redirect/reused-value-bytes.ts';

// The visit shipper's values share one region: what is joined must read as its parts, must not be
// written over before reuse(), and never after abandon().

const parts = (...texts: string[]) => texts.map((text) => Buffer.from(text));
const join = (bytes: ReusedValueBytes, ...texts: string[]) => {
  const of = parts(...texts);
  return bytes.join(
    of,
    of.reduce((sum, part) => sum + part.length, 0),
  );
};

describe('ReusedValueBytes', () => {
  it('joins parts in order into slices of one region that do not overlap until reuse()', () => {
    const bytes = new ReusedValueBytes(64);
    const first = join(bytes, '{"a":', '1', '}');
    const second = join(bytes, '{"b":', '22', '}');
    expect(first.toString()).toBe('{"a":1}');
    expect(second.toString()).toBe('{"b":22}');
    expect(second.buffer).toBe(first.buffer);
    expect(second.byteOffset).toBe(first.byteOffset + first.length);
  });

  it('writes from the region’s start again after reuse()', () => {
    const bytes = new ReusedValueBytes(64);
    const first = join(bytes, 'first');
    bytes.reuse();
    const again = join(bytes, 'again');
    expect(again.buffer).toBe(first.buffer);
    expect(again.byteOffset).toBe(first.byteOffset);
    expect(first.toString()).toBe('again');
  });

  it('never writes over what was joined before abandon()', () => {
    const bytes = new ReusedValueBytes(64);
    const kept = join(bytes, 'still being sent');
    bytes.abandon();
    const next = join(bytes, 'the next round!!');
    expect(kept.toString()).toBe('still being sent');
    expect(next.toString()).toBe('the next round!!');
    expect(next.buffer).not.toBe(kept.buffer);
  });

  it('gives a value that does not fit a buffer of its own and keeps the region for the next', () => {
    const bytes = new ReusedValueBytes(8);
    const first = join(bytes, 'abcd');
    const large = join(bytes, 'too large', ' for the rest');
    const small = join(bytes, 'efgh');
    expect(large.toString()).toBe('too large for the rest');
    expect(large.buffer).not.toBe(first.buffer);
    expect(small.buffer).toBe(first.buffer);
    expect(`${first.toString()}${small.toString()}`).toBe('abcdefgh');
  });
});
