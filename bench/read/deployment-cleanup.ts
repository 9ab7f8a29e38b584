// What a deployment name leaves on the shared dev stack, removed: its MariaDB schemas, its Redis
// keys (caches, rate limits, job queues) and its etcd registrations. bench:read's platform and
// bench:growth's `npm run start:distributed` run both leave them.
import { stackEndpoints } from '@strata/dev-stack';
import { jobQueuePrefix } from '@strata/jobs';
import { Etcd3 } from 'etcd3';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';

export async function removeDeployment(deployment: string): Promise<void> {
  const { mysql, redisUrl, etcdHosts } = stackEndpoints();
  const connection = await createConnection({ ...mysql });
  const [schemas] = await connection.query(
    'select schema_name as name from information_schema.schemata where schema_name like ?',
    [`strata\\_${deployment}\\_%`],
  );
  for (const { name } of schemas as { name: string }[])
    await connection.query(`drop database if exists \`${name}\``);
  await connection.end();
  const redis = new Redis(redisUrl);
  for (const pattern of [`strata:${deployment}:*`, `${jobQueuePrefix(deployment)}*`]) {
    const keys = await redis.keys(pattern);
    for (let start = 0; start < keys.length; start += 1_000)
      await redis.del(...keys.slice(start, start + 1_000));
  }
  await redis.quit();
  const etcd = new Etcd3({ hosts: etcdHosts });
  await etcd.delete().prefix(`/strata/${deployment}/`);
  etcd.close();
}
