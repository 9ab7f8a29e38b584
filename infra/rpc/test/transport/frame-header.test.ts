import { describe, expect, it } from '@jest/globals';
import { Packr } from 'msgpackr';
import { encodeFrame, LENGTH_PREFIX_BYTES } from '../../src/transport/frame-codec.ts';
import { peekRequestId } from '../../src/transport/frame-header.ts';

const packr = new Packr({ useRecords: false });

/** A request body as Strata's client writes it (tcp-connection.ts): t, id, then the rest. */
function clientRequestBody(id: number): Buffer {
  const frame = { t: 1, id, s: 'catalog-service', m: 'Course.get', p: { id: 'c1' }, md: undefined, to: 5000 };
  return encodeFrame(frame, 1 << 20).subarray(LENGTH_PREFIX_BYTES);
}

describe('peekRequestId', () => {
  it.each([0, 1, 127, 128, 255, 256, 65_535, 65_536, 0xffff_ffff])(
    'reads id %i from the first bytes of a request our client wrote',
    (id) => {
      expect(peekRequestId(clientRequestBody(id))).toBe(id);
    },
  );

  it('reads the id of a request whose map header is a fixmap, as other msgpack libraries write it', () => {
    const body = Buffer.from([0x85, 0xa1, 0x74, 0x01, 0xa2, 0x69, 0x64, 0xcd, 0x01, 0x2c]);
    expect(peekRequestId(body)).toBe(300);
  });

  it.each<[string, Buffer]>([
    ['a cancel', packr.pack({ t: 3, id: 4 })],
    ['a request with its keys in another order', packr.pack({ id: 4, t: 1, s: 'a', m: 'b', p: null })],
    ['a request whose id is not an unsigned integer', packr.pack({ t: 1, id: -4, s: 'a', m: 'b', p: null })],
    ['a map of one key', packr.pack({ t: 1 })],
    ['an array', packr.pack([1, 4])],
    ['a body cut after the id tag', Buffer.from([0x87, 0xa1, 0x74, 0x01, 0xa2, 0x69, 0x64, 0xcd, 0x01])],
    [
      'a map16 body cut after the id tag',
      Buffer.from([0xde, 0x00, 0x07, 0xa1, 0x74, 0x01, 0xa2, 0x69, 0x64, 0xce]),
    ],
    ['an empty body', Buffer.alloc(0)],
  ])('answers -1 for %s, which the server then decodes whole', (_name, body) => {
    expect(peekRequestId(body)).toBe(-1);
  });
});
