import type { ChildProcess } from 'node:child_process';
import type { CourseDraft } from './payload.ts';

/** A server running in its own process, listening on loopback. */
export interface RunningServer {
  readonly process: ChildProcess;
  readonly port: number;
  /** Stops the process and resolves once it has exited. */
  stop(): Promise<void>;
}

export interface PeerClient {
  /** One unary call; resolves with the server's answer, rejects with the peer's own error. */
  call(payload: CourseDraft): Promise<unknown>;
  close(): Promise<void>;
}

/** One RPC stack under test: how to start its server and how to call it. */
export interface Peer {
  /** What `--peers` selects it by. */
  readonly id: string;
  /** The row label in the table. */
  readonly name: string;
  /** What is switched on, printed under the table so nobody compares unlike things unknowingly. */
  readonly features: string;
  /** Whether its server validates requests; the harness then proves it by sending an invalid one first. */
  readonly validatesInput: boolean;
  /** Whether its processes export spans to the bench's OTLP sink (the traced rows), which counts them. */
  readonly exportsSpans?: boolean;
  /** Calls in flight for this row whatever `--concurrency` says: 1 for the latency rows. */
  readonly concurrency?: number;
  /** `nodeOptions` go to the server process's Node (the bench's `--cpu-prof` passes the profiler's here). */
  startServer(nodeOptions: readonly string[]): Promise<RunningServer>;
  createClient(port: number): Promise<PeerClient>;
}
