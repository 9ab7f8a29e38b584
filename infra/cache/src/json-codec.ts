/**
 * Both adapters store the JSON text, not the object: the in-memory adapter then behaves like
 * Redis (a Date read back is a string in both modes, so embedded mode cannot hide a bug that
 * distributed mode would show) and a caller mutating a value it got cannot change the cache.
 */
export function encodeValue(value: unknown): string {
  return JSON.stringify(value);
}

export function decodeValue<T>(text: string): T {
  return JSON.parse(text) as T;
}
