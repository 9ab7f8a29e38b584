import fc from 'fast-check';
import type { Operation } from './openapi-operations.ts';
import { hostileValue, validValue, type Known } from './schema-values.ts';

// The bodies of abusive requests: valid, with one field hostile, a field duplicated, missing or
// unknown, or replaced by a hostile root, garbage text, invalid UTF-8 or an oversize document.

/** Body text: JSON of a value, or raw text that is not what it claims to be. */
export interface Body {
  text: string | Buffer;
  label: string;
  json: boolean;
}

export function bodies(operation: Operation, known: Known): fc.Arbitrary<Body | undefined> {
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
