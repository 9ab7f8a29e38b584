import type { Exchange } from './exchange.ts';
import { hopByHop } from './plugins/forwarded-headers.ts';
import type { UpstreamHandler } from './upstream-dispatcher.ts';
import { upstreamError } from './upstream-error.ts';

/**
 * An upstream header name as the client's answer keys it (lowercase), or '' for one never passed
 * on: hop-by-hop (but Content-Length: the body is streamed as is) and the request id, which the
 * gateway sets. Kept per name, bounded: an upstream sends the same few names on every answer.
 */
const clientNames = new Map<string, string>();
const CLIENT_NAMES_MAX = 512;

function clientName(name: string): string {
  const known = clientNames.get(name);
  if (known !== undefined) return known;
  const lower = name.toLowerCase();
  const kept = (hopByHop.has(lower) && lower !== 'content-length') || lower === 'x-request-id' ? '' : lower;
  if (clientNames.size < CLIENT_NAMES_MAX) clientNames.set(name, kept);
  return kept;
}

/** Told when an attempt's response head arrives, before it is written to the client. */
export type HeadListener = (exchange: Exchange, statusCode: number) => void;

/**
 * One proxy attempt as a dispatch handler (undici's contract, kept by upstream-dispatcher.ts): the
 * upstream's head is copied to the client in one pass over its raw header list, and its body is
 * written straight into the client response, with backpressure. `pool.stream()` did the same through an AsyncResource, a parsed header
 * object, an AbortController and `stream.finished()` per request; the profile showed them.
 *
 * Settles with the head's status once the body is handed to the client response (`end()`), and
 * fails with the client's error (or the reason given to `abort()`), like `stream()` did.
 */
export class ProxyAttempt implements UpstreamHandler {
  readonly #exchange: Exchange;
  readonly #onHead: HeadListener;
  readonly #resolve: (status: number) => void;
  readonly #reject: (error: Error) => void;
  #abort: ((reason?: Error) => void) | undefined = undefined;
  #abortReason: Error | undefined = undefined;
  #resume: (() => void) | undefined = undefined;
  #settled = false;
  /** The client's answer was ended with the body's last bytes (`onData`). */
  #ended = false;

  constructor(
    exchange: Exchange,
    onHead: HeadListener,
    resolve: (status: number) => void,
    reject: (error: Error) => void,
  ) {
    this.#exchange = exchange;
    this.#onHead = onHead;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /**
   * Stops the attempt (the client left, or a draining gateway ended its stream); it then fails with
   * the abort's error.
   */
  abort(): void {
    if (this.#settled) return;
    const reason = upstreamError('UND_ERR_ABORTED', 'the proxy attempt was aborted');
    if (this.#abort !== undefined) this.#abort(reason);
    // Not connected yet: the dispatcher calls onConnect first, which aborts at once.
    else this.#abortReason = reason;
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.#abortReason !== undefined) {
      abort(this.#abortReason);
      return;
    }
    this.#abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: string[], resume: () => void): boolean {
    // 1xx answers are this hop's business (and a 100 Continue was already answered by the gateway).
    if (statusCode < 200) return true;
    const exchange = this.#exchange;
    this.#resume = resume;
    this.#onHead(exchange, statusCode);
    const own = exchange.responseHeaders;
    const head: string[] = [];
    for (let index = 0; index < rawHeaders.length; index += 2) {
      const name = rawHeaders[index]!;
      const lower = clientName(name);
      // The plugins' headers and the request id replace the upstream's of the same name.
      if (lower === '' || own[lower] !== undefined) continue;
      head.push(name, rawHeaders[index + 1]!);
    }
    for (const name in own) head.push(name, own[name]!);
    head.push('x-request-id', exchange.requestId);
    const res = exchange.res;
    res.writeHead(statusCode, head);
    return !res.writableNeedDrain;
  }

  onData(chunk: Buffer, last: boolean): boolean {
    const res = this.#exchange.res;
    if (last) {
      // The body's last bytes end the answer in the same call: node then neither corks the socket
      // for a tick nor takes a second call to flush it (one writev either way).
      this.#ended = true;
      res.end(chunk);
      return true;
    }
    if (res.write(chunk)) return true;
    // Paused until the client takes what it has: the dispatcher stops reading the upstream meanwhile.
    if (!res.destroyed) res.once('drain', this.#resume!);
    return false;
  }

  onComplete(): void {
    if (this.#settled) return;
    this.#settled = true;
    if (!this.#ended) this.#exchange.res.end();
    this.#resolve(this.#exchange.headStatus);
  }

  onError(error: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#reject(error);
  }
}
