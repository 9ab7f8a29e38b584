import type { Progress } from './progress.ts';

/**
 * A program the tests need that is not a service: nothing to start or stop, only to have. `up`
 * makes sure every tool is there, so the test command needs nothing installed by hand.
 */
export interface StackTool {
  readonly name: string;
  /** Resolves with where the tool is; throws StackError with the exact fix when it cannot be had. */
  ensure(progress: Progress): Promise<string>;
}
