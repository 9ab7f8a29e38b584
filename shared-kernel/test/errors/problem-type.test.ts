import { describe, expect, it } from '@jest/globals';
import { PROBLEM_TYPE_BASE, problemType } from '../../src/index.ts';

describe('problemType: the one problem type-URI scheme of the HTTP edge', () => {
  it('puts a kebab-case slug under the one base', () => {
    expect(problemType('no-route')).toBe(`${PROBLEM_TYPE_BASE}no-route`);
    expect(PROBLEM_TYPE_BASE).toBe('https://strata.dev/problems/');
  });

  it('makes any code a valid slug, so an error answer cannot fail on its own type', () => {
    expect(problemType('RATE_LIMITED')).toBe(`${PROBLEM_TYPE_BASE}rate-limited`);
    expect(problemType('repeated spam in course reviews')).toBe(
      `${PROBLEM_TYPE_BASE}repeated-spam-in-course-reviews`,
    );
    expect(new URL(problemType('a/../b?c#d')).pathname).toBe('/problems/a-b-c-d');
  });
});
