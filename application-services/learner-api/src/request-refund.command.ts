import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { MAX_PAGE_LIMIT, RpcError } from '@strata/shared-kernel';
import {
  LEARNING_CLIENT,
  ORDERING_CLIENT,
  type LearningClient,
  type OrderingClient,
} from './injection-tokens.ts';
import type { OrderView } from './learner-api-schemas.ts';
import { learnerCall, type LearnerRequest } from './learner-call.ts';
import { loadMyOrder } from './my-order.ts';
import { OrderChangeCommand } from './order-change.ts';

/**
 * The learner asks for their money back on a paid order; the order's rules decide (the refund
 * window, no certificate issued). The refund itself is the checkout's to carry out.
 */
export class RequestRefundCommand extends OrderChangeCommand {}

/**
 * Ordering refuses a refund once it has heard learning's CertificateIssued, but it hears it a
 * moment after learning issued it: in that moment the learner could see the certificate and still
 * get their money back. learner-api serves both, so it asks learning, which issued it, before
 * ordering is asked (ADR 0036). The order's own rule stays the guard for every other caller.
 */
@CommandHandler(RequestRefundCommand)
export class RequestRefundHandler implements ICommandHandler<RequestRefundCommand, OrderView> {
  readonly #ordering: OrderingClient;
  readonly #learning: LearningClient;

  constructor(
    @Inject(ORDERING_CLIENT) ordering: OrderingClient,
    @Inject(LEARNING_CLIENT) learning: LearningClient,
  ) {
    this.#ordering = ordering;
    this.#learning = learning;
  }

  async execute(command: RequestRefundCommand): Promise<OrderView> {
    const order = await loadMyOrder(this.#ordering, command.orderId, command);
    // Only a paid order is about to be refunded; for any other the order's own answer is the one to give.
    if (order.status === 'paid') {
      const courseIds = order.lines.map((line) => line.courseId);
      const certified = await this.#certifiedAmong(courseIds, command);
      if (certified.length > 0) {
        throw new RpcError(
          'RULE_VIOLATION',
          'a certificate has been issued for a course of this order; it can no longer be refunded',
          {
            reason: 'order-cannot-be-refunded-once-a-certificate-is-issued',
            details: { orderId: order.id, certifiedCourseIds: certified },
          },
        );
      }
    }
    return this.#ordering.Order.requestRefund(
      command.orderId,
      { reason: 'learner-request' },
      learnerCall(command, command.expectedVersion),
    );
  }

  /** The courses among `courseIds` learning has certified the caller in, read page by page. */
  async #certifiedAmong(courseIds: readonly string[], request: LearnerRequest): Promise<string[]> {
    const certified = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.#learning.Certificate.findByLearner(
        {
          learnerId: request.caller.userId,
          limit: MAX_PAGE_LIMIT,
          ...(cursor === undefined ? {} : { cursor }),
        },
        learnerCall(request),
      );
      for (const certificate of page.items)
        if (courseIds.includes(certificate.courseId)) certified.add(certificate.courseId);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && certified.size < courseIds.length);
    return [...certified];
  }
}
