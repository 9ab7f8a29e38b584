/**
 * Something that happened to one aggregate, in the past tense (`CoursePublished`). The envelope
 * (event id, correlation, trace context, schema version) is added by infrastructure when the
 * event is written to the outbox; the domain states only the fact.
 */
export interface DomainEvent<TType extends string = string, TPayload = unknown> {
  readonly type: TType;
  readonly payload: TPayload;
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** The aggregate version the event produces once the command that recorded it commits. */
  readonly aggregateVersion: number;
  readonly occurredAt: Date;
}
