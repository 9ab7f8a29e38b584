import { etcdService } from './services/etcd.ts';
import { kafkaService } from './services/kafka.ts';
import { mariadbService } from './services/mariadb.ts';
import { redisService } from './services/redis.ts';
import type { StackService } from './stack-service.ts';

/** The four services, in the order they are reported. Endpoints are read from the environment now. */
export function stackServices(): StackService[] {
  return [mariadbService(), redisService(), kafkaService(), etcdService()];
}
