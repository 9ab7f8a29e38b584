import { describe, expect, it } from '@jest/globals';
import { decodeFrameBody, encodeFrame, LENGTH_PREFIX_BYTES } from '../../src/transport/frame-codec.ts';

/** A request about the size of bench:rpc's ~1 KB course draft, distinct per id. */
function requestFrame(id: number): object {
  return {
    t: 1,
    id,
    s: 'catalog-service',
    m: 'Course.revise',
    p: { id: `course-${id}`, input: { title: `title ${id} `.repeat(60), lessons: [id, id + 1, id + 2] } },
    to: 5000,
  };
}

describe('encodeFrame', () => {
  it('leaves every frame as packed while later frames are packed after it, across slabs', () => {
    // A frame is a view into msgpackr's slab, and a corked socket holds it until the batch leaves;
    // frames packed meanwhile must not land on its bytes (bench/README.md, "Sixth pass").
    const frames: Buffer[] = [];
    const asPacked: Buffer[] = [];
    for (let id = 0; id < 400; id++) {
      const frame = encodeFrame(requestFrame(id), 1 << 20);
      frames.push(frame);
      asPacked.push(Buffer.from(frame));
    }
    frames.forEach((frame, id) => {
      expect(frame.equals(asPacked[id]!)).toBe(true);
      expect(frame.readUInt32BE(0)).toBe(frame.length - LENGTH_PREFIX_BYTES);
      expect(decodeFrameBody(frame.subarray(LENGTH_PREFIX_BYTES))).toEqual(requestFrame(id));
    });
    // More than one slab, so frames packed into a fresh slab were checked too.
    expect(new Set(frames.map((frame) => frame.buffer)).size).toBeGreaterThan(1);
  });
});
