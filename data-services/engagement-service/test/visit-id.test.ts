import { describe, expect, it } from '@jest/globals';
import { validate, version } from 'uuid';
import { newVisitId } from '../src/links/redirect/visit-id.ts';

// A visit id is what the consumers' inboxes deduplicate visits by (at least once, ADR 0026): it
// must be a UUIDv7 (RFC 9562) with its millisecond in front and enough randomness that two visits
// never share one. newVisitId writes it by hand from a pool of random hex digits, so the format
// is checked here against the uuid package's own reading of it.

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newVisitId', () => {
  it('writes UUIDv7s carrying their millisecond, all different, across many refills of its pool', () => {
    const ms = Date.UTC(2026, 11, 6, 15, 30);
    const ids = Array.from({ length: 20_000 }, (_, index) => newVisitId(ms + (index % 3)));

    expect(new Set(ids).size).toBe(ids.length);
    for (const [index, id] of ids.entries()) {
      expect(id).toMatch(V7);
      expect(validate(id) && version(id)).toBe(7);
      expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms + (index % 3));
    }
    // The variant's two fixed bits, then two random ones: all four digits turn up.
    expect(new Set(ids.map((id) => id[19])).size).toBe(4);
  });

  it('keeps the millisecond in 48 bits at both ends of the range, and takes the time now by default', () => {
    expect(newVisitId(0).slice(0, 15)).toBe('00000000-0000-7');
    expect(newVisitId(2 ** 48 - 1).slice(0, 15)).toBe('ffffffff-ffff-7');
    const before = Date.now();
    const id = newVisitId();
    const at = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });
});
