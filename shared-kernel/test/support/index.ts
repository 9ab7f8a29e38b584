// Test helpers every context's domain tests share, published as `@strata/shared-kernel/test-support`.
export { expectRefusal, expectRejection } from './expect-refusal.ts';
export { expectedEvent } from './expected-event.ts';
