import { describe, expect, it } from '@jest/globals';
import {
  decodeFrameBody,
  encodeFrame,
  LENGTH_PREFIX_BYTES,
  SLAB_BYTES,
} from '../../src/transport/frame-codec.ts';

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

/** Enough ~1 KB frames to fill several slabs. */
const FRAMES = Math.ceil((6 * SLAB_BYTES) / 1024);

describe('encodeFrame', () => {
  it('leaves every frame as packed while later frames are packed after it, across slabs', () => {
    // A corked socket holds each frame's view until the batch leaves; the frames packed meanwhile
    // must not land on its bytes.
    const frames: Buffer[] = [];
    const asPacked: Buffer[] = [];
    for (let id = 0; id < FRAMES; id++) {
      const frame = encodeFrame(requestFrame(id), 1 << 20);
      frames.push(frame);
      asPacked.push(Buffer.from(frame));
    }
    frames.forEach((frame, id) => {
      expect(frame.equals(asPacked[id]!)).toBe(true);
      expect(frame.readUInt32BE(0)).toBe(frame.length - LENGTH_PREFIX_BYTES);
      expect(decodeFrameBody(frame.subarray(LENGTH_PREFIX_BYTES))).toEqual(requestFrame(id));
    });
  });

  it('packs dozens of ~1 KB frames into each slab rather than a few', () => {
    const slabs = new Set<ArrayBufferLike>();
    for (let id = 0; id < FRAMES; id++) slabs.add(encodeFrame(requestFrame(id), 1 << 20).buffer);
    // 8 KB slabs (msgpackr's default) would take about FRAMES / 5.
    expect(slabs.size).toBeLessThanOrEqual(Math.ceil(FRAMES / 30));
    for (const slab of slabs) expect(slab.byteLength).toBeGreaterThanOrEqual(SLAB_BYTES);
  });
});
