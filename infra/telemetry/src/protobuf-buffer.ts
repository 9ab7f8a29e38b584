import type { HrTime } from '@opentelemetry/api';

/*
 * Protobuf's wire format written into one growing buffer, reused from one message to the next:
 * what the OTLP span encoder (otlp-span-encoder.ts) writes with. Each method writes exactly the
 * bytes OpenTelemetry's ProtobufWriter writes for the same value, so the encoder's output is that
 * of OpenTelemetry's serializer.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH = 2;
export const WIRE_FIXED32 = 5;

export class ProtobufBuffer {
  buffer: Buffer;
  pos = 0;

  constructor(size = 64 * 1024) {
    // Outside V8's heap: what waits here is never visited by the garbage collector.
    this.buffer = Buffer.allocUnsafeSlow(size);
  }

  ensure(size: number): void {
    if (this.pos + size <= this.buffer.length) return;
    let length = this.buffer.length * 2;
    while (length < this.pos + size) length *= 2;
    const grown = Buffer.allocUnsafeSlow(length);
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  varint(value: number): void {
    this.ensure(10);
    const bytes = this.buffer;
    if (value >= 0 && value <= 0xffffffff) {
      let v = value >>> 0;
      while (v > 127) {
        bytes[this.pos++] = (v & 127) | 128;
        v >>>= 7;
      }
      bytes[this.pos++] = v;
      return;
    }
    // Beyond 32 bits, and negative numbers as 64-bit two's complement (ten bytes), as protobuf says.
    const abs = Math.abs(value);
    let low = abs >>> 0;
    let high = (abs / 4294967296) >>> 0;
    if (value < 0) {
      low = ~low >>> 0;
      high = ~high >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    while (high > 0 || low > 127) {
      bytes[this.pos++] = (low & 127) | 128;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    bytes[this.pos++] = low & 127;
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  /** HrTime `[seconds, nanoseconds]` as nanoseconds, fixed64, split so no bit is lost to a double. */
  time(time: HrTime): void {
    const [seconds, nanos] = time;
    const fromLow16 = (seconds & 0xffff) * 1e9;
    const fromHigh = ((seconds / 0x10000) >>> 0) * 1e9;
    const lowWithCarry = (fromLow16 >>> 0) + (((fromHigh & 0xffff) * 0x10000) >>> 0) + nanos;
    const high =
      (Math.floor(fromLow16 / 4294967296) +
        ((fromHigh / 0x10000) >>> 0) +
        Math.floor(lowWithCarry / 4294967296)) >>>
      0;
    this.ensure(8);
    this.buffer.writeUInt32LE(lowWithCarry >>> 0, this.pos);
    this.buffer.writeUInt32LE(high, this.pos + 4);
    this.pos += 8;
  }

  double(value: number): void {
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  string(value: string): void {
    // Names, keys and ids are short ASCII: copied here, cheaper than a call into Buffer's native code.
    if (value.length < 128) {
      this.ensure(value.length + 1);
      const bytes = this.buffer;
      const at = this.pos;
      bytes[at] = value.length;
      let index = 0;
      for (; index < value.length; index += 1) {
        const code = value.charCodeAt(index);
        if (code >= 128) break;
        bytes[at + 1 + index] = code;
      }
      if (index === value.length) {
        this.pos = at + 1 + index;
        return;
      }
    }
    const length = Buffer.byteLength(value, 'utf8');
    this.varint(length);
    this.ensure(length);
    this.pos += this.buffer.write(value, this.pos, length, 'utf8');
  }

  /** Ids are hex strings; written as the bytes they spell (a character that is not hex, as 0). */
  hex(value: string): void {
    const length = value.length >>> 1;
    this.varint(length);
    this.ensure(length);
    const bytes = this.buffer;
    for (let index = 0; index < length; index += 1)
      bytes[this.pos++] =
        (nibble(value.charCodeAt(2 * index)) << 4) | nibble(value.charCodeAt(2 * index + 1));
  }

  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.ensure(value.length);
    this.buffer.set(value, this.pos);
    this.pos += value.length;
  }

  /** Bytes already encoded (a cached resource or scope), copied as they are. */
  raw(value: Uint8Array): void {
    this.ensure(value.length);
    this.buffer.set(value, this.pos);
    this.pos += value.length;
  }

  /** Reserves one byte for a message's length; `end` writes it, moving the message when it needs more. */
  start(): number {
    this.ensure(1);
    return this.pos++;
  }

  end(at: number): void {
    const length = this.pos - at - 1;
    const size = varintLength(length);
    if (size > 1) {
      this.ensure(size - 1);
      this.buffer.copyWithin(at + size, at + 1, this.pos);
      this.pos += size - 1;
    }
    writeVarint(this.buffer, at, length);
  }
}

/** Bytes a non-negative integer takes as a varint. */
export function varintLength(value: number): number {
  let length = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    length += 1;
  }
  return length;
}

/** Writes a non-negative integer as a varint at `at`; answers where it ended. */
export function writeVarint(bytes: Uint8Array, at: number, value: number): number {
  while (value >= 0x80) {
    bytes[at++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  bytes[at++] = value;
  return at;
}

/** The varint at `at` (as `varintLength` measures it, so the caller knows where it ends). */
export function readVarint(bytes: Uint8Array, at: number): number {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return value;
  }
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return 0;
}
