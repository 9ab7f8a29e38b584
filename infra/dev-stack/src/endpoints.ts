/**
 * Where the development stack answers. Every test, script and service reads these one way so
 * that pointing the whole platform at another MariaDB, Redis, Kafka or etcd is one variable.
 */
export interface StackEndpoints {
  mysql: { host: string; port: number; user: string; password: string };
  redisUrl: string;
  kafkaBrokers: string[];
  etcdHosts: string[];
}

export function stackEndpoints(env: NodeJS.ProcessEnv = process.env): StackEndpoints {
  return {
    mysql: {
      host: env.STRATA_MYSQL_HOST ?? '127.0.0.1',
      port: Number(env.STRATA_MYSQL_PORT ?? 3306),
      user: env.STRATA_MYSQL_USER ?? 'root',
      password: env.STRATA_MYSQL_PASSWORD ?? '',
    },
    redisUrl: env.STRATA_REDIS_URL ?? 'redis://127.0.0.1:6379',
    kafkaBrokers: (env.STRATA_KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    etcdHosts: (env.STRATA_ETCD_HOSTS ?? 'http://127.0.0.1:2379').split(','),
  };
}
