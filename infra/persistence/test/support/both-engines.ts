import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database, type DatabaseMapping } from '@strata/persistence';
import { newId } from '@strata/shared-kernel';
import { dropDatabase, mysqlConfig, uniqueService } from './databases.ts';

/**
 * The two engines a persistence rule must hold on, for `describe.each`: embedded node:sqlite (a
 * file in a temporary directory; its schema from the mapping's entities) and the dev stack's
 * MariaDB (a schema of its own, the mapping's migrations run). Each `open` is a fresh database;
 * `cleanUp`, in `afterAll`, drops the schemas and the directory. `services` lets a test open more
 * MariaDB schemas of its own and have them dropped too.
 */
export function bothEngines(name: string, mapping: DatabaseMapping) {
  const directory = mkdtempSync(join(tmpdir(), `strata-${name}-`));
  const services: string[] = [];
  const engines: [string, () => Promise<Database>][] = [
    [
      'node:sqlite',
      () =>
        openDatabase(
          { kind: 'sqlite', service: name, file: join(directory, `${newId()}.db`) },
          { entities: mapping.entities },
        ),
    ],
    [
      'MariaDB',
      () => {
        const service = uniqueService(name);
        services.push(service);
        return openDatabase(mysqlConfig(service), mapping);
      },
    ],
  ];
  return {
    engines,
    services,
    async cleanUp(): Promise<void> {
      for (const service of services) await dropDatabase(service);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
