import { readFileSync } from 'node:fs';
import { enableCompileCache, registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { transformSync, type Options } from '@swc/core';
import swcOptions from './swc-options.json' with { type: 'json' };

/*
 * `node --import @strata/runtime/typescript <entry point>`: runs the platform's TypeScript from
 * source with SWC, under the settings the tests compile with (swc-options.json, read by
 * jest.config.js too): legacy decorators with their metadata, which the NestJS application
 * services' constructor injection reads and Node's own type stripping cannot emit (ADR 0001).
 *
 * The hooks run in the loading thread (`module.registerHooks`), not on a hooks thread
 * (`module.register`, which @swc-node/register uses): there every `import` and every `require()`
 * of every package, ours or not, waits for a round trip between threads, and that was half of
 * `npm start`'s start-up (ADR 0042). Only the platform's own `.ts` files are compiled; everything
 * else goes to Node's loader untouched. V8's compile cache (Node's default folder, or
 * NODE_COMPILE_CACHE) keeps the compiled code of every module between starts.
 */

const options: Options = swcOptions as Options;

registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/'))
      return nextLoad(url, context);
    const filename = fileURLToPath(url);
    const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
    return { format: 'module', source: code, shortCircuit: true };
  },
});
// Stack traces name the TypeScript lines, through the source maps SWC inlines.
process.setSourceMapsEnabled(true);
enableCompileCache();
