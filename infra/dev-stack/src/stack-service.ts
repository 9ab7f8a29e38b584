import type { ProcessIdentity } from './detached-process.ts';
import type { Progress } from './progress.ts';

export type ServiceName = 'mariadb' | 'redis' | 'kafka' | 'etcd';

export interface StartedProcess extends ProcessIdentity {
  logFile: string;
  /** Shown after "started", e.g. the Kafka version. */
  detail?: string;
}

/** One service of the stack: how to tell it answers, how to start it here, how long it may take. */
export interface StackService {
  readonly name: ServiceName;
  /** Where it must answer, as shown to the operator. */
  readonly address: string;
  /** Resolves when the service answers its own protocol (not merely an open port). */
  probe(): Promise<void>;
  /** What "ready for tests" means after a fresh start; defaults to `probe`. */
  ready?(): Promise<void>;
  /** Starts it detached and returns the process to record; throws StackError naming what is missing. */
  start(progress: Progress): Promise<StartedProcess>;
  readonly startTimeoutMs: number;
}
