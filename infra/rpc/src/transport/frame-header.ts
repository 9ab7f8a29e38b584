import { FRAME_TYPE } from './frame.ts';

const FIXMAP_FIRST = 0x80;
const FIXMAP_LAST = 0x8f;
const MAP16 = 0xde;
const MAP32 = 0xdf;
const KEY_T = [0xa1, 0x74]; // fixstr "t"
const KEY_ID = [0xa2, 0x69, 0x64]; // fixstr "id"
const UINT8 = 0xcc;
const UINT16 = 0xcd;
const UINT32 = 0xce;

/**
 * The request id of a request frame, read from its first bytes without decoding the rest, or -1.
 *
 * Only the layout Strata's clients write is read this way: a map whose first two keys are `t` (1)
 * and `id` (an unsigned integer). Any other layout, which the protocol allows, answers
 * -1 and the frame is decoded whole on arrival. The server checks the decoded frame against this id
 * when it starts the call, so a body that disagrees with its first bytes is refused, not trusted.
 */
export function peekRequestId(body: Buffer): number {
  const first = body[0] ?? 0;
  // msgpackr writes an object's map header as map16, before it knows how many keys there are.
  const keys =
    first === MAP16 ? 3 : first === MAP32 ? 5 : first >= FIXMAP_FIRST + 2 && first <= FIXMAP_LAST ? 1 : 0;
  if (keys === 0) return -1;
  let at = keys;
  if (body[at] !== KEY_T[0] || body[at + 1] !== KEY_T[1] || body[at + 2] !== FRAME_TYPE.request) return -1;
  at += 3;
  if (body[at] !== KEY_ID[0] || body[at + 1] !== KEY_ID[1] || body[at + 2] !== KEY_ID[2]) return -1;
  at += 3;
  const tag = body[at];
  if (tag === undefined) return -1;
  if (tag < 0x80) return tag;
  if (tag === UINT8 && body.length > at + 1) return body[at + 1] as number;
  if (tag === UINT16 && body.length > at + 2) return body.readUInt16BE(at + 1);
  if (tag === UINT32 && body.length > at + 4) return body.readUInt32BE(at + 1);
  return -1;
}
