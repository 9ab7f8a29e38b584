/** Where and how the visit ledger's raw connection reaches Redis (ADR 0080). */
export interface RespEndpoint {
  readonly host: string;
  readonly port: number;
  /** AUTH's arguments (a username only with a password, as ioredis sends them), if the URL has any. */
  readonly auth: readonly string[] | undefined;
  /** SELECT's database; 0 needs none. */
  readonly db: number;
  /** host:port, for errors an operator reads. */
  readonly address: string;
}

/**
 * The endpoint a `redis://` URL names, or why the raw connection cannot speak it (the caller then
 * keeps the visits on ioredis): TLS (`rediss://`) and options in the query string, which ioredis
 * reads and this connection would silently ignore.
 */
export function respEndpointOf(url: string): RespEndpoint | { readonly refused: string } {
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:') {
    return { refused: `${parsed.protocol}// (TLS) is not spoken by the ledger's RESP connection` };
  }
  if (parsed.search !== '') return { refused: `the URL's options (${parsed.search}) are ioredis'` };
  const path = parsed.pathname.replace(/^\//, '');
  if (!/^\d*$/.test(path)) return { refused: `"${parsed.pathname}" is not a database number` };
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  const username = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  return {
    host,
    port,
    auth: password === '' ? undefined : username === '' ? [password] : [username, password],
    db: path === '' ? 0 : Number(path),
    address: `${parsed.hostname}:${port}`,
  };
}
