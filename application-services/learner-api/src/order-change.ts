import { Command } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import type { OrderView } from './learner-api-schemas.ts';
import type { LearnerRequest } from './learner-call.ts';

/**
 * A learner's change to one of their orders, with the order version they saw (If-Match) when they
 * sent one. Each change is a subclass of its own: the command bus finds a handler by class.
 */
export abstract class OrderChangeCommand extends Command<OrderView> implements LearnerRequest {
  readonly caller: VerifiedCaller;
  readonly orderId: string;
  readonly correlationId: string;
  readonly expectedVersion: number | undefined;

  constructor(request: LearnerRequest & { orderId: string; expectedVersion: number | undefined }) {
    super();
    this.caller = request.caller;
    this.orderId = request.orderId;
    this.correlationId = request.correlationId;
    this.expectedVersion = request.expectedVersion;
  }
}
