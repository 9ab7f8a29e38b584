import { connectTcp, type ClientTls } from '@strata/rpc';
import { RpcError } from '@strata/shared-kernel';
import type { CourseDraft } from '../payload.ts';
import type { PeerClient } from '../peer.ts';
import { CALL_TIMEOUT_MS, caller } from './strata-call.ts';
import { BENCH_SERVICE } from './strata-contract.ts';
import type { StrataLayers } from './strata-setup.ts';

/**
 * One transport connection, no contract client, no governance. Against the contract runtime it
 * sends the runtime's payload shape ({ id, input }); against the echo handler, the draft itself.
 */
export async function connectionClient(
  port: number,
  tls: ClientTls | false,
  layers: StrataLayers,
): Promise<PeerClient> {
  const connection = await connectTcp({ host: '127.0.0.1', port, tls });
  return {
    async call(draft: CourseDraft) {
      const response = await connection.call({
        service: BENCH_SERVICE,
        method: 'Course.revise',
        payload: layers === 'full' ? { id: draft.id, input: draft } : draft,
        metadata: { caller },
        deadline: Date.now() + CALL_TIMEOUT_MS,
      });
      if (!response.ok) throw RpcError.fromSerialized(response.error);
      return response.result;
    },
    close: () => connection.close(),
  };
}
