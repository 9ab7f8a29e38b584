import { Migration } from '@mikro-orm/migrations';
import { aggregateMapping, recordSchema } from '@strata/persistence';
import { AggregateRoot, newId } from '@strata/shared-kernel';

/** Every column type the data services' records use, the nullable ones too. */
export interface ProfileSnapshot {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  readonly bio: string;
  readonly visits: number;
  readonly karma: number | null;
  readonly score: number;
  readonly active: boolean;
  readonly tags: string[];
  readonly settings: { theme: string; digest: { weekly: boolean } };
  readonly joinedAt: Date;
  readonly leftAt: Date | null;
}

/** A test aggregate whose record holds one of each column type, to prove a load converts them all. */
export class Profile extends AggregateRoot {
  readonly #snapshot: Omit<ProfileSnapshot, 'id' | 'version'>;

  private constructor(snapshot: ProfileSnapshot) {
    super(snapshot.version);
    (this as { id: string }).id = snapshot.id;
    const { id: _id, version: _version, ...fields } = snapshot;
    this.#snapshot = fields;
  }

  static restore(snapshot: ProfileSnapshot): Profile {
    return new Profile(snapshot);
  }

  static create(fields: Omit<ProfileSnapshot, 'id' | 'version'>): Profile {
    return new Profile({ ...fields, id: newId<'Profile'>(), version: 0 });
  }

  toSnapshot(): ProfileSnapshot {
    return { ...this.#snapshot, id: this.id, version: this.version };
  }

  get aggregateType(): string {
    return 'Profile';
  }
}

export const profileSchema = recordSchema<ProfileSnapshot>({
  name: 'ProfileRecord',
  tableName: 'profile',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    name: { type: 'string', length: 100 },
    bio: { type: 'text' },
    visits: { type: 'integer' },
    karma: { type: 'integer', nullable: true },
    score: { type: 'double' },
    active: { type: 'boolean' },
    tags: { type: 'json' },
    settings: { type: 'json' },
    joinedAt: { type: 'datetime' },
    leftAt: { type: 'datetime', nullable: true },
  },
});

export const profileStorage = aggregateMapping({
  schema: profileSchema,
  toAggregate: (record: ProfileSnapshot) => Profile.restore(record),
  toRecord: (profile: Profile) => profile.toSnapshot(),
});

export class CreateProfileTable extends Migration {
  override name = 'test-0001-profile';
  override up(): void {
    this.addSql(`create table profile (
      id char(36) not null primary key,
      name varchar(100) not null,
      bio text not null,
      visits int not null,
      karma int null,
      score double not null,
      active tinyint(1) not null,
      tags json not null,
      settings json not null,
      joined_at datetime(3) not null,
      left_at datetime(3) null,
      version int not null default 0
    ) engine=InnoDB`);
  }
}
