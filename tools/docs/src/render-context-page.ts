import {
  contractElements,
  contractMethods,
  DEFAULT_PAGE_LIMIT,
  IMPLICIT_GET,
  MAX_PAGE_LIMIT,
  type AggregateDefinition,
  type ContractElement,
  type GlossaryTerm,
  type MethodDefinition,
  type z,
} from '@strata/shared-kernel';
import { definitionOf, fieldTable, termsByRef } from './field-table.ts';
import type { DocumentedContext } from './load-platform.ts';
import { anchor, code, GENERATED_NOTICE, link, page } from './markdown.ts';
import type { Consumer, PlatformMap } from './platform-map.ts';

export const PAGING_DEFINITIONS: Readonly<Record<string, string>> = {
  cursor: 'Paging: where to go on from, the `nextCursor` of the previous page; absent for the first page.',
  limit: `Paging: how many items a page holds at most (${DEFAULT_PAGE_LIMIT} unless asked, ${MAX_PAGE_LIMIT} at most).`,
};

export function aggregateHeading(aggregate: string): string {
  return `${aggregate} aggregate`;
}

/** Where on its context page a contract element is described. */
export function elementAnchor(element: ContractElement): string {
  switch (element.kind) {
    case 'aggregate':
    case 'view-field':
      return anchor(aggregateHeading(element.aggregate));
    case 'input-field':
      return anchor(element.ref.slice(0, element.ref.lastIndexOf('.')));
    case 'payload-field':
      return anchor(element.ref.slice(0, element.ref.indexOf('.')));
    default:
      return anchor(element.ref);
  }
}

/** One sentence naming an event's consumers from the topology. */
export function consumedBy(consumers: readonly Consumer[] | undefined): string {
  if (consumers === undefined || consumers.length === 0) return 'No service consumes it yet.';
  return `Consumed by ${consumers.map(({ service, kind }) => `**${service}** (${kind})`).join(', ')}.`;
}

/** `docs/ubiquitous-language/<context>.md`: the terms, then every aggregate's methods and events. */
export function renderContextPage(context: DocumentedContext, map: PlatformMap): string {
  const { contract, glossary } = context;
  const terms = termsByRef(glossary);
  const elements = new Map(contractElements(contract).map((element) => [element.ref, element]));
  const host = map.hostOf.get(context.name);
  const callers = [...map.applicationServices]
    .filter(([, contexts]) => contexts.includes(context.name))
    .map(([service]) => `**${service}**`);

  const intro = [
    `The **${context.name}** context`,
    host === undefined ? '' : `, hosted by the data service **${host}**`,
    callers.length === 0 ? '' : `; called by the application services ${callers.join(', ')}`,
    `. Its events, with who consumes them, are in the ${link('event catalog', '../events.md')}; where it sits among the other contexts, in the ${link('context map', '../context-map.md')}.`,
  ].join('');

  const termSections = glossary.terms.map((term) => renderTerm(term, elements));
  const aggregateSections = Object.entries(contract.aggregates).map(([name, definition]) =>
    renderAggregate(context, name, definition, terms, map),
  );
  return page([
    `# ${context.name}: ubiquitous language`,
    GENERATED_NOTICE,
    intro,
    `Source: ${code(`${context.dir}/src/contract.ts`)} and ${code(`${context.dir}/src/glossary.ts`)}.`,
    '## Terms',
    ...termSections,
    ...aggregateSections,
  ]);
}

function renderTerm(term: GlossaryTerm, elements: ReadonlyMap<string, ContractElement>): string {
  const carriers = term.refs.map((ref) => {
    const element = elements.get(ref);
    // The glossary check reports refs to nothing; the page still renders so the report can be read.
    if (element === undefined) return `${code(ref)} (declared nowhere)`;
    const kind = element.kind.endsWith('-field') ? 'field' : element.kind;
    return `${link(ref, `#${elementAnchor(element)}`)} (${kind})`;
  });
  return page([
    `### ${term.term}`,
    term.definition,
    term.avoid === undefined || term.avoid.length === 0
      ? undefined
      : `Avoid: ${term.avoid.map((word) => `*${word}*`).join(', ')}.`,
    `Carried by: ${carriers.join(', ')}.`,
  ]).trimEnd();
}

