/**
 * Where generated slugs get their randomness: a port, so the domain stays pure and a test can
 * pin every byte. The data service passes the platform's cryptographic source
 * (`crypto.getRandomValues`); a predictable source would make generated slugs guessable.
 */
export interface RandomSource {
  /** `count` independent, uniformly random bytes. */
  bytes(count: number): Uint8Array;
}
