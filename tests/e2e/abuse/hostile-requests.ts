import fc from 'fast-check';
import type { Operation } from './openapi-operations.ts';
import type { RawRequest } from './raw-http.ts';
import { hostileString, hostileValue, validValue, type Known } from './schema-values.ts';

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

/** Body text: JSON of a value, or raw text that is not what it claims to be. */
interface Body {
  text: string | Buffer;
  label: string;
  json: boolean;
}

function bodies(operation: Operation, known: Known): fc.Arbitrary<Body | undefined> {
  const hostileRoot = fc.oneof(
    hostileValue.map((value) => ({
      text: JSON.stringify(value) ?? 'null',
      label: 'hostile root',
      json: true,
    })),
    fc.constantFrom<Body>(
      { text: '{"title":', label: 'truncated JSON', json: false },
      { text: '{title: "x"}', label: 'not JSON', json: false },
      { text: '\ufeff{}', label: 'BOM before JSON', json: false },
      { text: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), label: 'invalid UTF-8', json: false },
      { text: `${'['.repeat(5_000)}${']'.repeat(5_000)}`, label: 'nested 5000 deep', json: true },
      { text: '{"a":1e400}', label: 'number beyond double', json: true },
      { text: JSON.stringify({ blob: 'x'.repeat(1_200_000) }), label: 'oversize 1.2 MB', json: true },
      { text: JSON.stringify({ blob: 'x'.repeat(70_000) }), label: 'oversize 70 kB', json: true },
    ),
  );
  if (operation.body === undefined) {
    return fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: hostileRoot });
  }
  const schema = operation.body;
  const valid = validValue(schema, known) as fc.Arbitrary<Record<string, unknown>>;
  const fields = Object.keys(schema.properties ?? {});
  const required = schema.required ?? [];
  const asJson = (label: string) => (value: Record<string, unknown>) => ({
    text: JSON.stringify(value),
    label,
    json: true,
  });
  const choices: fc.WeightedArbitrary<Body>[] = [
    { weight: 4, arbitrary: valid.map(asJson('valid body')) },
    { weight: 2, arbitrary: hostileRoot },
  ];
  if (fields.length > 0) {
    choices.push(
      {
        weight: 5,
        arbitrary: fc
          .tuple(valid, fc.constantFrom(...fields), hostileValue)
          .map(([body, field, value]) => asJson(`field ${field} hostile`)({ ...body, [field]: value })),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(valid, fc.constantFrom(...fields), hostileValue).map(([body, field, value]) => {
          // The same key twice: which one a parser keeps is exactly the kind of thing to pin down.
          const text = JSON.stringify(body);
          const duplicate = `${JSON.stringify(field)}:${JSON.stringify(value) ?? 'null'}`;
          return {
            text: text === '{}' ? `{${duplicate},${duplicate}}` : `{${duplicate},${text.slice(1)}`,
            label: `duplicate ${field}`,
            json: true,
          };
        }),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            valid,
            fc.constantFrom('__proto__', 'constructor', 'id', 'instructorId', 'status', 'roles', 'x'),
          )
          .map(([body, extra]) => ({
            text: `{${JSON.stringify(extra)}:{"polluted":true,"admin":true},${JSON.stringify(body).slice(1)}`.replace(
              ',}',
              '}',
            ),
            label: `unknown field ${extra}`,
            json: true,
          })),
      },
    );
  }
  if (required.length > 0) {
    choices.push({
      weight: 2,
      arbitrary: fc.tuple(valid, fc.constantFrom(...required)).map(([body, missing]) => {
        const rest = { ...body };
        delete rest[missing];
        return asJson(`missing ${missing}`)(rest);
      }),
    });
  }
  return fc.oneof(...choices);
}

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

/** Every string field of a value replaced by NUL, other fields kept. */
function nulStrings(value: unknown): unknown {
  if (typeof value === 'string') return '\u0000';
  if (Array.isArray(value)) return value.map(nulStrings);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, nulStrings(field)]));
  }
  return value;
}

/**
 * The cases every operation gets besides the random ones: the documented request, well formed and
 * authorised, with a NUL byte in one query parameter at a time (the others left out, so nothing
 * else refuses it first), and with a NUL byte in every string of an otherwise valid body.
 */
export function nulProbes(
  operation: Operation,
  known: Known,
  credentials: Credentials,
  seed: number,
): AbuseCase[] {
  const path = operation.parameters
    .filter((parameter) => parameter.in === 'path')
    .reduce(
      (template, parameter) => template.replace(`{${parameter.name}}`, known[parameter.name]?.[0] ?? '%00'),
      operation.template,
    );
  const probe = (target: string, body?: Buffer): AbuseCase => {
    const headers: [string, string][] = [['authorization', `Bearer ${credentials.valid}`]];
    if (body !== undefined)
      headers.push(['content-type', 'application/json'], ['content-length', String(body.length)]);
    return {
      summary: `NUL probe: ${operation.method} ${target}${body === undefined ? '' : ` | ${body.toString('utf8')}`}`,
      documentedType: true,
      request: { method: operation.method, target, headers, body },
    };
  };
  const validBody =
    operation.body === undefined
      ? undefined
      : Buffer.from(JSON.stringify(fc.sample(validValue(operation.body, known), { numRuns: 1, seed })[0]));
  const probes = operation.parameters
    .filter((parameter) => parameter.in === 'query')
    .map((parameter) => probe(`${path}?${parameter.name}=%00`, validBody));
  if (validBody !== undefined) {
    probes.push(probe(path, Buffer.from(JSON.stringify(nulStrings(JSON.parse(validBody.toString('utf8')))))));
  }
  return probes;
}

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
