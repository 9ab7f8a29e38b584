import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const entry = join(import.meta.dirname, '../fixtures/decorated-entry.ts');

describe('node --import @strata/runtime/typescript', () => {
  it('runs TypeScript with decorator metadata, stack traces on its own lines, and a compile cache', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'strata-compile-cache-'));
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', '@strata/runtime/typescript', entry],
        { env: { ...process.env, NODE_COMPILE_CACHE: cache } },
      );
      const ran = JSON.parse(stdout) as { parameterTypes: string[]; thrownAt: string; compileCache: string };
      expect(ran.parameterTypes).toEqual(['Clock']);
      // Line 19 of the TypeScript source, not of the JavaScript SWC made of it.
      expect(ran.thrownAt).toContain('decorated-entry.ts:19:');
      expect(ran.compileCache).toContain(cache);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
