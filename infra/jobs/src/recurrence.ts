import { CronExpressionParser } from 'cron-parser';
import type { Recurrence } from './job-port.ts';

/**
 * The next run of a recurring job after `now`, computed alike by every instance: `everyMs` slots are
 * aligned to the epoch (as BullMQ's `every` is), cron patterns are read in UTC.
 */
export function nextRun(recurrence: Recurrence, now: number): number {
  if ('everyMs' in recurrence) {
    if (!Number.isInteger(recurrence.everyMs) || recurrence.everyMs < 1) {
      throw new Error(`a recurring job's everyMs must be a whole number ≥ 1, got ${recurrence.everyMs}`);
    }
    return (Math.floor(now / recurrence.everyMs) + 1) * recurrence.everyMs;
  }
  return CronExpressionParser.parse(recurrence.cron, { currentDate: new Date(now), tz: 'UTC' })
    .next()
    .getTime();
}
