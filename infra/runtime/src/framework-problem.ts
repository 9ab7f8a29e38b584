import { httpProblem, type ProblemResponse } from './problem-details.ts';

/** Fastify's own refusals carry a 4xx `statusCode` and an `FST_` code. */
export interface FrameworkError {
  statusCode: number;
  code?: string;
  message: string;
}

export function isFrameworkError(error: unknown): error is FrameworkError {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return error instanceof Error && typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Stable slugs and plain details for the refusals a client meets most, named like the gateway's
 * (`body-too-large` from either hop); their messages may echo the whole path, so they are not sent.
 */
const KNOWN: Record<string, { reason: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { reason: 'body-too-large', detail: 'the request body is over the limit' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    reason: 'unsupported-media-type',
    detail: 'this API accepts request bodies as application/json only',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { reason: 'malformed-json', detail: 'the request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    reason: 'malformed-json',
    detail: 'the request says application/json but its body is empty',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    reason: 'bad-content-length',
    detail: 'the Content-Length does not match the body',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    reason: 'path-parameter-too-long',
    detail: 'a path parameter is longer than 100 characters',
  },
  FST_ERR_BAD_URL: { reason: 'bad-url', detail: 'the path is not a valid URL component' },
};

/** A framework refusal as problem+json: a known code by its slug, any other by its status. */
export function frameworkProblem(error: FrameworkError): ProblemResponse {
  const known = error.code === undefined ? undefined : KNOWN[error.code];
  if (known !== undefined) return httpProblem(error.statusCode, known.detail, known.reason);
  // A JSON syntax error from the parser has no code but says what is wrong: worth sending.
  if (error instanceof SyntaxError) return httpProblem(400, error.message, 'malformed-json');
  return httpProblem(error.statusCode, error.message, `http-${error.statusCode}`);
}
