import { anchor, code, GENERATED_NOTICE, link, page, table } from './markdown.ts';
import { definitionOf, fieldTable, termsByRef } from './field-table.ts';
import type { PlatformMap } from './platform-map.ts';
import { consumedBy } from './render-context-page.ts';

export function eventHeading(type: string, context: string): string {
  return `${type} (${context})`;
}

/** `docs/events.md`: every event's producer, consumers, schema and version. */
export function renderEventCatalog(map: PlatformMap): string {
  const summary = table(
    ['Event', 'Version', 'Context', 'Aggregate', 'Produced by', 'Consumed by'],
    map.events.map((event) => [
      link(event.type, `#${anchor(eventHeading(event.type, event.context))}`),
      String(event.version),
      link(event.context, `ubiquitous-language/${event.context}.md`),
      event.aggregate,
      map.hostOf.get(event.context) ?? '',
      (map.consumersOf.get(`${event.context}.${event.type}`) ?? [])
        .map((consumer) => consumer.service)
        .join(', '),
    ]),
  );
  const sections = map.contexts.flatMap((context) => {
    const terms = termsByRef(context.glossary);
    const pagePath = `ubiquitous-language/${context.name}.md`;
    const events = map.events.filter((event) => event.context === context.name);
    if (events.length === 0) return [];
    return [
      `## ${context.name}`,
      ...events.map((event) => {
        const definition = context.contract.aggregates[event.aggregate]!.events[event.type]!;
        const payload = fieldTable({
          schema: definition.payload,
          io: 'output',
          prefix: event.type,
          terms,
          pagePath,
        });
        return page([
          `### ${eventHeading(event.type, event.context)}`,
          definitionOf(terms.get(event.type), pagePath),
          `Version ${event.version}. Produced by the ${event.aggregate} aggregate of the ${link(context.name, pagePath)} context, hosted by **${map.hostOf.get(event.context) ?? 'no data service'}**. ${consumedBy(map.consumersOf.get(`${event.context}.${event.type}`))}`,
          ...(event.topicSuffix === undefined
            ? []
            : [
                `Not written to an outbox: its producer ships it itself, on a topic of its own, the context's topic name followed by ${code(`.${event.topicSuffix}`)}.`,
              ]),
          payload === undefined ? 'Payload: none.' : `Payload:\n\n${payload}`,
        ]).trimEnd();
      }),
    ];
  });
  return page([
    '# Event catalog',
    GENERATED_NOTICE,
    `Every domain event the contexts publish. An event is written to its data service's outbox in the same transaction as the change it records, then published on its context's topic keyed by the aggregate's id (unless its section below says it travels otherwise); its payload is checked against the schema below, and a breaking change to a payload is a new ${code('version')}, never an edit. Consumers are those ${code('config/topology.ts')} names; the ${link('context map', 'context-map.md')} draws the flows.`,
    summary,
    ...sections,
  ]);
}
