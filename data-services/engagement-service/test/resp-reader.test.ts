import { describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { stackEndpoints } from '@strata/dev-stack';
import { respCommand } from '../src/links/redirect/resp-command.ts';
import { RespError, RespReader, type RespReply } from '../src/links/redirect/resp-reader.ts';

// ADR 0080: the visit ledger's raw connection reads Redis' replies itself. The bytes here are the
// real Redis' answers (the dev stack's), read back whole, a byte at a time and split at every
// offset: each way must give the same replies.

jest.setTimeout(30_000);

const key = `strata-test:resp${randomBytes(4).toString('hex')}`;
const awkward = 'a\r\nb é \u{1F600}';
const commands = [
  ['SET', key, awkward],
  ['GET', key],
  ['GET', `${key}:missing`],
  ['INCRBY', `${key}:n`, -5],
  ['EVAL', "return {1, {2, {'x', 3}}, 'abc', {}}", 0],
  ['NO-SUCH-COMMAND'],
  ['EVAL', "return redis.error_reply('MINE a failure')", 0],
  ['DEL', key, `${key}:n`],
];

function readAll(chunks: readonly Buffer[]): RespReply[] {
  const replies: RespReply[] = [];
  const reader = new RespReader((reply) => replies.push(reply));
  for (const chunk of chunks) reader.push(chunk);
  return replies;
}

/** The bytes Redis answers to `commands`, sent at once on a socket of its own. */
async function answersOf(): Promise<Buffer> {
  const target = new URL(stackEndpoints().redisUrl);
  const socket = connect(Number(target.port || 6379), target.hostname);
  const chunks: Buffer[] = [];
  let replies = 0;
  await new Promise<void>((resolve, reject) => {
    const reader = new RespReader(() => {
      if ((replies += 1) === commands.length) resolve();
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      reader.push(chunk);
    });
    socket.on('error', reject);
    socket.write(commands.map(respCommand).join(''));
  });
  socket.destroy();
  return Buffer.concat(chunks);
}

describe('the RESP reader on the real Redis', () => {
  it('reads strings, nil, integers, nested arrays and errors, however the bytes are cut', async () => {
    const bytes = await answersOf();
    const whole = readAll([bytes]);
    expect(whole.slice(0, 5)).toEqual(['OK', awkward, null, -5, [1, [2, ['x', 3]], 'abc', []]]);
    expect(whole[5]).toBeInstanceOf(RespError);
    expect((whole[5] as RespError).message).toMatch(/^ERR unknown command/);
    expect(whole[6]).toBeInstanceOf(RespError);
    expect((whole[6] as RespError).message).toBe('MINE a failure');
    expect(whole[7]).toBe(2);

    const byteByByte = readAll([...bytes].map((byte) => Buffer.from([byte])));
    expect(byteByByte).toEqual(whole);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      expect(readAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
  });

  it('refuses bytes that are not RESP rather than guess', () => {
    expect(() => readAll([Buffer.from('HTTP/1.1 200 OK\r\n')])).toThrow(/not a RESP2 reply/);
  });
});
