import { Checkout, type CheckoutSnapshot, type CheckoutStep } from '@strata/ordering';
import { aggregateMapping, recordSchema } from '@strata/persistence';

/** A checkout as the `checkouts` table holds it: the saga's row, its outbox of commands inside. */
export interface CheckoutRecord {
  /** The order's id: one checkout per order. */
  id: string;
  version: number;
  learnerId: string;
  step: CheckoutStep;
  deadline: Date | null;
  attempts: number;
  lastError: string | null;
  /** How many commands it still has to send: the sweep reads this, not the JSON. */
  pendingCommands: number;
  snapshot: CheckoutSnapshot;
  startedAt: Date;
  updatedAt: Date;
}

/*
 * The snapshot is the checkout's whole truth (state and outgoing commands), one JSON column written
 * in the same row as the decision, so a decision and its commands commit together. The other
 * columns repeat what an operator and the job sweep ask about (step, deadline, attempts, last error,
 * pending commands), so those questions are plain indexed SQL, never JSON functions.
 */
export const checkoutRecordSchema = recordSchema<CheckoutRecord>({
  name: 'CheckoutRecord',
  tableName: 'checkouts',
  properties: {
    id: { type: 'string', primary: true, length: 36, fieldName: 'order_id' },
    learnerId: { type: 'string', length: 36 },
    step: { type: 'string', length: 24 },
    deadline: { type: 'datetime', nullable: true },
    attempts: { type: 'integer' },
    lastError: { type: 'text', nullable: true },
    pendingCommands: { type: 'integer' },
    snapshot: { type: 'json' },
    startedAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
  indexes: [
    { name: 'checkouts_step_deadline', properties: ['step', 'deadline'] },
    { name: 'checkouts_pending_commands', properties: ['pendingCommands', 'updatedAt'] },
    { name: 'checkouts_updated_at', properties: ['updatedAt', 'id'] },
  ],
});

export function toCheckout(record: CheckoutRecord): Checkout {
  // MariaDB's JSON column may come back as text, depending on the driver's type mapping.
  const snapshot = (
    typeof record.snapshot === 'string' ? JSON.parse(record.snapshot) : record.snapshot
  ) as CheckoutSnapshot;
  // `restore` parses the snapshot with its schema: a row edited by hand is refused, not half-read.
  return Checkout.restore(snapshot, record.version);
}

export function toCheckoutRecord(checkout: Checkout): CheckoutRecord {
  const snapshot = checkout.snapshot();
  const { state } = snapshot;
  return {
    id: checkout.id,
    version: checkout.version,
    learnerId: state.learnerId,
    step: state.step,
    deadline: state.deadline === null ? null : new Date(state.deadline),
    attempts: state.attempts,
    lastError: state.lastError,
    pendingCommands: snapshot.outgoing.length,
    snapshot,
    startedAt: new Date(state.startedAt),
    updatedAt: new Date(state.updatedAt),
  };
}

/** What the unit of work needs to load and save checkouts. */
export const checkoutStorage = aggregateMapping({
  schema: checkoutRecordSchema,
  toAggregate: toCheckout,
  toRecord: toCheckoutRecord,
});
