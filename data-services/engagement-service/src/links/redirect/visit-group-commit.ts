import { randomUUID } from 'node:crypto';
import { MAX_VISITS_PER_EVENT } from '@strata/links';
import { queuedLinkNameOf } from './queued-visit.ts';
import type { LedgerLink, VisitLedger, VisitSettled } from './visit-ledger.ts';

/** How long a process's last group commit is remembered for a repeat of it (see RECORD_BATCH). */
const COMMIT_MEMORY_MS = 10 * 60_000;

// One call per group commit, atomic: no two instances can both take a link's last visit.
// KEYS[1] the visit stream, KEYS[1 + j] batch j's link's count, the last key the process's commit
// memory. A commit run once already answers what it answered then and changes nothing: a
// connection sends a command again after a reconnect when its answer was lost with the connection,
// and counting its visits twice would use up a cap with visits never answered. A process has one
// commit in flight at a time and sends the next only once that one is settled, so only its last
// commit can come again: one key per process holds that commit's number and answers (a key per
// commit, kept ten minutes, left ~1.8 million keys in Redis at bench:redirect's rate). ARGV[1] the
// number of batches (a batch: one link copy's visits), the last ARGV the commit's number; between
// them, per batch its cap (0: none), its number of visits n, its name (queuedLinkNameOf) and its
// n visits' JSON in arrival order as one argument, joined by commas. Per batch: the first
// `granted` visits (all of them without a cap, at most what is left of it with one) are counted
// and queued, the rest neither; the answer is each batch's count before it. The commit's granted
// visits go to the stream as one entry, a field per batch: its name and a tab and how many it
// holds, then their JSON (ADR 0061). Only a batch whose cap runs out is looked into, to cut it
// after the `}` that closes its last granted visit (a visit's JSON holds no other).
export const RECORD_BATCH = `
local memory = KEYS[#KEYS]
local commit = ARGV[#ARGV]
local last = redis.call('GET', memory)
if last then
  local space = string.find(last, ' ', 1, true)
  if string.sub(last, 1, space - 1) == commit then return cjson.decode(string.sub(last, space + 1)) end
end
local fields = {}
local answers = {}
for batch = 1, tonumber(ARGV[1]) do
  local at = batch * 4 - 2
  local cap = tonumber(ARGV[at])
  local n = tonumber(ARGV[at + 1])
  local visits = ARGV[at + 3]
  local before
  local granted = n
  if cap > 0 then
    before = tonumber(redis.call('GET', KEYS[1 + batch]) or '0')
    granted = math.max(0, math.min(n, cap - before))
    if granted > 0 then redis.call('INCRBY', KEYS[1 + batch], granted) end
  else
    before = redis.call('INCRBY', KEYS[1 + batch], n) - n
  end
  if granted == n then
    fields[#fields + 1] = ARGV[at + 2] .. '\t' .. n
    fields[#fields + 1] = visits
  elseif granted > 0 then
    local stop = 0
    for _ = 1, granted do stop = string.find(visits, '}', stop + 1, true) end
    fields[#fields + 1] = ARGV[at + 2] .. '\t' .. granted
    fields[#fields + 1] = string.sub(visits, 1, stop)
  end
  answers[batch] = before
end
if #fields > 0 then redis.call('XADD', KEYS[1], '*', unpack(fields)) end
redis.call('SET', memory, commit .. ' ' .. cjson.encode(answers), 'PX', ${COMMIT_MEMORY_MS})
return answers`;

/**
 * Runs RECORD_BATCH with these keys and arguments on Redis and tells `answered` its answer (each
 * batch's count before it) or why it failed. The same command may reach Redis twice (a resend
 * after a reconnect); the script's commit memory makes that harmless.
 */
export type CommitSender = (
  keys: readonly string[],
  args: readonly (string | number)[],
  answered: (error: Error | null, befores: readonly unknown[]) => void,
) => void;

/**
 * Visits per Redis call at most; more wait for the next call (one is in flight at a time). No more
 * than a LinkVisitsRecorded holds, so the shipper never cuts a batch.
 */
