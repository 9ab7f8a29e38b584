import { resolve } from 'node:path';

/*
 * How the Strata peers tell their server process what to run: the parent sets these variables,
 * strata-server.ts reads them.
 */

/** The calling service's name, as its development certificate says; the server allows only it. */
export const BENCH_CLIENT = 'bench-client';

/** Where the transport's development CA generator keeps certificates (git-ignored). */
export const DEV_CERTS_DIR = resolve(import.meta.dirname, '../../../.stack/certs');

/** 'full': contract runtime over an aggregate; 'transport': the TCP transport with a validating echo handler. */
export type StrataLayers = 'full' | 'transport';

export function serverEnv(options: { tls: boolean; layers: StrataLayers }): Record<string, string> {
  return { BENCH_STRATA_LAYERS: options.layers, ...(options.tls ? { BENCH_TLS_DIR: DEV_CERTS_DIR } : {}) };
}

/** Unset means plaintext. */
export function certificatesDir(): string | undefined {
  return process.env['BENCH_TLS_DIR'];
}

export function strataLayers(): StrataLayers {
  const layers = process.env['BENCH_STRATA_LAYERS'];
  if (layers === 'full' || layers === 'transport') return layers;
  throw new Error(
    `BENCH_STRATA_LAYERS must be 'full' or 'transport', got ${JSON.stringify(layers)}; start servers through bench/rpc/run.ts`,
  );
}
