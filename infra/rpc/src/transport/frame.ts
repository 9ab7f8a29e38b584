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

/*
 * Every frame is checked against the schemas above, but zod's safeParse cost ≈1–2.5 µs per request
 * frame (a payload object per field, the metadata's nil scan, the union's tries), paid on every call.
 * The readers below accept the shapes nearly every frame has, checked field by field with the same
 * rules, and hand the decoded object on as it is (it is fresh from msgpack and nobody else holds
 * it). Anything else (a nil to drop, an unknown key, an error answer, a broken frame) goes through
 * zod, so zod still says what is wrong with a bad frame, word for word.
 */
const REQUEST_KEYS = new Set(['t', 'id', 's', 'm', 'p', 'md', 'to']);
const METADATA_STRINGS = ['correlationId', 'traceparent', 'tracestate', 'idempotencyKey'] as const;
const METADATA_KEYS = new Set([...METADATA_STRINGS, 'caller', 'expectedVersion']);
const CALLER_KEYS = new Set(['service', 'userId', 'roles']);

/** What a server received, checked as clientFrameSchema checks it. */
export function readClientFrame(raw: unknown): z.ZodSafeParseResult<ClientFrame> {
  if (isPlainRecord(raw) && isRequestId(raw['id'])) {
    if (raw['t'] === FRAME_TYPE.request && isCommonRequest(raw))
      return { success: true, data: raw as RequestFrame };
    if (raw['t'] === FRAME_TYPE.cancel && onlyKeys(raw, 2))
      return { success: true, data: raw as CancelFrame };
  }
  return clientFrameSchema.safeParse(raw);
}

/** What a client received, checked as serverFrameSchema checks it. */
export function readServerFrame(raw: unknown): z.ZodSafeParseResult<ServerFrame> {
  if (
    isPlainRecord(raw) &&
    raw['t'] === FRAME_TYPE.response &&
    raw['ok'] === true &&
    isRequestId(raw['id']) &&
    'r' in raw &&
    onlyKeys(raw, 4)
  ) {
    return { success: true, data: raw as ResponseFrame };
  }
  return serverFrameSchema.safeParse(raw);
}

function isCommonRequest(raw: Record<string, unknown>): boolean {
  const { s, m, md, to } = raw;
  if (typeof s !== 'string' || s.length === 0 || typeof m !== 'string' || m.length === 0) return false;
  if (!('p' in raw)) return false;
  if (to !== undefined && to !== null && (typeof to !== 'number' || !Number.isFinite(to) || to < 0))
    return false;
  if (md !== undefined && md !== null && !isCommonMetadata(md)) return false;
  for (const key in raw) if (!REQUEST_KEYS.has(key)) return false;
  return true;
}

/** Metadata without nils and unknown keys; the rest goes to zod, which drops nils and strips keys. */
function isCommonMetadata(md: unknown): boolean {
  if (!isPlainRecord(md)) return false;
  for (const key in md) if (!METADATA_KEYS.has(key)) return false;
  for (const key of METADATA_STRINGS) if (key in md && typeof md[key] !== 'string') return false;
  if ('expectedVersion' in md && !Number.isSafeInteger(md['expectedVersion'])) return false;
  if ('expectedVersion' in md && (md['expectedVersion'] as number) < 0) return false;
  if (!('caller' in md)) return true;
  const caller = md['caller'];
  if (!isPlainRecord(caller)) return false;
  for (const key in caller) if (!CALLER_KEYS.has(key)) return false;
  if ('service' in caller && typeof caller['service'] !== 'string') return false;
  if ('userId' in caller && typeof caller['userId'] !== 'string') return false;
  if (!('roles' in caller)) return true;
  const roles = caller['roles'];
  return Array.isArray(roles) && roles.every((role) => typeof role === 'string');
}

function isRequestId(id: unknown): boolean {
  return Number.isSafeInteger(id) && (id as number) >= 0 && (id as number) <= 0xffff_ffff;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function onlyKeys(raw: Record<string, unknown>, count: number): boolean {
  let keys = 0;
  for (const _key in raw) keys++;
  return keys === count;
}
