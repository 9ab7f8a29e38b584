import { describe, expect, it } from '@jest/globals';
import {
  clientFrameSchema,
  readClientFrame,
  readServerFrame,
  serverFrameSchema,
} from '../../src/transport/frame.ts';

const request = {
  t: 1,
  id: 7,
  s: 'catalog-service',
  m: 'Course.publish',
  p: { id: 'c1', input: {} },
  md: { caller: { service: 'studio-api', userId: 'u1', roles: ['instructor'] }, expectedVersion: 3 },
  to: 4_999,
};

/** The readers may skip zod only where zod would say the same: these frames must get zod's answer. */
const clientFrames: [string, unknown][] = [
  ['a common request', request],
  ['a request without metadata or timeout', { t: 1, id: 1, s: 'a', m: 'b', p: null }],
  ['a cancel', { t: 3, id: 9 }],
  [
    'metadata with a nil field',
    { ...request, md: { correlationId: null, caller: { service: 'x', userId: null } } },
  ],
  ['an unknown request key', { ...request, extra: 1 }],
  ['an unknown metadata key', { ...request, md: { tenant: 'x' } }],
  ['a nil metadata and timeout', { ...request, md: null, to: null }],
  ['an empty service', { ...request, s: '' }],
  ['a numeric method', { ...request, m: 5 }],
  ['a negative timeout', { ...request, to: -1 }],
  ['a fractional id', { ...request, id: 1.5 }],
  ['an id past 32 bits', { ...request, id: 2 ** 32 }],
  ['a negative expected version', { ...request, md: { expectedVersion: -1 } }],
  ['a role that is not a string', { ...request, md: { caller: { roles: [1] } } }],
  ['a cancel with an extra key', { t: 3, id: 9, x: 1 }],
  ['an unknown frame type', { t: 99, id: 1 }],
  ['an array', [1, 2, 3]],
  ['nil', null],
];

const serverFrames: [string, unknown][] = [
  ['a success', { t: 2, id: 4, ok: true, r: { any: 'thing' } }],
  ['a success answering nil', { t: 2, id: 4, ok: true, r: null }],
  ['a refusal', { t: 2, id: 4, ok: false, e: { code: 'NOT_FOUND', message: 'gone', reason: null } }],
  ['a goaway', { t: 4 }],
  ['a success with an extra key', { t: 2, id: 4, ok: true, r: 1, x: 2 }],
  ['a success without a result key', { t: 2, id: 4, ok: true }],
  ['a success with a bad id', { t: 2, id: -4, ok: true, r: 1 }],
  ['a string', 'hello'],
];

function sameAnswer(
  ours: ReturnType<typeof readClientFrame | typeof readServerFrame>,
  zods: typeof ours,
): void {
  expect(ours.success).toBe(zods.success);
  if (ours.success && zods.success) expect(ours.data).toEqual(zods.data);
  else expect(ours.error?.issues).toEqual(zods.error?.issues);
}

describe('frame readers', () => {
  it.each(clientFrames)('read %s from a client as clientFrameSchema does', (_name, frame) => {
    sameAnswer(readClientFrame(frame), clientFrameSchema.safeParse(frame));
  });

  it.each(serverFrames)('read %s from a server as serverFrameSchema does', (_name, frame) => {
    sameAnswer(readServerFrame(frame), serverFrameSchema.safeParse(frame));
  });
});