function renderAggregate(
  context: DocumentedContext,
  name: string,
  definition: AggregateDefinition,
  terms: ReadonlyMap<string, readonly GlossaryTerm[]>,
  map: PlatformMap,
): string {
  const methods = contractMethods(context.contract);
  const viewLink = link(`${name} view`, `#${anchor(aggregateHeading(name))}`);
  const method = (methodName: string, kind: string, spec: MethodDefinition, note: string): string => {
    const path = `${name}.${methodName}`;
    // A finder's input as the wire takes it, with the paging fields every finder shares.
    const wire = methods.get(path)!.payload as z.ZodObject;
    const input = spec.kind === 'finder' ? (wire.shape.input as z.ZodType) : spec.input;
    const inputTable = fieldTable({
      schema: input,
      io: 'input',
      prefix: path,
      terms,
      pagePath: '',
      extraDefinitions: spec.kind === 'finder' ? PAGING_DEFINITIONS : undefined,
    });
    return page([
      `#### ${path}`,
      `${kind}. ${definitionOf(terms.get(path), '')}`,
      note,
      inputTable === undefined ? 'Input: none.' : `Input:\n\n${inputTable}`,
      answer(spec, viewLink),
    ]).trimEnd();
  };
  const sections: string[] = [
    `## ${aggregateHeading(name)}`,
    definitionOf(terms.get(name), ''),
    `The ${name} view: what every method below answers unless it says otherwise, and what ${code(`${name}.${IMPLICIT_GET}`)} answers when reading one ${name} by id (every aggregate has that query).`,
    fieldTable({ schema: definition.view, io: 'output', prefix: name, terms, pagePath: '' }) ??
      'The view has no fields.',
  ];
  const creations = Object.entries(definition.creations);
  if (creations.length > 0) {
    sections.push(
      `### ${name} creations`,
      ...creations.map(([methodName, spec]) =>
        method(methodName, 'Creation', spec, `Makes a new ${name}; not retried without an idempotency key.`),
      ),
    );
  }
  const commands = Object.entries(definition.commands);
  if (commands.length > 0) {
    sections.push(
      `### ${name} commands`,
      ...commands.map(([methodName, spec]) =>
        method(
          methodName,
          'Command',
          spec,
          spec.idempotent
            ? `Changes one ${name}, addressed by id. **Idempotent**: doing it twice has the effect of doing it once, so it is retried freely.`
            : `Changes one ${name}, addressed by id. **Not idempotent**: each call has its own effect, so it is retried only with an idempotency key.`,
        ),
      ),
    );
  }
  const queries = Object.entries(definition.queries);
  if (queries.length > 0) {
    sections.push(
      `### ${name} queries`,
      ...queries.map(([methodName, spec]) =>
        spec.kind === 'finder'
          ? method(methodName, 'Finder', spec, `Searches across ${name}s, one page at a time; safe to retry.`)
          : method(methodName, 'Query', spec, `Reads one ${name}, addressed by id; safe to retry.`),
      ),
    );
  }
  const events = Object.entries(definition.events);
  if (events.length > 0) {
    sections.push(
      `### ${name} events`,
      ...events.map(([type, spec]) => {
        const payload = fieldTable({ schema: spec.payload, io: 'output', prefix: type, terms, pagePath: '' });
        return page([
          `#### ${type}`,
          `Event, version ${spec.version}. ${definitionOf(terms.get(type), '')}`,
          `Published by the ${name} aggregate. ${consumedBy(map.consumersOf.get(`${context.name}.${type}`))}`,
          payload === undefined ? 'Payload: none.' : `Payload:\n\n${payload}`,
        ]).trimEnd();
      }),
    );
  }
  return page(sections).trimEnd();
}

function answer(spec: MethodDefinition, viewLink: string): string {
  if (spec.kind === 'finder') {
    const item = spec.item === undefined ? `${viewLink}s` : 'items of the shape below';
    const itemTable =
      spec.item === undefined
        ? undefined
        : fieldTable({ schema: spec.item, io: 'output', prefix: undefined, terms: new Map(), pagePath: '' });
    return page([
      `Answers: a page of ${item}: ${code('items')}, and ${code('nextCursor')} to ask for the next page (null on the last one).`,
      itemTable,
    ]).trimEnd();
  }
  if (spec.output === undefined) return `Answers: the ${viewLink}.`;
  const outputTable = fieldTable({
    schema: spec.output,
    io: 'output',
    prefix: undefined,
    terms: new Map(),
    pagePath: '',
  });
  return outputTable === undefined ? 'Answers: nothing.' : `Answers:\n\n${outputTable}`;
}
