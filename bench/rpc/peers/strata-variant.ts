import { devTlsMaterial, ensureDevCertificates, type ClientTls } from '@strata/rpc';
import type { Peer, PeerClient } from '../peer.ts';
import { spawnServer } from '../spawn-server.ts';
import { BENCH_SERVICE } from './strata-contract.ts';
import { BENCH_CLIENT, DEV_CERTS_DIR, serverEnv, type StrataLayers } from './strata-setup.ts';

/** The client's certificate from the development CA, issuing it (and the server's) on first use. */
export async function clientTls(): Promise<ClientTls> {
  const certificates = await ensureDevCertificates({
    dir: DEV_CERTS_DIR,
    services: [BENCH_SERVICE, BENCH_CLIENT],
  });
  return { ...(await devTlsMaterial(certificates, BENCH_CLIENT)), serverService: BENCH_SERVICE };
}

export interface StrataVariant {
  id: string;
  name: string;
  features: string;
  /** What the server process runs. */
  layers: StrataLayers;
  tls: boolean;
  /** What the client process runs against the server's port. */
  connect(port: number, tls: ClientTls | false): Promise<PeerClient>;
}

/** Every Strata row shares the server process (strata-server.ts); variants differ in layers, TLS and client. */
export function strataVariant(variant: StrataVariant): Peer {
  const { layers, tls } = variant;
  return {
    id: variant.id,
    name: variant.name,
    features: variant.features,
    validatesInput: true,
    async startServer(nodeOptions) {
      // Certificates are issued here, once, so the server process only reads them.
      if (tls) await clientTls();
      return spawnServer(new URL('./strata-server.ts', import.meta.url), {
        execArgv: [...nodeOptions],
        env: serverEnv({ tls, layers }),
      });
    },
    async createClient(port) {
      return variant.connect(port, tls ? await clientTls() : false);
    },
  };
}
