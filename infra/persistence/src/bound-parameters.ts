import { isRaw, JsonProperty, Utils, type Platform } from '@mikro-orm/core';

/** SQL whose values travel beside it, never inside it. */
export interface BoundStatement {
  readonly sql: string;
  readonly parameters: unknown[];
}

export type BindingDialect = 'mysql' | 'sqlite';

/**
 * MikroORM 7 builds `?` placeholders and then writes every value into the SQL text
 * (`Platform.formatQuery`) before handing it to the driver: a NUL byte in a search ends SQLite's
 * string literal (a 500), and any log of that SQL reads like an injection. This keeps the
 * placeholders and hands the values to the driver as parameters instead. Identifiers (`??`) and
 * nested raw fragments are SQL the ORM wrote, so they stay in the text; arrays become one
 * placeholder per element, as the inlined form did.
 */
export function bindParameters(
  platform: Platform,
  dialect: BindingDialect,
  sql: string,
  params: readonly unknown[],
): BoundStatement {
  const parameters: unknown[] = [];
  let next = 0;
  let text = '';
  for (let at = 0; at < sql.length; at += 1) {
    const character = sql[at];
    if (character === '\\' && sql[at + 1] === '?') {
      text += '?';
      at += 1;
    } else if (character === '?' && sql[at + 1] === '?') {
      text += platform.quoteIdentifier(params[next++] as string);
      at += 1;
    } else if (character === '?') {
      text += placeholderFor(params[next++], platform, dialect, parameters);
    } else {
      text += character;
    }
  }
  return { sql: text, parameters };
}

function placeholderFor(
  value: unknown,
  platform: Platform,
  dialect: BindingDialect,
  into: unknown[],
): string {
  if (isRaw(value)) {
    const inner = bindParameters(platform, dialect, value.sql, value.params);
    into.push(...inner.parameters);
    return inner.sql;
  }
  if (Array.isArray(value) && !(value as { [JsonProperty]?: true })[JsonProperty]) {
    return value
      .map((item) =>
        Array.isArray(item)
          ? `(${placeholderFor(item, platform, dialect, into)})`
          : placeholderFor(item, platform, dialect, into),
      )
      .join(', ');
  }
  into.push(driverValue(value, dialect));
  return '?';
}

/** The value as the driver takes it: node:sqlite binds no booleans, dates or objects. */
function driverValue(value: unknown, dialect: BindingDialect): unknown {
  if (value === undefined || value === null) return null;
  if (Utils.isPlainObject(value) || (value as { [JsonProperty]?: true })[JsonProperty]) {
    return JSON.stringify(value);
  }
  if (dialect === 'mysql') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  // What SqlitePlatform writes for a date, so stored rows read back as they always have.
  if (value instanceof Date) return +value;
  return value;
}
