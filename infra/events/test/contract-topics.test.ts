import { describe, expect, it } from '@jest/globals';
import { aggregate, defineContract, event, firstVersionEvents, z } from '@strata/shared-kernel';
import { contractTopics } from '../src/contract-event-catalog.ts';

const view = z.object({ id: z.uuid() });

describe('the topics of a contract', () => {
  it('are its context topic, then one per suffix its self-shipped events share', () => {
    const contract = defineContract({
      context: 'links',
      aggregates: {
        Link: aggregate({
          id: z.uuid(),
          view,
          events: {
            LinkCreated: event({ version: 1, payload: view }),
            ...firstVersionEvents({ Visited: view, VisitsRecorded: view }, { topicSuffix: 'visits' }),
          },
        }),
      },
    });
    expect(contractTopics(contract)).toEqual(['strata.links.events', 'strata.links.events.visits']);
    expect(contractTopics(contract, 'ns1')).toEqual([
      'strata.ns1.links.events',
      'strata.ns1.links.events.visits',
    ]);
  });

  it('are its context topic alone when every event goes through the outbox', () => {
    const contract = defineContract({
      context: 'catalog',
      aggregates: {
        Course: aggregate({
          id: z.uuid(),
          view,
          events: { CoursePublished: event({ version: 1, payload: view }) },
        }),
      },
    });
    expect(contractTopics(contract)).toEqual(['strata.catalog.events']);
  });
});
