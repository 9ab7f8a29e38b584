import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { z } from '@strata/shared-kernel';
import { readBody, readJson, sendHtml, sendJson, sendProblem } from './http-io.ts';
import { paymentPage } from './payment-page.ts';
import { PaymentLedger } from './payment-ledger.ts';
import { paymentRequestSchema, type Payment } from './payment.ts';
import { SimulatorRefusal } from './simulator-refusal.ts';
import type { WebhookSender } from './webhook-sender.ts';

const ID = '([A-Za-z0-9_]+)';
const ROUTES: { method: string; pattern: RegExp; action: string }[] = [
  { method: 'POST', pattern: /^\/v1\/payments$/, action: 'create' },
  { method: 'GET', pattern: new RegExp(`^/v1/payments/${ID}$`), action: 'get' },
  { method: 'POST', pattern: new RegExp(`^/v1/payments/${ID}/approve$`), action: 'approve' },
  { method: 'POST', pattern: new RegExp(`^/v1/payments/${ID}/decline$`), action: 'decline' },
  { method: 'POST', pattern: new RegExp(`^/v1/payments/${ID}/refunds$`), action: 'refund' },
  { method: 'GET', pattern: new RegExp(`^/pay/${ID}$`), action: 'page' },
  { method: 'GET', pattern: /^\/v1\/webhook-endpoint$/, action: 'endpoint' },
  { method: 'PUT', pattern: /^\/v1\/webhook-endpoint$/, action: 'point' },
];

const endpointSchema = z.strictObject({ url: z.url({ protocol: /^https?$/ }) });

/** The simulator's HTTP API and payment page over one ledger; state changes hand their events to the sender. */
export function createSimulatorServer(options: {
  publicUrl: () => string;
  webhooks: WebhookSender;
  logger: Logger;
}): Server {
  const { webhooks, logger } = options;
  const ledger = new PaymentLedger((id) => `${options.publicUrl()}/pay/${id}`);

  const idempotencyKey = (request: IncomingMessage): string => {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key.trim() === '' || key.length > 255) {
      throw new SimulatorRefusal(
        400,
        'idempotency-key-required',
        'the Idempotency-Key header is required (1 to 255 characters): it makes a retried request safe',
      );
    }
    return key;
  };

  // A form from the payment page gets a redirect; an API client gets the payment.
  const answerDecision = async (request: IncomingMessage, response: ServerResponse, payment: Payment) => {
    if ((request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      await readBody(request);
      response.writeHead(303, { location: payment.returnUrl ?? `/pay/${payment.id}` }).end();
      return;
    }
    sendJson(response, 200, payment);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://simulator.invalid').pathname;
    const routes = ROUTES.filter((candidate) => candidate.pattern.test(path));
    if (routes.length === 0)
      throw new SimulatorRefusal(404, 'route-not-found', `no route ${request.method} ${path}`);
    const route = routes.find((candidate) => candidate.method === request.method);
    if (route === undefined) {
      const allowed = routes.map((candidate) => candidate.method).join(', ');
      throw new SimulatorRefusal(
        405,
        'method-not-allowed',
        `${path} takes ${allowed}, not ${request.method}`,
      );
    }
    const id = route.pattern.exec(path)?.[1] ?? '';
    switch (route.action) {
      case 'create': {
        const key = idempotencyKey(request);
        const parsed = paymentRequestSchema.safeParse(await readJson(request));
        if (!parsed.success) {
          throw new SimulatorRefusal(400, 'invalid-payment-request', 'the payment request is invalid', {
            issues: parsed.error.issues.map((issue) => ({
              path: issue.path.join('.'),
              message: issue.message,
            })),
          });
        }
        const { payment, replayed } = ledger.create(parsed.data, key);
        if (!replayed)
          logger.info(
            {
              payment: payment.id,
              amount: payment.amount,
              currency: payment.currency,
              reference: payment.reference,
            },
            `payment ${payment.id} created`,
          );
        sendJson(response, 201, payment, replayed ? { 'idempotent-replayed': 'true' } : {});
        return;
      }
      case 'get':
        sendJson(response, 200, ledger.get(id));
        return;
      case 'approve':
      case 'decline': {
        const { payment, event } = ledger.decide(id, route.action === 'approve' ? 'succeeded' : 'failed');
        if (event !== null) {
          logger.info({ payment: id, status: payment.status }, `payment ${id} ${payment.status}`);
          webhooks.send(event);
        }
        await answerDecision(request, response, payment);
        return;
      }
      case 'refund': {
        const key = idempotencyKey(request);
        await readBody(request);
        const { payment, replayed } = ledger.refund(id, key);
        if (!replayed) {
          logger.info(
            { payment: id, refund: payment.refund?.id },
            `refund ${payment.refund?.id} of ${id} started`,
          );
          // The bank settles after the answer, as a real refund does: the outcome comes by webhook.
          setImmediate(() => {
            const event = ledger.completeRefund(id);
            if (event !== null) webhooks.send(event);
          });
        }
        sendJson(response, 201, payment, replayed ? { 'idempotent-replayed': 'true' } : {});
        return;
      }
      case 'page':
        sendHtml(response, 200, paymentPage(ledger.get(id)));
        return;
      case 'endpoint':
        sendJson(response, 200, { url: webhooks.url ?? null });
        return;
      case 'point': {
        const parsed = endpointSchema.safeParse(await readJson(request));
        if (!parsed.success) {
          throw new SimulatorRefusal(
            400,
            'invalid-webhook-endpoint',
            'the body must be {"url": "http(s)://…"}',
            {
              issues: parsed.error.issues.map((issue) => ({
                path: issue.path.join('.'),
                message: issue.message,
              })),
            },
          );
        }
        webhooks.pointAt(parsed.data.url);
        logger.info({ webhookUrl: parsed.data.url }, `webhooks now go to ${parsed.data.url}`);
        sendJson(response, 200, { url: parsed.data.url });
        return;
      }
    }
  };

  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof SimulatorRefusal) {
        logger.info(
          { method: request.method, url: request.url, status: error.status, code: error.code },
          `refused ${request.method} ${request.url}: ${error.message}`,
        );
        sendProblem(response, error);
        return;
      }
      logger.error(
        { err: error, method: request.method, url: request.url },
        `${request.method} ${request.url} failed`,
      );
      sendProblem(response, new SimulatorRefusal(500, 'internal', 'the simulator failed; see its log'));
    });
  });
}
