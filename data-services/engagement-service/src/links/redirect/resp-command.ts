/**
 * The RESP2 encoding of a command's arguments as bulk strings, without the array's count line:
 * the visit ledger encodes a commit's arguments once and puts EVALSHA's or EVAL's head before them
 * (ADR 0080). Written as text and sent as UTF-8, so each length is the argument's UTF-8 length.
 */
export function respBulkStrings(parts: readonly (string | number)[]): string {
  let text = '';
  for (const part of parts) {
    const value = typeof part === 'number' ? String(part) : part;
    text += `$${Buffer.byteLength(value)}\r\n${value}\r\n`;
  }
  return text;
}

/** A whole RESP2 command: its argument count, then every part as a bulk string. */
export function respCommand(parts: readonly (string | number)[]): string {
  return `*${parts.length}\r\n${respBulkStrings(parts)}`;
}
