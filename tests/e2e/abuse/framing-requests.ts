import fc from 'fast-check';
import type { Operation } from './openapi-operations.ts';
import type { RawRequest } from './raw-http.ts';
import { validValue, type Known } from './schema-values.ts';

// Requests whose framing is odd: Expect, Transfer-Encoding and Content-Length alone, together,
// repeated, malformed or lying about the body. Only a raw socket can send these.

export interface FramingCase {
  summary: string;
  request: RawRequest;
  /**
   * Whether the framing announces more body than is sent (a longer Content-Length, an unfinished
   * chunked body): a server is right to wait for the rest, so no answer before the client gives
   * up is not a finding.
   */
  mayWait: boolean;
}

type Header = readonly [string, string];

const expectations = fc.constantFrom<Header[]>(
  [],
  [['expect', '100-continue']],
  [['expect', '100-Continue']],
  [['expect', 'banana']],
  [
    ['expect', '100-continue'],
    ['expect', '100-continue'],
  ],
);

const transferEncodings = fc.constantFrom<Header[]>(
  [],
  [['transfer-encoding', 'chunked']],
  [['transfer-encoding', 'gzip']],
  [['transfer-encoding', 'chunked, chunked']],
  [['transfer-encoding', 'gzip, chunked']],
  [['transfer-encoding', ' chunked']],
  [['transfer-encoding', 'xchunked']],
  [
    ['transfer-encoding', 'chunked'],
    ['transfer-encoding', 'identity'],
  ],
);

type LengthStyle =
  'none' | 'exact' | 'short' | 'long' | '-1' | 'abc' | '+5' | '0x10' | 'twice' | 'conflicting';
const lengthStyles = fc.constantFrom<LengthStyle>(
  'none',
  'exact',
  'short',
  'long',
  '-1',
  'abc',
  '+5',
  '0x10',
  'twice',
  'conflicting',
);

type ChunkStyle = 'well-formed' | 'bad-size' | 'unfinished' | 'extension' | 'oversized-size' | 'lf-only';
const chunkStyles = fc.constantFrom<ChunkStyle>(
  'well-formed',
  'bad-size',
  'unfinished',
  'extension',
  'oversized-size',
  'lf-only',
);

function lengthHeaders(style: LengthStyle, size: number): Header[] {
  switch (style) {
    case 'none':
      return [];
    case 'exact':
      return [['content-length', String(size)]];
    case 'short':
      return [['content-length', String(Math.max(0, size - 3))]];
    case 'long':
      return [['content-length', String(size + 10)]];
    case 'twice':
      return [
        ['content-length', String(size)],
        ['content-length', String(size)],
      ];
    case 'conflicting':
      return [
        ['content-length', String(size)],
        ['content-length', String(size + 1)],
      ];
    default:
      return [['content-length', style]];
  }
}

function chunked(body: Buffer, style: ChunkStyle): Buffer {
  const size = body.length.toString(16);
  switch (style) {
    case 'well-formed':
      return Buffer.concat([Buffer.from(`${size}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
    case 'bad-size':
      return Buffer.concat([Buffer.from('zz\r\n'), body, Buffer.from('\r\n0\r\n\r\n')]);
    case 'unfinished':
      return Buffer.concat([Buffer.from(`${size}\r\n`), body, Buffer.from('\r\n')]);
    case 'extension':
      return Buffer.concat([Buffer.from(`${size};ext=1\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
    case 'oversized-size':
      return Buffer.concat([
        Buffer.from(`${(body.length + 100).toString(16)}\r\n`),
        body,
        Buffer.from('\r\n'),
      ]);
    case 'lf-only':
      return Buffer.concat([Buffer.from(`${size}\n`), body, Buffer.from('\n0\n\n')]);
  }
}

export function framingCase(
  operations: readonly Operation[],
  known: Known,
  authorization: string,
): fc.Arbitrary<FramingCase> {
  const operationWithBody = fc.constantFrom(...operations).chain((operation) =>
    (operation.body === undefined ? fc.constant({}) : validValue(operation.body, known)).map((body) => ({
      operation,
      body: Buffer.from(JSON.stringify(body)),
    })),
  );
  return fc
    .record({
      target: operationWithBody,
      expect: expectations,
      transferEncoding: transferEncodings,
      length: lengthStyles,
      chunks: chunkStyles,
      holdBody: fc.boolean(),
    })
    .map(({ target, expect, transferEncoding, length, chunks, holdBody }) => {
      const { operation, body } = target;
      const isChunked = transferEncoding.some(([, value]) => /chunked/i.test(value));
      const payload = isChunked ? chunked(body, chunks) : body;
      const headers: Header[] = [
        ['authorization', authorization],
        ['content-type', 'application/json'],
        ...expect,
        ...transferEncoding,
        ...lengthHeaders(length, body.length),
      ];
      // Unfilled templates stay as they are: the route is still matched, the id refused.
      const path = operation.template.replace(/\{([^}]+)\}/g, (_, name: string) => known[name]?.[0] ?? name);
      const mayWait =
        (!isChunked && length === 'long') ||
        (!isChunked && transferEncoding.length > 0) ||
        (isChunked && (chunks === 'unfinished' || chunks === 'oversized-size')) ||
        (isChunked && length !== 'none');
      return {
        mayWait,
        summary: `${operation.method} ${path} | ${headers
          .slice(1)
          .map(([name, value]) => `${name}: ${value}`)
          .join(', ')} | ${isChunked ? `chunked ${chunks}` : 'plain'} body of ${body.length} bytes${
          holdBody && expect.length > 0 ? ', held for 100 Continue' : ''
        }`,
        request: {
          method: operation.method,
          target: path,
          headers,
          body: payload,
          holdBodyMs: holdBody && expect.length > 0 ? 1_000 : undefined,
          timeoutMs: 4_000,
        },
      };
    });
}
