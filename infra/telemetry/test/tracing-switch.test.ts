import { describe, expect, it } from '@jest/globals';
import { switchTracingOn } from '../src/tracing-switch.ts';
import { tracingIsOn, unsampledParentsDecide } from '../src/index.ts';

// Each jest test file has its own module registry, so the switch starts off here.
describe('the tracing switch', () => {
  it('is off until startTracing turns it on', () => {
    expect(tracingIsOn()).toBe(false);
    expect(unsampledParentsDecide()).toBe(false);
  });

  it('says unsampled parents decide only for the parent-based samplers', () => {
    switchTracingOn('always_on');
    expect(tracingIsOn()).toBe(true);
    expect(unsampledParentsDecide()).toBe(false);
    switchTracingOn('parentbased_traceidratio');
    expect(unsampledParentsDecide()).toBe(true);
    switchTracingOn('traceidratio');
    expect(unsampledParentsDecide()).toBe(false);
  });
});
