// The tests' one wait (ADR 0064), re-exported where the simulator's tests and its callers' tests
// have long taken it from; new code imports `@strata/shared-kernel/test-support/wait-for` itself.
export { waitFor } from '@strata/shared-kernel/test-support/wait-for';
