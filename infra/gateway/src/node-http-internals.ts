import { IncomingMessage, type IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';

/*
 * What the front lane (ADR 0075) borrows of node:http that is not its public API, in one place:
 * the llhttp binding node:http parses requests with, its method table, the checks `writeHead` runs
 * on header names and values, and the way IncomingMessage merges repeated headers. They have been
 * stable for years; front-lane.test.ts pins them, so a Node upgrade that changes them fails there.
 */

export interface HttpParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenientFlags: number): void;
  execute(data: Buffer): number | Error;
  close(): void;
  [callback: number]: unknown;
}

interface HttpCommon {
  HTTPParser: {
    new (): HttpParser;
    REQUEST: number;
    kOnHeaders: number;
    kOnHeadersComplete: number;
    kOnBody: number;
    kOnMessageComplete: number;
    kOnExecute: number;
  };
  methods: readonly string[];
  _checkIsHttpToken(name: string): boolean;
  _checkInvalidHeaderChar(value: string): boolean;
}

const common = createRequire(import.meta.url)('_http_common') as HttpCommon;

export const { HTTPParser, methods } = common;
/** A header name node:http would write. */
export const isHttpToken = common._checkIsHttpToken;
/** A header value with a character node:http refuses to write (CR, LF, other controls but HTAB). */
export const hasInvalidHeaderChar = common._checkInvalidHeaderChar;

type HeaderLines = (
  this: { joinDuplicateHeaders: boolean },
  field: string,
  value: string,
  dest: IncomingHttpHeaders,
) => void;

/** IncomingMessage's merge of one header line into its `headers` (joined, first kept, or a list). */
export const addHeaderLine = (IncomingMessage.prototype as unknown as { _addHeaderLine: HeaderLines })
  ._addHeaderLine;
