// MessagePack as an outside client would write it from the spec
// (https://github.com/msgpack/msgpack/blob/master/spec.md) and docs/rpc-wire-format.md, without
// Strata's codec or any msgpack library: only the types the frames and their JSON examples use.

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

/** Encodes as docs/rpc-wire-format.md says Strata does: every map as map16 (`de 00 NN`). */
export function encodePlain(value: Plain): Buffer {
  if (value === null) return Buffer.from([0xc0]);
  if (value === true) return Buffer.from([0xc3]);
  if (value === false) return Buffer.from([0xc2]);
  if (typeof value === 'number') return encodeUnsigned(value);
  if (typeof value === 'string') return encodeString(value);
  if (Array.isArray(value)) {
    const head = value.length < 16 ? Buffer.from([0x90 | value.length]) : withLength(0xdc, value.length, 2);
    return Buffer.concat([head, ...value.map(encodePlain)]);
  }
  const entries = Object.entries(value);
  return Buffer.concat([
    withLength(0xde, entries.length, 2),
    ...entries.flatMap(([key, field]) => [encodeString(key), encodePlain(field)]),
  ]);
}

function encodeUnsigned(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0) throw new Error(`only unsigned integers are used: ${value}`);
  if (value < 0x80) return Buffer.from([value]);
  if (value <= 0xff) return Buffer.from([0xcc, value]);
  if (value <= 0xffff) return withLength(0xcd, value, 2);
  return withLength(0xce, value, 4);
}

function encodeString(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length < 32) return Buffer.concat([Buffer.from([0xa0 | bytes.length]), bytes]);
  if (bytes.length <= 0xff) return Buffer.concat([Buffer.from([0xd9, bytes.length]), bytes]);
  return Buffer.concat([withLength(0xda, bytes.length, 2), bytes]);
}

function withLength(type: number, length: number, width: 2 | 4): Buffer {
  const head = Buffer.alloc(1 + width);
  head[0] = type;
  if (width === 2) head.writeUInt16BE(length, 1);
  else head.writeUInt32BE(length, 1);
  return head;
}

/** Decodes one value that fills `bytes` exactly. */
export function decodePlain(bytes: Buffer): Plain {
  const reader = { bytes, at: 0 };
  const value = decodeAt(reader);
  if (reader.at !== bytes.length) throw new Error(`${bytes.length - reader.at} trailing bytes`);
  return value;
}

function decodeAt(reader: { bytes: Buffer; at: number }): Plain {
  const { bytes } = reader;
  const type = bytes[reader.at++]!;
  const take = (count: number): Buffer => bytes.subarray(reader.at, (reader.at += count));
  const uint = (width: number): number => take(width).readUIntBE(0, width);
  const str = (length: number): string => take(length).toString('utf8');
  const array = (length: number): Plain[] => Array.from({ length }, () => decodeAt(reader));
  const map = (length: number): Record<string, Plain> =>
    Object.fromEntries(Array.from({ length }, () => [decodeAt(reader) as string, decodeAt(reader)]));
  if (type < 0x80) return type;
  if (type >= 0xe0) return type - 0x100;
  if (type >= 0xa0 && type <= 0xbf) return str(type & 0x1f);
  if (type >= 0x90 && type <= 0x9f) return array(type & 0x0f);
  if (type >= 0x80 && type <= 0x8f) return map(type & 0x0f);
  switch (type) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xcc:
      return uint(1);
    case 0xcd:
      return uint(2);
    case 0xce:
      return uint(4);
    case 0xd9:
      return str(uint(1));
    case 0xda:
      return str(uint(2));
    case 0xdc:
      return array(uint(2));
    case 0xde:
      return map(uint(2));
    default:
      throw new Error(`msgpack type 0x${type.toString(16)} is not used by these examples`);
  }
}
