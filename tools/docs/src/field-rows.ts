import { MULTILINE_TEXT, SINGLE_LINE_TEXT, z } from '@strata/shared-kernel';

/** One row of a field table: a field (or a nested one, `price.amount`, `lessons[].title`) as a reader sees it. */
export interface FieldRow {
  /** `title`, `price.amount`, `lessons[].title`. */
  readonly path: string;
  /** The top-level field this row belongs to, whose glossary definition applies. */
  readonly field: string;
  readonly nested: boolean;
  readonly type: string;
  readonly constraints: readonly string[];
}

interface JsonSchema {
  /** A list for a union of plain types: zod writes a nullable string as `["string", "null"]`. */
  type?: string | readonly string[];
  format?: string;
  pattern?: string;
  enum?: readonly unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  anyOf?: readonly JsonSchema[];
}

/**
 * Flattens an object schema into rows. Goes through zod's own JSON Schema export, so every
 * constraint zod knows (lengths, bounds, formats, enums, defaults) shows without us re-reading
 * zod internals. `io: 'input'` shows what a caller may send (defaults make a field optional).
 */
export function fieldRows(schema: z.ZodType, io: 'input' | 'output'): FieldRow[] {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  const rows: FieldRow[] = [];
  if (json.type === 'object') objectRows(json, '', undefined, rows);
  return rows;
}

function objectRows(json: JsonSchema, prefix: string, field: string | undefined, rows: FieldRow[]): void {
  const required = new Set(json.required ?? []);
  for (const [name, property] of Object.entries(json.properties ?? {})) {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    const { schema, nullable } = unwrapNullable(property);
    const constraints: string[] = [];
    if (!required.has(name)) constraints.push('optional');
    if (property.default !== undefined) constraints.push(`default ${code(JSON.stringify(property.default))}`);
    if (nullable) constraints.push('may be null');
    constraints.push(...constraintsOf(schema));
    rows.push({ path, field: field ?? name, nested: field !== undefined, type: typeOf(schema), constraints });
    const top = field ?? name;
    if (schema.type === 'object') objectRows(schema, path, top, rows);
    if (schema.type === 'array' && schema.items?.type === 'object')
      objectRows(schema.items, `${path}[]`, top, rows);
  }
}

function unwrapNullable(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  if (Array.isArray(schema.type) && schema.type.includes('null')) {
    const rest = schema.type.filter((type) => type !== 'null');
    return { schema: { ...schema, type: rest.length === 1 ? rest[0] : rest }, nullable: true };
  }
  const branches = schema.anyOf;
  if (branches?.length === 2 && branches.some((branch) => branch.type === 'null')) {
    return { schema: branches.find((branch) => branch.type !== 'null')!, nullable: true };
  }
  return { schema, nullable: false };
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum !== undefined) return 'enum';
  if (schema.const !== undefined) return `constant ${code(JSON.stringify(schema.const))}`;
  if (schema.anyOf !== undefined) return schema.anyOf.map(typeOf).join(' or ');
  switch (schema.type) {
    case 'string':
      return schema.format === undefined ? 'string' : `string (${schema.format})`;
    case 'array':
      return `list of ${schema.items === undefined ? 'any' : typeOf(schema.items)}`;
    case 'object':
      return 'object';
    case undefined:
      return 'any';
    default:
      return typeof schema.type === 'string' ? schema.type : schema.type.join(' or ');
  }
}

function constraintsOf(schema: JsonSchema): string[] {
  const constraints: string[] = [];
  if (schema.enum !== undefined)
    constraints.push(`one of ${schema.enum.map((value) => code(String(value))).join(', ')}`);
  const length = range(schema.minLength, schema.maxLength, 'characters');
  if (length !== undefined) constraints.push(length);
  const items = range(schema.minItems, schema.maxItems, 'items');
  if (items !== undefined) constraints.push(items);
  // z.int() bounds itself to the safe integers; that is the type speaking, not a rule worth a column.
  const bound = (value: number | undefined): number | undefined =>
    value === undefined || Math.abs(value) === Number.MAX_SAFE_INTEGER ? undefined : value;
  const low = bound(schema.minimum ?? schema.exclusiveMinimum);
  const high = bound(schema.maximum ?? schema.exclusiveMaximum);
  if (low !== undefined || high !== undefined) {
    const from =
      low === undefined ? undefined : `${schema.exclusiveMinimum === undefined ? 'from' : 'above'} ${low}`;
    const to =
      high === undefined ? undefined : `${schema.exclusiveMaximum === undefined ? 'to' : 'below'} ${high}`;
    const exclusive = schema.exclusiveMinimum !== undefined || schema.exclusiveMaximum !== undefined;
    constraints.push([from, to].filter((part) => part !== undefined).join(exclusive ? ' and ' : ' '));
  }
  // A format (uuid, email, date-time) already names the shape its generated pattern spells out;
  // the kernel's plain-text rule is said in words, as its refusals say it.
  if (schema.pattern === SINGLE_LINE_TEXT.source) constraints.push('one line, no control characters');
  else if (schema.pattern === MULTILINE_TEXT.source)
    constraints.push('no control characters but line breaks and tabs');
  else if (schema.pattern !== undefined && schema.format === undefined)
    constraints.push(`matches ${code(schema.pattern)}`);
  if (schema.type === 'array' && schema.items !== undefined && schema.items.type !== 'object') {
    constraints.push(...constraintsOf(schema.items).map((constraint) => `each ${constraint}`));
  }
  return constraints;
}

function range(min: number | undefined, max: number | undefined, unit: string): string | undefined {
  if (min !== undefined && max !== undefined)
    return min === max ? `exactly ${min} ${unit}` : `${min} to ${max} ${unit}`;
  if (min === 1) return 'not empty';
  if (min !== undefined) return `at least ${min} ${unit}`;
  if (max !== undefined) return `at most ${max} ${unit}`;
  return undefined;
}

function code(text: string): string {
  return `\`${text}\``;
}
