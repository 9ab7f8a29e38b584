/**
 * An error of the gateway's upstream client, carrying the code `upstream-failure.ts` judges it by:
 * undici's `UND_ERR_*` and llhttp's `HPE_*` codes, kept when the client took undici's place (ADR 0072).
 */
export function upstreamError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}
