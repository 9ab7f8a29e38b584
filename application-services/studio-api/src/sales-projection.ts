import { EventProcessor, type EventBroker, type EventEnvelope } from '@strata/events';
import { orderingContract, type OrderView } from '@strata/ordering/contract';
import type { z } from '@strata/shared-kernel';
import type { SaleChange } from './sale-change.ts';
import { SalesInbox, type SalesSession } from './sales-inbox.ts';
import type { SalesReadModel } from './sales-read-model.ts';

export const DEFAULT_SALES_CONSUMER_GROUP = 'studio-api.sales';

const orderEvents = orderingContract.aggregates.Order.events as Record<
  string,
  { version: number; payload: z.ZodType }
>;

/** Both events carry the order's lines (validated against the contract before a handler runs). */
type LinesPayload = { lines: OrderView['lines'] };

function changeOf(envelope: EventEnvelope, kind: SaleChange['kind']): SaleChange {
  return { eventId: envelope.id, kind, lines: (envelope.payload as LinesPayload).lines };
}

/**
 * The processor feeding the sales read model: OrderPaid counts every line of the order as sold,
 * OrderRefunded as refunded; ordering's other events are acknowledged and skipped. Every envelope
 * is checked against the ordering contract's payload schema for its type and version; one that
 * fails is dead-lettered, never counted.
 */
export function salesProcessor(options: {
  readModel: SalesReadModel;
  consumerGroup: string;
  deadLetters: EventBroker;
  onError?: (error: unknown, context: string) => void;
}): EventProcessor<SalesSession> {
  const apply = (kind: SaleChange['kind']) => async (envelope: EventEnvelope, session: SalesSession) => {
    session.outcome = await options.readModel.apply(changeOf(envelope, kind));
  };
  return new EventProcessor<SalesSession>({
    consumerGroup: options.consumerGroup,
    handlers: { OrderPaid: apply('paid'), OrderRefunded: apply('refunded') },
    inbox: new SalesInbox(),
    schema: (type, version) => {
      const event = orderEvents[type];
      return event?.version === version ? event.payload : undefined;
    },
    deadLetters: options.deadLetters,
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
}
