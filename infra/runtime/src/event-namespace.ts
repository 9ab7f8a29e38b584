import { z } from '@strata/shared-kernel';

/**
 * STRATA_EVENT_NAMESPACE: the deployment's name in its Kafka topics (`strata.<name>.<context>.events`),
 * so two deployments sharing one Kafka never read each other's events. Kafka topic names allow
 * letters, digits, `.`, `_` and `-`; the dot is kept for separating the parts.
 */
export const eventNamespace = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, 'is lower-case letters, digits, _ and -, at most 60 characters');
