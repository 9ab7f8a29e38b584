import type { OutgoingHttpHeader, OutgoingHttpHeaders } from 'node:http';
import { hasInvalidHeaderChar, isHttpToken } from './node-http-internals.ts';

/*
 * The front lane's response head (front-messages.ts, ADR 0075), checked as node:http's
 * `writeHead` checks it (its own token and character checks, the same errors), and what its
 * headers say about the connection and the body's framing.
 */

let dateLine = '';

/** `Date: …\r\n`, made once a second as node:http does. */
export function currentDateLine(): string {
  if (dateLine === '') {
    dateLine = `Date: ${new Date().toUTCString()}\r\n`;
    setTimeout(() => (dateLine = ''), 1000 - (Date.now() % 1000)).unref();
  }
  return dateLine;
}

/** A name node:http would accept, checked once per name; bounded like the gateway's other name maps. */
const checkedNames = new Set<string>();
const CHECKED_NAMES_MAX = 512;

function checkName(name: string): void {
  if (checkedNames.has(name)) return;
  if (!isHttpToken(name))
    throw headerError('ERR_INVALID_HTTP_TOKEN', `Header name must be a valid HTTP token ["${name}"]`);
  if (checkedNames.size < CHECKED_NAMES_MAX) checkedNames.add(name);
}

export function headerError(code: string, message: string): TypeError {
  return Object.assign(new TypeError(message), { code });
}

/** A response head as it is built, and what its headers said about the connection and framing. */
export class HeadWriter {
  text: string;
  date = false;
  connection = false;
  close = false;
  contentLength = false;
  chunked = false;

  constructor(statusLine: string) {
    this.text = statusLine;
  }

  add(name: string, value: number | string | readonly string[] | undefined): void {
    if (value === undefined) return;
    checkName(name);
    if (Array.isArray(value)) {
      for (const one of value as readonly string[]) this.#line(name, String(one));
      return;
    }
    this.#line(name, String(value));
  }

  has(lower: string, headers: OutgoingHttpHeaders | OutgoingHttpHeader[] | undefined): boolean {
    if (headers === undefined) return false;
    if (Array.isArray(headers)) {
      for (let index = 0; index < headers.length; index += 2)
        if ((headers[index] as string).toLowerCase() === lower) return true;
      return false;
    }
    for (const name in headers) if (name.toLowerCase() === lower) return true;
    return false;
  }

  #line(name: string, value: string): void {
    if (hasInvalidHeaderChar(value))
      throw headerError('ERR_INVALID_CHAR', `Invalid character in header content ["${name}"]`);
    this.text += `${name}: ${value}\r\n`;
    // Only these four names change what the head says beyond itself (node's `_storeHeader` too).
    const length = name.length;
    if (length !== 4 && length !== 10 && length !== 14 && length !== 17) return;
    const lower = name.toLowerCase();
    if (lower === 'date') this.date = true;
    else if (lower === 'connection') {
      this.connection = true;
      if (/(?:^|,)\s*close\s*(?:,|$)/i.test(value)) this.close = true;
    } else if (lower === 'content-length') this.contentLength = true;
    else if (lower === 'transfer-encoding') this.chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
  }
}
