import { afterAll, describe, expect, it } from '@jest/globals';
import { MikroOrmUnitOfWork, type Database } from '@strata/persistence';
import { newId } from '@strata/shared-kernel';
import { accountEvents } from './support/account.ts';
import { bothEngines } from './support/both-engines.ts';
import { CreateProfileTable, Profile, profileSchema, profileStorage } from './support/profile.ts';

// The unit of work loads a record with a statement of its own rather than MikroORM's findOne
// (ADR 0050): every column type must come back as the record held it, on both engines, exactly as
// MikroORM's own load converts it.

const { engines, cleanUp } = bothEngines('load', {
  entities: [profileSchema],
  migrations: [CreateProfileTable],
});

afterAll(cleanUp);

function unitOfWork(database: Database): MikroOrmUnitOfWork {
  return new MikroOrmUnitOfWork({
    database,
    aggregates: { Profile: profileStorage },
    events: accountEvents,
    idempotencyWindowMs: 60_000,
  });
}

const fields = {
  name: "Ada O'Neil",
  bio: 'Writes about \u00e9tudes, 100% of the time.',
  visits: 42,
  score: 0.1 + 0.2,
  tags: ['kafka', 'ddd'],
  settings: { theme: 'dark', digest: { weekly: true } },
  joinedAt: new Date('2026-03-01T10:00:00.123Z'),
};

describe.each(engines)('an aggregate loaded by the unit of work on %s', (_engine, open) => {
  it.each([
    [
      'with every nullable field set',
      { ...fields, karma: -3, active: true, leftAt: new Date('2026-11-30T23:59:59.999Z') },
    ],
    ['with every nullable field null and false', { ...fields, karma: null, active: false, leftAt: null }],
  ])('comes back %s as it was saved, as MikroORM would load it', async (_case, saved) => {
    const database = await open();
    try {
      const uow = unitOfWork(database);
      const profile = Profile.create(saved);
      await uow.run(async (scope) => scope.repository<Profile>('Profile').add(profile));

      const loaded = await uow.run(
        async (scope) => scope.repository<Profile>('Profile').findById(profile.id),
        {
          readOnly: true,
        },
      );
      const byMikroOrm = await database.em().findOne(profileSchema, { id: profile.id });

      expect(loaded?.toSnapshot()).toStrictEqual({ ...saved, id: profile.id, version: 1 });
      expect(loaded?.toSnapshot()).toStrictEqual({ ...byMikroOrm });
    } finally {
      await database.close();
    }
  });

  it('finds nothing for an unknown id, and one object for an id loaded twice in a run', async () => {
    const database = await open();
    try {
      const uow = unitOfWork(database);
      const profile = Profile.create({ ...fields, karma: null, active: true, leftAt: null });
      await uow.run(async (scope) => scope.repository<Profile>('Profile').add(profile));

      const [first, second, unknown] = await uow.run(async (scope) => {
        const profiles = scope.repository<Profile>('Profile');
        return [
          await profiles.findById(profile.id),
          await profiles.findById(profile.id),
          await profiles.findById(newId()),
        ];
      });

      expect(first).toBeInstanceOf(Profile);
      expect(second).toBe(first);
      expect(unknown).toBeNull();
    } finally {
      await database.close();
    }
  });

  it('loads in a read-only run from the pool, and forks a session only when the work asks for one', async () => {
    const database = await open();
    try {
      let forks = 0;
      const counted: Database = {
        ...database,
        em: () => {
          forks += 1;
          return database.em();
        },
      };
      const uow = unitOfWork(counted);
      const profile = Profile.create({ ...fields, karma: 7, active: true, leftAt: null });
      await uow.run(async (scope) => scope.repository<Profile>('Profile').add(profile));
      forks = 0;

      const loaded = await uow.run(
        async (scope) => scope.repository<Profile>('Profile').findById(profile.id),
        {
          readOnly: true,
        },
      );
      expect(loaded?.toSnapshot()).toStrictEqual({ ...profile.toSnapshot(), version: 1 });
      expect(forks).toBe(0);

      const [fromScope, fromPort] = await uow.run(async (scope) => [scope.session, uow.session()], {
        readOnly: true,
      });
      expect(fromPort).toBe(fromScope);
      expect(forks).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('loads through the session once a read-only run has forked one, seeing what its transaction wrote', async () => {
    const database = await open();
    try {
      const uow = unitOfWork(database);
      const profile = Profile.create({ ...fields, karma: 7, active: true, leftAt: null });
      await uow.run(async (scope) => scope.repository<Profile>('Profile').add(profile));

      // On SQLite the pool is the one connection this transaction holds: a load from the pool
      // would wait for it for ever.
      const karma = await uow.run(
        async (scope) => {
          const session = scope.session;
          await session.begin();
          try {
            await session.execute('update profile set karma = 99 where id = ?', [profile.id]);
            return (await scope.repository<Profile>('Profile').findById(profile.id))?.toSnapshot().karma;
          } finally {
            await session.rollback();
          }
        },
        { readOnly: true },
      );
      expect(karma).toBe(99);
    } finally {
      await database.close();
    }
  });
});
