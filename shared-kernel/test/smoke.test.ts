import { describe, expect, it } from '@jest/globals';
import { placeholder } from '@strata/shared-kernel';
import { z } from 'zod';
describe('x', () => { it('y', () => { expect(placeholder).toBe(1); expect(z.string().parse('a')).toBe('a'); }); });
