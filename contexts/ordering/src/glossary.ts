import { defineGlossary } from '@strata/shared-kernel';

/** The ordering context's ubiquitous language, as learners, support and finance speak it. */
export const orderingGlossary = defineGlossary({
  context: 'ordering',
  terms: [
    {
      term: 'Order',
      definition:
        'A learner’s commitment to buy one or more courses at the prices shown to them, and what became of it: paid, cancelled, expired or refunded. Each order has a permanent identifier.',
      avoid: ['cart', 'basket', 'purchase'],
      refs: [
        'Order',
        'Order.id',
        'OrderPlaced.orderId',
        'OrderPaid.orderId',
        'OrderCancelled.orderId',
        'OrderExpired.orderId',
        'RefundRequested.orderId',
        'OrderRefunded.orderId',
      ],
    },
    {
      term: 'Order version',
      definition:
        'How many changes an order has been through: 1 when placed, one more with each saved change.',
      avoid: ['revision'],
      refs: ['Order.version'],
    },
    {
      term: 'Learner',
      definition:
        'The person who places an order and, once it is paid, owns its courses. Only they may cancel it or ask for a refund. Their orders are theirs to see (and an admin’s), newest first.',
      avoid: ['customer', 'buyer', 'client'],
      refs: [
        'Order.learnerId',
        'OrderPlaced.learnerId',
        'OrderPaid.learnerId',
        'OrderCancelled.learnerId',
        'OrderExpired.learnerId',
        'Checkout.learnerId',
        'RefundRequested.learnerId',
        'OrderRefunded.learnerId',
        'Order.findByLearner',
        'Order.findByLearner.learnerId',
      ],
    },
    {
      term: 'Placing an order',
      definition:
        'A learner asking to buy courses, each with the price they were shown (the expected price). It is refused for a course never published, taken out of the catalog, free, already owned or already in another order awaiting payment; when a course’s price changed since it was shown; when the courses are priced in different currencies; and when a course is named twice. Asking again for exactly the courses of an order still awaiting payment answers that order: placing twice makes one order.',
      avoid: ['submitting', 'ordering twice'],
      refs: ['Order.place', 'OrderPlaced', 'Order.place.courses', 'Order.placedAt'],
    },
    {
      term: 'Order line',
      definition:
        'One course of an order: the course, its instructor, its title and its price as offered when the order was placed. A later price change in the catalog does not change it. An order holds 1 to 20 lines.',
      avoid: ['item', 'position'],
      refs: ['Order.lines', 'OrderPlaced.lines', 'OrderPaid.lines', 'OrderRefunded.lines'],
    },
    {
      term: 'Order total',
      definition:
        'What the order costs: the sum of its lines’ prices, in whole minor units (cents for EUR) of the one currency all its lines share. A payment must be exactly this.',
      avoid: ['grand total', 'subtotal'],
      refs: [
        'Order.total',
        'OrderPlaced.total',
        'OrderPaid.total',
        'RefundRequested.total',
        'OrderRefunded.total',
      ],
    },
    {
      term: 'Order status',
      definition:
        'Where an order stands: pending-payment, paid, refund-requested, refunded, cancelled or expired. Cancelled, expired and refunded are final.',
      refs: ['Order.status'],
    },
    {
      term: 'Payment deadline',
      definition:
        'Until when an order awaiting payment may be paid: the moment it was placed plus the payment window (30 minutes unless the platform is configured otherwise). The order keeps the deadline it was placed with.',
      avoid: ['ttl', 'hold time'],
      refs: ['Order.paymentDeadline', 'OrderPlaced.paymentDeadline', 'OrderExpired.paymentDeadline'],
    },
    {
      term: 'Payment',
      definition:
        'Money the payment provider collected for an order, known by the provider’s payment identifier and the moment it was paid. One payment settles an order; it must be exactly the order total.',
      avoid: ['charge', 'transaction'],
      refs: [
        'Order.payment',
        'Order.confirmPayment.paymentId',
        'Checkout.paymentId',
        'Checkout.reportPaymentEvent.paymentId',
        'Order.confirmPayment.amount',
        'Order.confirmPayment.paidAt',
        'OrderPaid.paymentId',
        'OrderPaid.paidAt',
        'RefundRequested.paymentId',
        'OrderRefunded.paymentId',
        'Order.findByPayment',
        'Order.findByPayment.paymentId',
      ],
    },
    {
      term: 'Confirming a payment',
      definition:
        'The checkout telling the order that the provider collected its payment: the order becomes paid and the learner owns its courses. Reporting the same payment again changes nothing. A different payment for a paid order, or any payment for a cancelled or expired order, is refused.',
      refs: ['Order.confirmPayment', 'OrderPaid'],
    },
    {
      term: 'Cancellation',
      definition:
        'An order awaiting payment given up before it was paid: by its learner, or by the checkout when the provider declined the payment or could not be reached. A paid order cannot be cancelled (it can be refunded); cancelling an order that is already cancelled or expired changes nothing. The platform records who cancelled it, when and why.',
      avoid: ['abort', 'abandon'],
      refs: [
        'Order.cancel',
        'OrderCancelled',
        'Order.cancellation',
        'OrderCancelled.reason',
        'OrderCancelled.cancelledBy',
      ],
    },
    {
      term: 'Payment failure',
      definition:
        'The checkout reporting that an order will not be paid: the provider declined the payment (payment-declined), or could not be asked for one after several attempts (payment-unavailable). The order is cancelled with that reason.',
      refs: ['Order.recordPaymentFailure', 'Order.recordPaymentFailure.reason'],
    },
    {
      term: 'Expiry',
      definition:
        'An order still awaiting payment at its payment deadline closes as expired, and its courses may be ordered again. Expiring an order that was meanwhile paid or cancelled changes nothing; expiring one before its deadline is refused.',
      avoid: ['lapse'],
      refs: ['Order.expire', 'OrderExpired', 'Order.expiredAt'],
    },
    {
      term: 'Refund deadline',
      definition:
        'Until when a learner may ask for a paid order to be refunded: the moment it was paid plus the refund window (14 days unless configured otherwise, kept from when the order was placed).',
      refs: ['Order.refundDeadline', 'OrderPaid.refundDeadline'],
    },
    {
      term: 'Refund request',
      definition:
        'Asking for a paid order’s money back, for the whole order. The learner may ask before the refund deadline and only while no certificate was issued for any course of the order (learner-request); the checkout asks whatever the date when the courses could not be handed over (enrollment-impossible). Asking again changes nothing. The platform records who asked and when.',
      avoid: ['chargeback', 'return request'],
      refs: [
        'Order.requestRefund',
        'RefundRequested',
        'Order.requestRefund.reason',
        'RefundRequested.reason',
        'RefundRequested.requestedBy',
        'OrderRefunded.reason',
      ],
    },
    {
      term: 'Refund',
      definition:
        'The provider paying a refunded order’s total back, known by the provider’s refund identifier and the moment it was made. The learner no longer owns the order’s courses. Reporting the same refund again changes nothing.',
      avoid: ['reimbursement'],
      refs: [
        'Order.refund',
        'Order.confirmRefund',
        'OrderRefunded',
        'Order.confirmRefund.refundId',
        'Checkout.reportPaymentEvent.refundId',
        'Order.confirmRefund.refundedAt',
        'OrderRefunded.refundId',
        'OrderRefunded.refundedAt',
      ],
    },
    {
      term: 'Sales',
      definition:
        'For each course of an instructor: how many orders paid for it, how many of those were refunded, and the revenue it kept (paid minus refunded, in the course’s currency). Only the instructor and admins see them.',
      avoid: ['earnings'],
      refs: ['Order.findSalesOfInstructor', 'Order.findSalesOfInstructor.instructorId'],
    },
    {
      term: 'Offer',
      definition:
        'A course as ordering knows it for sale: its instructor, title, price and whether it is in the catalog, kept from what the catalog announced. An order’s lines are made from offers; a course that was never published has none.',
      refs: ['Order.place.courses', 'Order.lines'],
    },
    {
      term: 'Checkout',
      definition:
        'The process that sees one order from placing to an outcome: it asks the payment provider for a payment, waits for the learner to pay, confirms the payment on the order, waits for the courses to be enrolled, and ends completed, cancelled, expired or refunded. Payment is the turning point: before it the checkout may still cancel or expire the order; after it, every step is retried until it succeeds, and a course that cannot be enrolled is refunded. It alone reports payments, failures, expiries and refunds to the order.',
      avoid: ['saga run'],
      refs: [
        'Checkout',
        'Checkout.id',
        'Order.confirmPayment',
        'Order.recordPaymentFailure',
        'Order.expire',
        'Order.confirmRefund',
      ],
    },
    {
      term: 'Checkout step',
      definition:
        'Where a checkout stands: requesting a payment, awaiting the learner’s payment, confirming it on the order, awaiting enrollment, cancelling, expiring, requesting, refunding or confirming a refund; or one of its outcomes: completed, cancelled, expired, refunded.',
      avoid: ['phase'],
      refs: ['Checkout.step'],
    },
    {
      term: 'Payment page',
      definition:
        'The payment provider’s page where the learner pays the order: the checkout receives its address when it asks for the payment, and the learner is sent there.',
      avoid: ['checkout page'],
      refs: ['Checkout.paymentPageUrl'],
    },
    {
      term: 'Checkout deadline',
      definition:
        'When the checkout next acts by itself if nothing reaches it first: the payment deadline while it awaits payment, or the time to try again a step that failed. None while it only waits on others.',
      avoid: ['timeout'],
      refs: ['Checkout.deadline'],
    },
    {
      term: 'Attempts',
      definition:
        'How many times the checkout has tried its current step (asking for the payment, confirming it, …); none while it waits. After a few failed attempts to reach the payment provider, the checkout cancels the order.',
      avoid: ['retries'],
      refs: ['Checkout.attempts'],
    },
    {
      term: 'Last error',
      definition:
        'Why the checkout’s last attempt at its current step failed, in plain words, kept until the step moves on: what an operator reads first when a checkout is stuck.',
      refs: ['Checkout.lastError'],
    },
    {
      term: 'Pending step',
      definition:
        'Something the checkout has decided to do (ask for a payment, confirm it on the order, refund it, …) and has not yet seen done, with when it decided it. A checkout that keeps one pending for long is stuck.',
      avoid: ['queued job', 'message'],
      refs: ['Checkout.pendingCommands'],
    },
    {
      term: 'Checkout started',
      definition: 'When the checkout began: when its order was placed and heard of.',
      refs: ['Checkout.startedAt'],
    },
    {
      term: 'Checkout last changed',
      definition:
        'When the checkout last moved or took note of something; how long ago tells an operator how long it has been stuck.',
      refs: ['Checkout.updatedAt'],
    },
    {
      term: 'Checkout version',
      definition: 'How many changes a checkout has been through: one more with each saved change.',
      avoid: ['revision'],
      refs: ['Checkout.version'],
    },
    {
      term: 'Payment event',
      definition:
        'What the payment provider tells us about a payment, on its own initiative and after the fact: that it succeeded, that it failed, or that its refund succeeded. Only the provider may report one, through its signed notifications; a provider may tell the same thing twice or out of order, and the checkout acts on it once.',
      avoid: ['webhook', 'callback'],
      refs: ['Checkout.reportPaymentEvent', 'Checkout.reportPaymentEvent.kind'],
    },
    {
      term: 'Payment event id',
      definition:
        'The payment provider’s own identifier of one payment event, the same each time it tells us that event again: how a repeated notification is recognised.',
      refs: ['Checkout.reportPaymentEvent.eventId'],
    },
    {
      term: 'Amount paid',
      definition:
        'The amount and currency the payment provider says the learner paid; the order takes a payment only when it matches the order’s total.',
      avoid: ['charge'],
      refs: ['Checkout.reportPaymentEvent.amount'],
    },
    {
      term: 'Payment event time',
      definition:
        'When, by the payment provider’s word, the payment succeeded, failed or was refunded: the time the order records as paid or refunded.',
      refs: ['Checkout.reportPaymentEvent.occurredAt'],
    },
    {
      term: 'Unfinished checkout',
      definition:
        'A checkout not yet at an outcome, or with something still to do: what an operator (an admin) looks through for stuck checkouts, those unchanged the longest first, optionally only those unchanged for at least a given number of seconds.',
      avoid: ['stuck saga', 'open checkout'],
      refs: ['Checkout.findUnfinished', 'Checkout.findUnfinished.stalledForSeconds'],
    },
    {
      term: 'Stray payment',
      definition:
        'A payment the order does not take: one that arrives after the order was cancelled or expired, or a second payment for an order already paid. The order refuses it, and the checkout refunds it to the learner; the order stays as it was. An order is never paid twice.',
      avoid: ['late charge', 'double charge'],
      refs: ['Order.confirmPayment.paymentId'],
    },
    {
      term: 'Certificate',
      definition:
        'Proof, issued by learning, that the learner completed a course. Once a certificate is issued for any course of an order, the learner can no longer have that order refunded.',
      refs: ['Order.requestRefund'],
    },
    {
      term: 'Free course',
      definition: 'A course priced at zero. It needs no order: the learner enrolls in it directly.',
      refs: ['Order.place.courses'],
    },
  ],
});
