import { describe, expect, it } from '@jest/globals';
import {
  checkRule,
  DomainError,
  ensure,
  FixedClock,
  isErrorCode,
  isUuidV7,
  newId,
  toId,
  ValueObject,
  type Id,
} from '@strata/shared-kernel';

class Email extends ValueObject<{ address: string }> {
  static of(address: string): Email {
    return new Email({ address });
  }
}

describe('typed ids', () => {
  it('are UUIDv7 and sort by creation order', () => {
    const first = newId<'Course'>();
    const second = newId<'Course'>();
    expect(isUuidV7(first)).toBe(true);
    expect(first < second).toBe(true);
  });

  it('refuse strings that are not UUIDv7', () => {
    expect(() => toId<'Course'>('not-an-id')).toThrow('not a UUIDv7');
    expect(() => toId<'Course'>('6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toThrow('not a UUIDv7');
    const id: Id<'Course'> = toId<'Course'>(newId<'Course'>());
    expect(isUuidV7(id)).toBe(true);
  });
});

describe('value objects', () => {
  it('are equal by attributes and immutable', () => {
    expect(Email.of('a@b.c').equals(Email.of('a@b.c'))).toBe(true);
    expect(Email.of('a@b.c').equals(Email.of('x@b.c'))).toBe(false);
    expect(() => {
      (Email.of('a@b.c') as unknown as { props: { address: string } }).props.address = 'x';
    }).toThrow(TypeError);
  });
});

describe('business rules', () => {
  it('throw a DomainError with the rule code, category and details when broken', () => {
    const rule = {
      code: 'course-without-lessons-cannot-be-published',
      message: 'a course needs at least one lesson to be published',
      details: { lessons: 0 },
      isBroken: () => true,
    };
    expect(() => checkRule(rule)).toThrow(DomainError);
    try {
      checkRule(rule);
    } catch (error) {
      expect(error).toMatchObject({ code: rule.code, category: 'RULE_VIOLATION', details: { lessons: 0 } });
    }
    expect(() => checkRule({ ...rule, isBroken: () => false })).not.toThrow();
  });

  it('ensure() reads as the rule it checks', () => {
    expect(() => ensure(false, 'price-must-not-be-negative', 'no negative prices')).toThrow(
      'no negative prices',
    );
    expect(() => ensure(true, 'price-must-not-be-negative', 'no negative prices')).not.toThrow();
  });

  it('named constructors set the platform category', () => {
    expect(DomainError.notFound('course-not-found', 'x').category).toBe('NOT_FOUND');
    expect(DomainError.permissionDenied('not-course-owner', 'x').category).toBe('PERMISSION_DENIED');
    expect(DomainError.conflict('email-taken', 'x').category).toBe('CONFLICT');
    expect(isErrorCode('RULE_VIOLATION')).toBe(true);
    expect(isErrorCode('TEAPOT')).toBe(false);
  });
});

describe('a fixed clock', () => {
  it('moves only when told', () => {
    const clock = new FixedClock('2026-01-01T00:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    clock.advance(1500);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.500Z');
  });
});