const MAX_BATCH = MAX_VISITS_PER_EVENT;
/** How long close() waits for the last commits. */
const CLOSE_WAIT_MS = 5_000;

interface PendingVisit {
  readonly link: LedgerLink;
  readonly visit: string;
  readonly settled: VisitSettled;
}

/**
 * Visits are committed in groups: the visits that arrive while one call is in flight (or in the
 * same turn of the event loop) go together in the next, one Lua call for all of them (ADR 0026).
 * Every visit still waits for the call that keeps it, so nothing answered is lost, and a cap
 * stays exact: Redis grants a link's visits in the order they came, across instances. A failed
 * call fails its visits openly (503, nothing counted or queued by it unless Redis ran it). How a
 * call reaches Redis is the sender's (ioredis, or a RESP connection of its own: ADR 0080).
 */
export class VisitGroupCommit implements VisitLedger {
  readonly #send: CommitSender;
  readonly #prefix: string;
  readonly #stream: string;
  #pending: PendingVisit[] = [];
  #committing = false;
  #scheduled = false;
  #drained: (() => void) | undefined;
  /** This process's last commit, remembered: a random part, so a restarted instance has its own. */
  readonly #commitMemory: string;
  #commits = 0;

  constructor(send: CommitSender, prefix: string) {
    this.#send = send;
    this.#prefix = prefix;
    this.#stream = `${prefix}links:visit-stream`;
    this.#commitMemory = `${prefix}links:commit:${randomUUID()}`;
  }

  record(link: LedgerLink, visit: string, settled: VisitSettled): void {
    this.#pending.push({ link, visit, settled });
    this.#schedule();
  }

  #schedule(): void {
    if (this.#committing || this.#scheduled) return;
    this.#scheduled = true;
    // After this turn's other requests were read: they join the same call.
    setImmediate(this.#commit);
  }

  readonly #commit = (): void => {
    this.#scheduled = false;
    if (this.#pending.length === 0) return;
    let batch = this.#pending;
    if (batch.length > MAX_BATCH) {
      this.#pending = batch.slice(MAX_BATCH);
      batch = batch.slice(0, MAX_BATCH);
    } else {
      this.#pending = [];
    }
    this.#committing = true;
    // By link copy (a link changed within the commit has two), each one's visits in arrival order.
    const byLink = new Map<LedgerLink, PendingVisit[]>();
    for (const pending of batch) {
      const visits = byLink.get(pending.link);
      if (visits === undefined) byLink.set(pending.link, [pending]);
      else visits.push(pending);
    }
    const keptAt = new Date().toISOString();
    const keys: string[] = [this.#stream];
    const args: (string | number)[] = [byLink.size];
    for (const [link, visits] of byLink) {
      keys.push(`${this.#prefix}links:visits:${link.linkId}`);
      // One argument per link, not per visit: the sender encodes, and Lua receives, a few strings.
      let json = visits[0]!.visit;
      for (let index = 1; index < visits.length; index += 1) json += `,${visits[index]!.visit}`;
      args.push(
        link.maxVisits ?? 0,
        visits.length,
        queuedLinkNameOf(link.linkId, link.version, link.slug, keptAt),
        json,
      );
    }
    keys.push(this.#commitMemory);
    args.push((this.#commits += 1));
    this.#send(keys, args, (error, befores) => {
      if (error === null) {
        let link = 0;
        for (const visits of byLink.values()) {
          const before = Number(befores[link++]);
          for (let index = 0; index < visits.length; index += 1) visits[index]!.settled(null, before + index);
        }
      } else {
        for (const pending of batch) pending.settled(error, 0);
      }
      this.#next();
    });
  };

  #next(): void {
    this.#committing = false;
    if (this.#pending.length > 0) this.#commit();
    else this.#drained?.();
  }

  /** Settles the visits waiting for a commit, waiting at most CLOSE_WAIT_MS. */
  async close(): Promise<void> {
    const deadline = Date.now() + CLOSE_WAIT_MS;
    while ((this.#committing || this.#scheduled || this.#pending.length > 0) && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.#drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#drained = undefined;
    }
  }
}
