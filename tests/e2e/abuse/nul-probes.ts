import fc from 'fast-check';
import type { AbuseCase, Credentials } from './hostile-requests.ts';
import type { Operation } from './openapi-operations.ts';
import { validValue, type Known } from './schema-values.ts';

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
