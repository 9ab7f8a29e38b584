import fc from 'fast-check';
import type { Operation } from './openapi-operations.ts';
import type { RawRequest } from './raw-http.ts';
import { bodies } from './hostile-bodies.ts';
import { hostileString, validValue, type Known } from './schema-values.ts';

// One abusive request for one documented operation, as a fast-check arbitrary: the documented
// method or an odd one, path and query parameters valid or hostile, a body valid, mutated
// (a field of the wrong type, a missing or duplicated field, an unknown one), replaced by
// garbage or oversized, sent under the documented content type or another, with or without a
// usable token. Every request is well framed; framing-level abuse is framing-requests.ts.

export interface Credentials {
  /** A token of a user with every role the operation's route needs (the acting fuzz owner). */
  valid: string;
  /** A signed-in user without the instructor role. */
  learnerOnly: string;
}

export interface AbuseCase {
  /** One line for a report: what was sent, without the huge parts. */
  summary: string;
  request: RawRequest;
  /**
   * Whether the body goes under the documented media type, application/json (or there is none).
   * Otherwise a 2xx is a finding: what the document does not describe is refused (415).
   */
  documentedType: boolean;
}

const ODD_METHODS = ['HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'FOO', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ODD_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=strata',
  'application/xml',
  'application/problem+json',
  'application/json, text/html',
  '*/*',
  '',
];
// JSON is UTF-8 whatever a charset parameter says (RFC 8259 §8.1): all of these are the documented type.
const JSON_CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
];

/** Percent-encodes the UTF-8 of any string, lone surrogates included (encodeURIComponent throws on those). */
function percentEncode(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

function pathValue(name: string, known: Known): fc.Arbitrary<string> {
  const ids = known[name] ?? [];
  return fc.oneof(
    { weight: ids.length > 0 ? 8 : 0, arbitrary: ids.length > 0 ? fc.constantFrom(...ids) : fc.uuid() },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: hostileString.map(percentEncode) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('%', '%zz', '%00', '..', '%2e%2e%2f', 'a'.repeat(2_000), '', ' '),
    },
  );
}

function queryString(operation: Operation, known: Known): fc.Arbitrary<string> {
  const declared = operation.parameters.filter((parameter) => parameter.in === 'query');
  const pairs = declared.map((parameter) =>
    fc.option(
      fc.oneof(
        {
          weight: 4,
          arbitrary: validValue(parameter.schema, known, parameter.name).map(
            (value) => `${parameter.name}=${percentEncode(String(value))}`,
          ),
        },
        {
          weight: 3,
          arbitrary: hostileString.map((value) => `${parameter.name}=${percentEncode(value)}`),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            `${parameter.name}=1&${parameter.name}=2`,
            `${parameter.name}[]=1`,
            `${parameter.name}[a]=1`,
            `${parameter.name}=`,
            parameter.name,
            `${parameter.name}=%zz`,
            `${parameter.name}=%00`,
          ),
        },
      ),
      { freq: 2 },
    ),
  );
  const extra = fc.option(
    fc.constantFrom('__proto__[admin]=1', 'a[]=1&a[]=2', '=', '&&&', `x=${'y'.repeat(3_000)}`),
    {
      freq: 4,
    },
  );
  return fc.tuple(fc.tuple(...pairs), extra).map(([chosen, more]) => {
    const parts = [...chosen, more].filter((part): part is string => part !== null);
    return parts.length === 0 ? '' : `?${parts.join('&')}`;
  });
}

function authorization(operation: Operation, credentials: Credentials): fc.Arbitrary<string | null> {
  const odd = fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Bearer x.y.z',
    'Basic YTpi',
    `Bearer ${'a'.repeat(9_000)}`,
    `Bearer ${credentials.learnerOnly}`,
    `Bearer ${credentials.valid.slice(0, -4)}AAAA`,
    `bearer ${credentials.valid}`,
  );
  return fc.oneof(
    {
      weight: operation.template.startsWith('/api/account') ? 2 : 8,
      arbitrary: fc.constant(`Bearer ${credentials.valid}`),
    },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: odd },
  );
}

const extraHeaders = fc.option(
  fc.constantFrom<[string, string][]>(
    [['x-forwarded-for', '10.0.0.1']],
    [['accept', 'application/xml']],
    [['content-encoding', 'gzip']],
    [['accept-encoding', 'x'.repeat(5_000)]],
    [['origin', 'https://evil.example']],
    Array.from({ length: 120 }, (_, index) => [`x-filler-${index}`, 'v'] as [string, string]),
  ),
  { freq: 3 },
);

export function abuseCase(
  operation: Operation,
  known: Known,
  credentials: Credentials,
): fc.Arbitrary<AbuseCase> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const path = fc
    .tuple(...pathParameters.map((parameter) => pathValue(parameter.name, known)))
    .map((values) =>
      pathParameters.reduce(
        (template, parameter, index) => template.replace(`{${parameter.name}}`, values[index]!),
        operation.template,
      ),
    );
  const method = fc.oneof(
    { weight: 8, arbitrary: fc.constant(operation.method) },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_METHODS) },
  );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...JSON_CONTENT_TYPES) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_CONTENT_TYPES) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
  return fc
    .record({
      method,
      path,
      query: queryString(operation, known),
      body: bodies(operation, known),
      contentType,
      authorization: authorization(operation, credentials),
      extra: extraHeaders,
    })
    .map(({ method: sent, path: target, query, body, contentType: type, authorization: auth, extra }) => {
      const headers: [string, string][] = [];
      if (auth !== null) headers.push(['authorization', auth]);
      let payload: Buffer | undefined;
      if (body !== undefined) {
        payload = typeof body.text === 'string' ? Buffer.from(body.text, 'utf8') : body.text;
        // A form body says the same fields as the JSON would, so a server that parses forms acts on it.
        if (type === 'application/x-www-form-urlencoded' && body.json) {
          try {
            const parsed = JSON.parse(payload.toString('utf8')) as unknown;
            if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
              payload = Buffer.from(new URLSearchParams(parsed as Record<string, string>).toString());
            }
          } catch {
            // Not JSON after all: sent as it is.
          }
        }
        if (type !== null) headers.push(['content-type', type]);
        headers.push(['content-length', String(payload.length)]);
      }
      headers.push(...(extra ?? []));
      const documentedType = body === undefined || (type !== null && JSON_CONTENT_TYPES.includes(type));
      const shown = (text: string) => (text.length > 160 ? `${text.slice(0, 160)}…(${text.length})` : text);
      const summary = [
        `${sent} ${shown(target + query)}`,
        body === undefined ? 'no body' : `${body.label}: ${shown(payload!.toString('utf8'))}`,
        `content-type ${type ?? '(none)'}`,
        `authorization ${auth === null ? '(none)' : shown(auth.replace(credentials.valid, '<token>').replace(credentials.valid.slice(0, -4), '<token>').replace(credentials.learnerOnly, '<learner token>'))}`,
        ...(extra === null ? [] : [`+${extra.length} header(s) ${extra[0]![0]}`]),
      ].join(' | ');
      return {
        summary,
        documentedType,
        request: { method: sent, target: target + query, headers, body: payload },
      };
    });
}
