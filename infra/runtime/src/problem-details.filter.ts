import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { RpcError } from '@strata/shared-kernel';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import {
  httpProblem,
  PROBLEM_CONTENT_TYPE,
  problemFromRpcError,
  type ProblemResponse,
} from './problem-details.ts';

/** Fastify's own refusals (body too large, malformed JSON, unsupported media type) carry a 4xx statusCode and an FST_ code. */
interface FrameworkError {
  statusCode: number;
  code?: string;
  message: string;
}

function isFrameworkError(error: unknown): error is FrameworkError {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return error instanceof Error && typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Every error of an HTTP app becomes RFC 9457 problem+json: typed RpcErrors by their code, the
 * framework's 4xx refusals by their status, and anything else as a bare 500 whose cause is logged
 * with the request id, never sent.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const answer = this.#toProblem(error, request);
    answer.problem.instance = request.url;
    answer.problem.requestId = String(request.id);
    void reply
      .status(answer.problem.status)
      .headers({ ...answer.headers, 'content-type': PROBLEM_CONTENT_TYPE })
      .send(JSON.stringify(answer.problem));
  }

  #toProblem(error: unknown, request: FastifyRequest): ProblemResponse {
    if (error instanceof RpcError) {
      if (error.code === 'INTERNAL') this.#logInternal(error, request);
      else if (error.code === 'UNAVAILABLE' || error.code === 'DEADLINE_EXCEEDED') {
        this.#logger.warn(
          { err: error, requestId: request.id },
          `${request.method} ${request.url}: ${error.message}`,
        );
      }
      return problemFromRpcError(error);
    }
    if (error instanceof HttpException && error.getStatus() < 500) {
      const status = error.getStatus();
      if (status === 404) {
        return httpProblem(
          404,
          `no route answers ${request.method} ${request.url.split('?')[0]}`,
          'route-not-found',
        );
      }
      const reason = (error as { reason?: unknown }).reason;
      return httpProblem(status, error.message, typeof reason === 'string' ? reason : `http-${status}`);
    }
    if (isFrameworkError(error)) {
      return httpProblem(
        error.statusCode,
        error.message,
        error.code?.toLowerCase().replaceAll('_', '-') ?? `http-${error.statusCode}`,
      );
    }
    this.#logInternal(error, request);
    return problemFromRpcError(new RpcError('INTERNAL', 'internal error'));
  }

  #logInternal(error: unknown, request: FastifyRequest): void {
    this.#logger.error(
      { err: error, requestId: request.id },
      `${request.method} ${request.url} failed with an unexpected error; the caller got a 500 with this request id`,
    );
  }
}
