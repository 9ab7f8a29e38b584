/**
 * What a hub has done since it started, as plain numbers: metrics exporters read them (the open
 * connections are the hub's `connectionCount`).
 */
export interface PushCounters {
  opened: number;
  refusedOverLimit: number;
  /** Items written live, from the fan-out. */
  delivered: number;
  /** Items written from storage: a resume, or a gap in the live messages filled. */
  caughtUp: number;
  /** Catch-ups storage could not fill: the client was told to reload. */
  notRecovered: number;
  /** Live messages dropped because the connection already had them (list and live overlapping). */
  duplicatesDropped: number;
  cutSlow: number;
  cutUnavailable: number;
  /** WebSocket peers that left a heartbeat unanswered (stopped reading, or gone). */
  cutUnresponsive: number;
  /** Sweeps the event loop held back past their time, which judged no peer unresponsive. */
  lateSweeps: number;
  /** Live messages that failed validation and were dropped. */
  invalidMessages: number;
}

export function emptyPushCounters(): PushCounters {
  return {
    opened: 0,
    refusedOverLimit: 0,
    delivered: 0,
    caughtUp: 0,
    notRecovered: 0,
    duplicatesDropped: 0,
    cutSlow: 0,
    cutUnavailable: 0,
    cutUnresponsive: 0,
    lateSweeps: 0,
    invalidMessages: 0,
  };
}
