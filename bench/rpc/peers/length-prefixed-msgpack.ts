import { Packr } from 'msgpackr';

/**
 * The bare peer's framing: a 4-byte big-endian length, then one msgpack value. Deliberately
 * minimal (no size limit, no schema) because it is the ceiling, not a protocol anyone should ship.
 */
const packr = new Packr({ useRecords: false });

export function encode(message: unknown): Buffer {
  const body = packr.pack(message);
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

/** Feeds socket chunks in, hands each complete message to `onMessage`. */
export function decoder(onMessage: (message: unknown) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let offset = 0;
    while (pending.length - offset >= 4) {
      const end = offset + 4 + pending.readUInt32BE(offset);
      if (pending.length < end) break;
      onMessage(packr.unpack(pending.subarray(offset + 4, end)));
      offset = end;
    }
    pending = pending.subarray(offset);
  };
}
