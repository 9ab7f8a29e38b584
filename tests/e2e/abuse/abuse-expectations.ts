import { expect } from '@jest/globals';
import { randomInt } from 'node:crypto';
import type { AbuseReport } from './abuse-run.ts';

/** Sized so one mode's run takes a minute or two on a loaded 2-core machine. */
export const ABUSE_BOUNDS = { runsPerOperation: 40, framingRuns: 60 };

/** A fresh seed per run, printed with the summary; ABUSE_SEED replays one. */
export function abuseSeed(): number {
  const given = process.env['ABUSE_SEED'];
  return given === undefined ? randomInt(2 ** 31) : Number(given);
}

/** What the run must show: no 5xx, every refusal problem+json, no state change, every legitimate request served. */
export function expectNoFindings(report: AbuseReport): void {
  expect(report.operations).toBeGreaterThan(0);
  expect(report.findings).toEqual([]);
  expect(report.serverErrors).toBe(0);
  expect(report.legit.failures).toEqual([]);
  expect(report.legit.sent).toBeGreaterThan(0);
  expect(report.legit.succeeded).toBe(report.legit.sent);
}
