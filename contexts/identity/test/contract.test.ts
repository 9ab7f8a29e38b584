import { describe, expect, it } from '@jest/globals';
import {
  checkGlossary,
  contractElements,
  contractMethods,
  FixedClock,
  type DomainEvent,
} from '@strata/shared-kernel';
import { toUserView, User } from '@strata/identity';
import { identityContract, UserView } from '@strata/identity/contract';
import { identityGlossary } from '../src/glossary.ts';
import { FakePasswordHasher } from './fake-password-hasher.ts';
import { aRegistration, anAdmin, actingAs, services, STRONG_PASSWORD } from './user.mother.ts';

const clock = new FixedClock('2026-03-05T14:30:00.000Z');
const userEvents = identityContract.aggregates.User.events;

/** Drives a user through every command, keeping every event the domain records. */
async function everyUserEvent(): Promise<{ user: User; events: DomainEvent[] }> {
  const events: DomainEvent[] = [];
  const save = (user: User) => {
    events.push(...user.pendingEvents);
    user.markSaved();
  };
  const user = await User.register(aRegistration({ registerAs: 'instructor' }), services());
  save(user);
  user.verifyEmail(clock);
  await user.changePassword(
    { currentPassword: STRONG_PASSWORD, newPassword: 'A-different-secret-42' },
    actingAs(user),
    { hasher: new FakePasswordHasher(), clock },
  );
  user.grantRole('admin', anAdmin(), clock);
  user.revokeRole('instructor', anAdmin(), clock);
  user.suspend('chargeback fraud', anAdmin(), clock);
  user.reinstate(anAdmin(), clock);
  save(user);
  return { user, events };
}

function payloadOf(method: string, input: unknown, id?: string) {
  const found = contractMethods(identityContract).get(method);
  if (!found) throw new Error(`the contract has no method ${method}`);
  return found.payload.safeParse(id === undefined ? { input } : { id, input });
}

describe('the identity contract', () => {
  it('declares every event the domain records, and the domain records every event it declares', async () => {
    const { events } = await everyUserEvent();
    expect(new Set(events.map((recorded) => recorded.type))).toEqual(new Set(Object.keys(userEvents)));
  });

  it('accepts every recorded payload exactly as recorded', async () => {
    const { events } = await everyUserEvent();
    for (const recorded of events) {
      const schema = userEvents[recorded.type as keyof typeof userEvents].payload;
      expect({ type: recorded.type, payload: schema.parse(recorded.payload) }).toEqual({
        type: recorded.type,
        payload: recorded.payload,
      });
    }
  });

  it('shows a user as its view, with neither password nor hash', async () => {
    const { user } = await everyUserEvent();
    const view = toUserView(user);
    expect(UserView.parse(view)).toEqual(view);
    expect(view).toEqual({
      id: user.id,
      email: 'ada@example.org',
      displayName: 'Ada Lovelace',
      emailVerified: true,
      roles: ['learner', 'admin'],
      status: 'active',
      suspensionReason: null,
      registeredAt: '2026-03-02T09:00:00.000Z',
    });
    expect(JSON.stringify(view)).not.toContain(user.toSnapshot().passwordHash);
  });

  it('has no field that could carry a password hash in any view, input or payload', () => {
    const hashFields = contractElements(identityContract).filter((element) => /hash/i.test(element.ref));
    expect(hashFields).toEqual([]);
  });

  it.each([
    ['an email that is not one', 'User.register', { ...aRegistration(), email: 'ada' }, ['input', 'email']],
    [
      'a password shorter than 12',
      'User.register',
      { ...aRegistration(), password: 'short' },
      ['input', 'password'],
    ],
    [
      'a password longer than 256',
      'User.register',
      { ...aRegistration(), password: 'aB1'.repeat(90) },
      ['input', 'password'],
    ],
    [
      'registering as admin',
      'User.register',
      { ...aRegistration(), registerAs: 'admin' },
      ['input', 'registerAs'],
    ],
    [
      'a blank display name',
      'User.register',
      { ...aRegistration(), displayName: '  ' },
      ['input', 'displayName'],
    ],
    ['a role that does not exist', 'User.grantRole', { role: 'root' }, ['input', 'role']],
    ['a 501-character suspension reason', 'User.suspend', { reason: 'r'.repeat(501) }, ['input', 'reason']],
  ])('refuses %s at the boundary, naming the field', (_label, method, input, path) => {
    const addressed = method === 'User.register' ? undefined : '0190d5a2-7b3c-7def-8123-456789abcdef';
    const result = payloadOf(method, input, addressed);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([path]);
  });

  it('refuses a command addressed to something that is not an id', () => {
    const result = payloadOf('User.reinstate', {}, 'not-an-id');
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['id']]);
  });

  it('defaults a registration to a learner', () => {
    const result = payloadOf('User.register', aRegistration());
    expect(result.data).toEqual({ input: { ...aRegistration(), registerAs: 'learner' } });
  });
});

describe('the identity glossary', () => {
  it('names only elements of the contract and covers every aggregate, method and event', () => {
    expect(checkGlossary(identityContract, identityGlossary)).toEqual([]);
  });

  it('defines every field too, so a domain expert can read every input and payload', () => {
    const referenced = new Set(identityGlossary.terms.flatMap((term) => term.refs));
    const undefinedRefs = contractElements(identityContract)
      .map((element) => element.ref)
      .filter((ref) => !referenced.has(ref));
    expect(undefinedRefs).toEqual([]);
  });
});
