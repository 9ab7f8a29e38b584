import { BENCH_CLIENT } from './strata-setup.ts';

/** The same deadline the other peers get (gRPC deadline, Moleculer timeout, rxjs timeout). */
export const CALL_TIMEOUT_MS = 5_000;

/** Who the Strata clients say they are; with mutual TLS the server checks it against the certificate. */
export const caller = { service: BENCH_CLIENT };
