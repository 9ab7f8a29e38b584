import type { CallMetadata } from '../protocol.ts';

/**
 * Only the transport may say which service is calling (from the certificate, or the embedding's
 * configuration); whatever the client wrote in `caller.service` is replaced or removed.
 */
export function withVerifiedCaller(
  metadata: CallMetadata | undefined,
  service: string | undefined,
): CallMetadata {
  const { caller, ...rest } = metadata ?? {};
  const { service: _claimed, ...others } = caller ?? {};
  const verified = service === undefined ? others : { ...others, service };
  return Object.keys(verified).length === 0 ? rest : { ...rest, caller: verified };
}
