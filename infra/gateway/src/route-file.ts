import { readFile } from 'node:fs/promises';
import { z } from '@strata/shared-kernel';

const prefixSchema = z
  .string()
  .regex(
    /^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?$/,
    'must start with "/", have no trailing "/" and only plain segments',
  )
  .refine((value) => !value.split('/').some((segment) => segment === '.' || segment === '..'), {
    message: 'must not contain "." or ".." segments',
  });

const authSchema = z.strictObject({
  /** Every listed role must be in the token's `roles` claim. */
  roles: z.array(z.string().min(1)).default([]),
});

const rateLimitSchema = z.strictObject({
  limit: z.number().int().min(1),
  periodSeconds: z.number().positive().max(86_400),
});

const corsSchema = z.strictObject({
  origins: z.array(z.union([z.literal('*'), z.url()])).min(1),
  /** Narrows what a preflight allows; absent, it allows every method the gateway forwards. */
  methods: z
    .array(z.string().regex(/^[A-Z]+$/, 'must be an upper-case HTTP method'))
    .min(1)
    .optional(),
  headers: z.array(z.string().min(1)).default(['authorization', 'content-type', 'x-request-id']),
  credentials: z.boolean().default(false),
  maxAgeSeconds: z.number().int().min(0).default(600),
});

const routeSchema = z.strictObject({
  /** Names the route in metrics, logs and rate-limit keys. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and "-"'),
  prefix: prefixSchema,
  /** The application service name instances register under. */
  service: z
    .string()
    .min(1)
    .regex(/^[^/]+$/, 'must not contain "/"'),
  /**
   * What to remove from the path before forwarding: `true` removes the route's prefix, a path removes
   * that leading part (so `/api/learner/courses` can be its own route yet reach learner-api's
   * `/courses`), `false` forwards the path as it came.
   */
  stripPrefix: z.union([z.boolean(), prefixSchema]).default(false),
  timeoutMs: z.number().int().min(1).max(300_000).default(10_000),
  bodyLimitBytes: z.number().int().min(0).default(1_048_576),
  /**
   * The route serves long-lived streams (server-sent events, WebSocket upgrades): no body timeout
   * (the upstream's heartbeats keep it alive, a client leaving ends it) and WebSocket upgrades are
   * tunnelled, which no other route allows. `timeoutMs` still bounds the wait for the answer's head.
   */
  streaming: z.boolean().default(false),
  /** Further instances tried after a failed attempt; only for idempotent methods. */
  retries: z.number().int().min(0).max(5).default(1),
  plugins: z
    .strictObject({
      auth: authSchema.optional(),
      rateLimit: rateLimitSchema.optional(),
      cors: corsSchema.optional(),
    })
    .default({}),
});

export const routeFileSchema = z
  .strictObject({
    version: z.literal(1),
    routes: z.array(routeSchema),
  })
  .superRefine((file, context) => {
    // A route's name and prefix are each its own: the first route to use one keeps it.
    const seen = { name: new Map<string, number>(), prefix: new Map<string, number>() };
    file.routes.forEach((route, index) => {
      if (
        typeof route.stripPrefix === 'string' &&
        route.prefix !== route.stripPrefix &&
        !route.prefix.startsWith(`${route.stripPrefix}/`)
      ) {
        context.addIssue({
          code: 'custom',
          path: ['routes', index, 'stripPrefix'],
          message: `must be a leading part of the route's prefix ${route.prefix}`,
        });
      }
      for (const field of ['name', 'prefix'] as const) {
        const first = seen[field].get(route[field]);
        if (first === undefined) {
          seen[field].set(route[field], index);
        } else {
          context.addIssue({
            code: 'custom',
            path: ['routes', index, field],
            message: `duplicates routes.${first}.${field}`,
          });
        }
      }
    });
  });

export type RouteFile = z.output<typeof routeFileSchema>;
export type Route = RouteFile['routes'][number];

export type RouteFileResult =
  | { readonly ok: true; readonly file: RouteFile }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Validates a parsed route file; errors name the field path and the reason. */
export function validateRouteFile(input: unknown): RouteFileResult {
  const parsed = routeFileSchema.safeParse(input);
  if (parsed.success) return { ok: true, file: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  };
}

/** Parses route file text (JSON); a syntax error is reported like a field error. */
export function parseRouteFileText(text: string): RouteFileResult {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`(root): not valid JSON: ${(error as Error).message}`] };
  }
  return validateRouteFile(input);
}

export async function loadRouteFile(path: string): Promise<RouteFileResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { ok: false, errors: [`(file): cannot read ${path}: ${(error as Error).message}`] };
  }
  return parseRouteFileText(text);
}
