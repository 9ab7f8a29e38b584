import { ERROR_CODES, z } from '@strata/shared-kernel';

/**
 * The frames of the TCP wire protocol (docs/rpc-wire-format.md). Keys are short because every
 * call pays for them; types are small integers so a Python or Go client can switch on them.
 */
export const FRAME_TYPE = {
  request: 1,
  response: 2,
  cancel: 3,
  goaway: 4,
} as const;

/**
 * Other languages write absent optional fields as nil, and msgpack turns undefined into nil too,
 * so a nil-valued key in a map means the same as a missing key.
 */
function nilMeansAbsent<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    // Every request's metadata passes here; copy only when there is a nil to drop.
    for (const key in value) {
      if ((value as Record<string, unknown>)[key] === null)
        return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null));
    }
    return value;
  }, schema);
}

/** Request ids are unsigned 32-bit so every msgpack implementation decodes them as a plain integer. */
const requestId = z.number().int().nonnegative().max(0xffff_ffff);

const issueSchema = nilMeansAbsent(
  z.object({
    path: z.array(z.union([z.string(), z.number()])),
    message: z.string(),
    code: z.string().optional(),
  }),
);

export const serializedErrorSchema = nilMeansAbsent(
  z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    reason: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
    issues: z.array(issueSchema).optional(),
  }),
);

const callerSchema = nilMeansAbsent(
  z.object({
    service: z.string().optional(),
    userId: z.string().optional(),
    roles: z.array(z.string()).optional(),
  }),
);

const metadataSchema = nilMeansAbsent(
  z.object({
    caller: callerSchema.optional(),
    correlationId: z.string().optional(),
    traceparent: z.string().optional(),
    tracestate: z.string().optional(),
    idempotencyKey: z.string().optional(),
    expectedVersion: z.number().int().min(0).optional(),
  }),
);

// Not nilMeansAbsent: a nil payload is a value the handler must see as null.
export const requestFrameSchema = z.object({
  t: z.literal(FRAME_TYPE.request),
  id: requestId,
  s: z.string().min(1),
  m: z.string().min(1),
  p: z.unknown(),
  md: metadataSchema.nullish(),
  /**
   * Milliseconds the caller still grants the call, not an absolute time: the two hosts' clocks
   * need not agree, and the receiver turns it back into its own absolute deadline.
   */
  to: z.number().nonnegative().nullish(),
});

export const responseFrameSchema = z.union([
  z.object({ t: z.literal(FRAME_TYPE.response), id: requestId, ok: z.literal(true), r: z.unknown() }),
  z.object({
    t: z.literal(FRAME_TYPE.response),
    id: requestId,
    ok: z.literal(false),
    e: serializedErrorSchema,
  }),
]);

export const cancelFrameSchema = z.object({ t: z.literal(FRAME_TYPE.cancel), id: requestId });

export const goawayFrameSchema = nilMeansAbsent(
  z.object({
    t: z.literal(FRAME_TYPE.goaway),
    /** Present when the server closes because of something the client did (bad frame, refused peer). */
    e: serializedErrorSchema.optional(),
  }),
);

/** What a server may receive. */
export const clientFrameSchema = z.discriminatedUnion('t', [requestFrameSchema, cancelFrameSchema]);
/** What a client may receive. */
export const serverFrameSchema = z.union([responseFrameSchema, goawayFrameSchema]);

export type RequestFrame = z.infer<typeof requestFrameSchema>;
export type ResponseFrame = z.infer<typeof responseFrameSchema>;
export type CancelFrame = z.infer<typeof cancelFrameSchema>;
export type GoawayFrame = z.infer<typeof goawayFrameSchema>;
export type ClientFrame = z.infer<typeof clientFrameSchema>;
export type ServerFrame = z.infer<typeof serverFrameSchema>;
