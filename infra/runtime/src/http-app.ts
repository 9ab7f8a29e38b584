import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { ProblemDetailsFilter } from './problem-details.filter.ts';
import { carryTraceContext } from './trace-context-hook.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

export interface HttpAppOptions {
  logger: Logger;
  /** Larger bodies are refused with 413 before they are parsed. */
  bodyLimitBytes?: number;
}

// A caller's request id is kept for correlation only when it cannot smuggle anything into a log line.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A NestJS app on Fastify with the platform's HTTP conventions: request ids (taken from
 * `x-request-id` or made, echoed in the answer), the W3C trace context carried into data-service
 * calls, a body size limit, and every error — unknown
 * route, bad JSON, oversized body, typed RpcError, bug — answered as problem+json.
 */
export async function createHttpApp(
  rootModule: Type | object,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule as Type, adapter, {
    logger: nestLogger(options.logger),
    bufferLogs: false,
  });
  app.useGlobalFilters(new ProblemDetailsFilter(options.logger));
  const fastify = app.getHttpAdapter().getInstance();
  carryTraceContext(fastify);
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', String(request.id));
  });
  // One line per answered request: what an operator greps for first. The path only, so a query string never lands in the log.
  fastify.addHook('onResponse', async (request, reply) => {
    options.logger.info(
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
