import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { answerClientError } from './client-error-problem.ts';
import { ProblemDetailsFilter } from './problem-details.filter.ts';
import { carryTraceContext } from './trace-context-hook.ts';
import { RouteMethods } from './route-methods.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

export interface HttpAppOptions {
  logger: Logger;
  /** Larger bodies are refused with 413 before they are parsed. */
  bodyLimitBytes?: number;
  /**
   * Routes (as declared, e.g. `/payments/webhook`) whose JSON body reaches the handler as the
   * exact bytes received, a Buffer, unparsed: a signature is over those bytes, and a re-serialised
   * object would not reproduce them. Every other route's JSON is parsed as before.
   */
  rawBodyRoutes?: readonly string[];
}

// A caller's request id is kept for correlation only when it cannot smuggle anything into a log line.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A NestJS app on Fastify with the platform's HTTP conventions: request ids (taken from
 * `x-request-id` or made, echoed in the answer), the W3C trace context carried into data-service
 * calls, a body size limit, JSON bodies only, and every error — unknown route or method, bad JSON,
 * oversized body, other media type, overlong path parameter, unparsable request head, typed
 * RpcError, bug — answered as problem+json.
 */
export async function createHttpApp(
  rootModule: Type | object,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const routes = new RouteMethods();
  const problems = new ProblemDetailsFilter(options.logger, routes);
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // Refusals Fastify makes before any route runs: answered by the same filter, or on the socket.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
      problems.answer(error, request, reply),
    clientErrorHandler: answerClientError,
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule as Type, adapter, {
    logger: nestLogger(options.logger),
    bufferLogs: false,
    // Nest would add a form (urlencoded) parser. The APIs document JSON bodies only, so Fastify's
    // own JSON parser is the one left, and any other media type is refused with 415 before a handler.
    bodyParser: false,
  });
  app.useGlobalFilters(problems);
  const fastify = app.getHttpAdapter().getInstance();
  carryTraceContext(fastify);
  fastify.removeContentTypeParser('text/plain');
  keepRawBodies(fastify, options.rawBodyRoutes ?? []);
  fastify.addHook('onRoute', (route) => routes.add(route.method, route.url));
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', String(request.id));
  });
  // One line per answered request: what an operator greps for first. The path only, so a query string never lands in the log.
  // Its fields are strings and numbers that no redaction path can match, so the line skips the
  // redaction walk, which cost about a third of the line's CPU (ADR 0054).
  const accessLog = options.logger.child({}, { redact: [] });
  fastify.addHook('onResponse', async (request, reply) => {
    accessLog.info(
      {
        requestId: request.id,
        method: request.method,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request answered',
    );
  });
  return app;
}

/**
 * Fastify's own JSON parser (with its prototype-poisoning guards and its empty/invalid-body
 * refusals) for every route but the raw ones, which get the body's bytes. The route is known
 * before the body is parsed, so one parser can tell them apart.
 */
function keepRawBodies(fastify: FastifyInstance, rawBodyRoutes: readonly string[]): void {
  if (rawBodyRoutes.length === 0) return;
  const raw = new Set(rawBodyRoutes);
  const json = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    if (raw.has(request.routeOptions.url ?? '')) {
      done(null, body);
      return;
    }
    json(request, body as unknown as string, done);
  });
}

/** Nest's own messages (module wiring, route table) into the service's pino log. */
function nestLogger(logger: Logger): LoggerService {
  const child = logger.child({ component: 'nest' });
  return {
    log: (message: unknown) => child.debug(String(message)),
    error: (message: unknown, trace?: unknown) => child.error({ trace }, String(message)),
    warn: (message: unknown) => child.warn(String(message)),
    debug: (message: unknown) => child.debug(String(message)),
    verbose: (message: unknown) => child.trace(String(message)),
  };
}
