import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { RpcError } from '@strata/shared-kernel';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { frameworkProblem, isFrameworkError } from './framework-problem.ts';
import {
  httpProblem,
  PROBLEM_CONTENT_TYPE,
  problemFromRpcError,
  type ProblemResponse,
} from './problem-details.ts';
import type { RouteMethods } from './route-methods.ts';

/**
 * Every error of an HTTP app becomes RFC 9457 problem+json: typed RpcErrors by their code, the
 * framework's 4xx refusals by their status, and anything else as a bare 500 whose cause is logged
 * with the request id, never sent.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  readonly #logger: Logger;
  readonly #routes: RouteMethods | undefined;

  /** With the app's routes, a known path asked with another method is 405 rather than 404. */
  constructor(logger: Logger, routes?: RouteMethods) {
    this.#logger = logger;
    this.#routes = routes;
  }

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.answer(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }

  /** Also Fastify's `frameworkErrors` hook: refusals made before Nest sees the request (414, bad URL). */
  answer(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
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
    // Nest wraps Fastify's 4xx refusals in an HttpException; the Fastify code says which refusal.
    if (error instanceof HttpException && isFrameworkError(error.cause)) return frameworkProblem(error.cause);
    if (error instanceof HttpException && error.getStatus() < 500) {
      const status = error.getStatus();
      if (status === 404) return this.#notFound(request);
      return httpProblem(status, error.message, `http-${status}`);
    }
    if (isFrameworkError(error)) return frameworkProblem(error);
    this.#logInternal(error, request);
    return problemFromRpcError(new RpcError('INTERNAL', 'internal error'));
  }

  #notFound(request: FastifyRequest): ProblemResponse {
    const path = request.url.split('?')[0]!;
    const allowed = this.#routes?.allowedOn(path) ?? [];
    if (allowed.length > 0) {
      const answer = httpProblem(
        405,
        `${path} does not serve ${request.method}; it serves ${allowed.join(', ')}`,
        'method-not-allowed',
      );
      answer.headers['allow'] = allowed.join(', ');
      return answer;
    }
    return httpProblem(404, `no route answers ${request.method} ${path}`, 'route-not-found');
  }

  #logInternal(error: unknown, request: FastifyRequest): void {
    this.#logger.error(
      { err: error, requestId: request.id },
      `${request.method} ${request.url} failed with an unexpected error; the caller got a 500 with this request id`,
    );
  }
}
