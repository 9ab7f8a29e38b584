import { expect } from '@jest/globals';
import { DomainError, type AggregateRoot, type DomainErrorCategory } from '@strata/shared-kernel';

/**
 * Runs an action the domain must refuse and checks the whole refusal: the stable code, the
 * category callers map to a status, no event recorded and no state changed.
 */
export async function expectRefusal(
  aggregate: AggregateRoot,
  action: () => unknown,
  code: string,
  category: DomainErrorCategory,
): Promise<DomainError> {
  const before = structuredClone({ ...aggregate });
  const eventsBefore = aggregate.pendingEvents.length;
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DomainError);
  expect(caught).toMatchObject({ code, category });
  expect(aggregate.pendingEvents).toHaveLength(eventsBefore);
  expect({ ...aggregate }).toEqual(before);
  return caught as DomainError;
}

/** For refusals that happen before any aggregate exists (registration, drafting). */
export async function expectRejection(
  action: () => Promise<unknown> | unknown,
  code: string,
  category: DomainErrorCategory,
): Promise<DomainError> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DomainError);
  expect(caught).toMatchObject({ code, category });
  return caught as DomainError;
}
