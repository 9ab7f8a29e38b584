import { Command, CommandHandler } from '@nestjs/cqrs';
import { pointAtBodyField, type VerifiedCaller } from '@strata/runtime';
import type { OrderingClient } from './injection-tokens.ts';
import type { CheckoutBody, PlacementView } from './learner-api-schemas.ts';
import { learnerCall, learnerIdempotencyKey, type LearnerRequest } from './learner-call.ts';
import { OrderingCallHandler } from './ordering-call-handler.ts';

/**
 * The learner checks out the courses at the prices they were shown. A retry with the same
 * Idempotency-Key is answered the first attempt's placement, whatever happened since.
 */
export class PlaceOrderCommand extends Command<PlacementView> implements LearnerRequest {
  readonly caller: VerifiedCaller;
  readonly input: CheckoutBody;
  readonly idempotencyKey: string;
  readonly correlationId: string;

  constructor(request: LearnerRequest & { input: CheckoutBody; idempotencyKey: string }) {
    super();
    this.caller = request.caller;
    this.input = request.input;
    this.idempotencyKey = request.idempotencyKey;
    this.correlationId = request.correlationId;
  }
}

@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler extends OrderingCallHandler<PlaceOrderCommand, PlacementView> {
  protected async call(ordering: OrderingClient, command: PlaceOrderCommand): Promise<PlacementView> {
    try {
      return await ordering.Order.place(command.input, {
        ...learnerCall(command),
        idempotencyKey: learnerIdempotencyKey(command.caller.userId, command.idempotencyKey),
      });
    } catch (error) {
      // Placement rules name the line they refuse (`courses.1.expectedPrice`); the input is the body.
      throw pointAtBodyField(error);
    }
  }
}
