import { FixedClock, newId } from '@strata/shared-kernel';
import { User, type Actor, type Registration, type UserId } from '@strata/identity';
import { FakePasswordHasher } from './fake-password-hasher.ts';
import { InMemoryEmailUniqueness } from './in-memory-email-uniqueness.ts';

export const REGISTERED_AT = '2026-03-02T09:00:00.000Z';
export const STRONG_PASSWORD = 'correct-Horse-battery-7';

export function aRegistration(overrides: Partial<Registration> = {}): Registration {
  return { email: 'ada@example.org', password: STRONG_PASSWORD, displayName: 'Ada Lovelace', ...overrides };
}

export function services(clock = new FixedClock(REGISTERED_AT)) {
  return { hasher: new FakePasswordHasher(), emailUniqueness: new InMemoryEmailUniqueness(), clock };
}

/** A registered learner whose registration event has already been saved. */
export async function aLearner(overrides: Partial<Registration> = {}): Promise<User> {
  const user = await User.register(aRegistration(overrides), services());
  user.markSaved();
  return user;
}

export async function anInstructor(overrides: Partial<Registration> = {}): Promise<User> {
  return aLearner({ registerAs: 'instructor', ...overrides });
}

export function anAdmin(userId: string = newId<'User'>()): Actor {
  return { userId, roles: ['learner', 'admin'] };
}

export function actingAs(user: User): Actor {
  return { userId: user.id, roles: [...user.roles] };
}

export function someoneElse(): Actor {
  return { userId: newId<'User'>() satisfies UserId, roles: ['learner', 'instructor'] };
}
