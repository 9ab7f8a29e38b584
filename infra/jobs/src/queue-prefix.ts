/**
 * The Redis key prefix of a deployment's job queues (`strata-<deployment>`, or `strata` for the
 * unnamed one): the data services that run the jobs and the gateway that shows them agree on it.
 */
export function jobQueuePrefix(deployment: string | undefined): string {
  return deployment === undefined ? 'strata' : `strata-${deployment}`;
}
