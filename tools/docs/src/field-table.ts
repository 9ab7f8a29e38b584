import type { Glossary, GlossaryTerm, z } from '@strata/shared-kernel';
import { fieldRows } from './field-rows.ts';
import { anchor, code, link, table } from './markdown.ts';

/** The terms naming each contract element, in glossary order. */
export function termsByRef(glossary: Glossary): Map<string, GlossaryTerm[]> {
  const byRef = new Map<string, GlossaryTerm[]>();
  for (const term of glossary.terms) {
    for (const ref of term.refs) byRef.set(ref, [...(byRef.get(ref) ?? []), term]);
  }
  return byRef;
}

/** `pagePath` is where the context's terms live relative to the page being written ('' on that page). */
export function termLink(term: GlossaryTerm, pagePath: string): string {
  return link(term.term, `${pagePath}#${anchor(term.term)}`);
}

/** A term's definition for a field, its other terms as links, or what the generator itself knows. */
export function definitionOf(terms: readonly GlossaryTerm[] | undefined, pagePath: string): string {
  if (terms === undefined || terms.length === 0) return '';
  const [first, ...others] = terms;
  const also =
    others.length === 0 ? '' : ` See also ${others.map((term) => termLink(term, pagePath)).join(', ')}.`;
  return `${termLink(first!, pagePath)}: ${first!.definition}${also}`;
}

/**
 * A field table: each field's type and constraints from its zod schema, its definition from the
 * glossary (by `<prefix>.<field>`), and nested fields (`price.amount`) under their parent.
 */
export function fieldTable(options: {
  schema: z.ZodType;
  io: 'input' | 'output';
  /** The element whose fields these are, e.g. `Course.addLesson`; undefined for tables with no glossary refs. */
  prefix: string | undefined;
  terms: ReadonlyMap<string, readonly GlossaryTerm[]>;
  pagePath: string;
  /** Definitions the generator supplies for fields no contract declares (paging). */
  extraDefinitions?: Readonly<Record<string, string>>;
}): string | undefined {
  const rows = fieldRows(options.schema, options.io);
  if (rows.length === 0) return undefined;
  return table(
    ['Field', 'Type', 'Constraints', 'Definition'],
    rows.map((row) => [
      code(row.path),
      row.type,
      row.constraints.join('; '),
      row.nested
        ? `Part of ${code(row.field)}.`
        : (options.extraDefinitions?.[row.field] ??
          (options.prefix === undefined
            ? ''
            : definitionOf(options.terms.get(`${options.prefix}.${row.field}`), options.pagePath))),
    ]),
  );
}
