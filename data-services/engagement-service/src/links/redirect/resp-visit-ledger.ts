import { createHash } from 'node:crypto';
import { respBulkStrings } from './resp-command.ts';
import { RespConnection, type RespAnswered } from './resp-connection.ts';
import type { RespEndpoint } from './resp-endpoint.ts';
import { RespError } from './resp-reader.ts';
import { RECORD_BATCH, VisitGroupCommit, type CommitSender } from './visit-group-commit.ts';
import type { LedgerLink, VisitLedger, VisitSettled } from './visit-ledger.ts';

const RECORD_BATCH_SHA = createHash('sha1').update(RECORD_BATCH).digest('hex');
const EVALSHA_HEAD = `$7\r\nEVALSHA\r\n$40\r\n${RECORD_BATCH_SHA}\r\n`;
const EVAL_HEAD = `$4\r\nEVAL\r\n$${Buffer.byteLength(RECORD_BATCH)}\r\n${RECORD_BATCH}\r\n`;

/**
 * The serving thread's visit ledger on a RESP connection of its own instead of ioredis (ADR 0080):
 * the same group commits (VisitGroupCommit, the same script and commit memory), each written as
 * one pre-encoded `EVALSHA`; when Redis does not hold the script (`NOSCRIPT`: it restarted, or
 * its scripts were flushed) the same commit goes again as `EVAL`, which also loads it. Records
 * only: the link events thread takes and ships the visits through RedisVisitLedger.
 */
export class RespVisitLedger implements VisitLedger {
  readonly #connection: RespConnection;
  readonly #commits: VisitGroupCommit;

  private constructor(connection: RespConnection, prefix: string) {
    this.#connection = connection;
    this.#commits = new VisitGroupCommit(this.#send, prefix);
  }

  /** Connected (authenticated, on its database) or rejected with why not. */
  static async open(endpoint: RespEndpoint, prefix: string): Promise<RespVisitLedger> {
    return new RespVisitLedger(await RespConnection.open(endpoint), prefix);
  }

  record(link: LedgerLink, visit: string, settled: VisitSettled): void {
    this.#commits.record(link, visit, settled);
  }

  async close(): Promise<void> {
    await this.#commits.close();
    this.#connection.close();
  }

  readonly #send: CommitSender = (keys, args, answered) => {
    const count = `*${3 + keys.length + args.length}\r\n`;
    const body = respBulkStrings([keys.length, ...keys, ...args]);
    const settle: RespAnswered = (failure, reply) => {
      if (failure !== null) answered(failure, []);
      else if (reply instanceof RespError)
        answered(new Error(`Redis refused a group commit: ${reply.message}`), []);
      else if (!Array.isArray(reply))
        answered(new Error(`a group commit's reply was not an array: ${String(reply)}`), []);
      else answered(null, reply);
    };
    this.#connection.send(count + EVALSHA_HEAD + body, (failure, reply) => {
      if (failure === null && reply instanceof RespError && reply.message.startsWith('NOSCRIPT')) {
        this.#connection.send(count + EVAL_HEAD + body, settle);
      } else {
        settle(failure, reply);
      }
    });
  };
}
