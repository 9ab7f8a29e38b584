import { describe, expect, it } from '@jest/globals';
import { z } from '@strata/shared-kernel';
import { ConfigError, loadEnvConfig } from '../src/index.ts';

const schema = z.object({
  PORT: z.coerce.number().int().min(1),
  MODE: z.enum(['a', 'b']).default('a'),
  NAME: z.string().min(1),
});

describe('loadEnvConfig', () => {
  it('answers the parsed, defaulted config', () => {
    expect(loadEnvConfig('svc', schema, { PORT: '8080', NAME: 'x', UNRELATED: 'y' })).toEqual({
      PORT: 8080,
      MODE: 'a',
      NAME: 'x',
    });
  });

  it('names every bad variable with its reason in one error', () => {
    let thrown: unknown;
    try {
      loadEnvConfig('svc', schema, { PORT: 'eighty', MODE: 'c' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.problems.map((problem) => problem.variable).sort()).toEqual(['MODE', 'NAME', 'PORT']);
    expect(error.message).toMatch(/^svc cannot start, its environment is invalid:\n/);
    expect(error.message).toMatch(/^ {2}MODE: .*"a"\|"b"/m);
  });
});
