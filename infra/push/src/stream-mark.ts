import { z } from '@strata/shared-kernel';

/**
 * What a client holds of one stream: everything up to `position` in `epoch`. Positions count 1, 2,
 * 3… within an epoch; an epoch changes only when the stream was reset, and then positions restart.
 * Position 0 means "nothing yet"; an epoch of null means the stream has no items at all so far.
 */
export interface StreamMark {
  readonly epoch: string | null;
  readonly position: number;
}

/** An item of a stream: whatever it carries, it knows its place. */
export interface StreamItem {
  readonly epoch: string;
  readonly position: number;
}

const epoch = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be the epoch a stream sent (letters, digits and "-", at most 64)');
const position = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A mark as a client sends it back (the WebSocket's first message); no epoch: the stream had no items yet. */
export const StreamMarkSchema = z.strictObject({ epoch: epoch.nullable(), position });

/**
 * A mark as SSE carries it, in `id:` and so in the `Last-Event-ID` a client sends on reconnecting:
 * `<epoch>:<position>`; or `0` from a client whose list showed a stream with no items yet.
 */
export const LastEventIdSchema = z
  .string()
  .max(100, 'must be at most 100 characters')
  .regex(
    /^(0|[A-Za-z0-9-]{1,64}:\d{1,16})$/,
    'must be "<epoch>:<position>" as the stream sent it in "id:", or "0" for a stream with no items yet',
  )
  .transform((value, context): StreamMark => {
    if (value === '0') return { epoch: null, position: 0 };
    const at = value.lastIndexOf(':');
    const parsed = StreamMarkSchema.safeParse({
      epoch: value.slice(0, at),
      position: Number(value.slice(at + 1)),
    });
    if (!parsed.success) {
      context.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'invalid mark' });
      return z.NEVER;
    }
    return parsed.data;
  });

/** The `id:` of an SSE event that leaves a client holding `mark`. */
export function lastEventIdOf(mark: StreamMark): string {
  return mark.epoch === null ? '0' : `${mark.epoch}:${mark.position}`;
}
