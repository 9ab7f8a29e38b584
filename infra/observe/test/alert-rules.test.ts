import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { ALERT_RULES_FILE } from '@strata/observe';

const run = promisify(execFile);

// promtool comes with Debian's prometheus package, which `npm run stack:up` installs.
describe('the alert rules', () => {
  it('are valid rules to promtool', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', ALERT_RULES_FILE]);
    expect(stdout).toContain('SUCCESS: 10 rules found');
  });

  it('fire on a stuck outbox, growing lag and an open breaker, and not before (promtool test rules)', async () => {
    const { stdout } = await run('promtool', ['test', 'rules', 'strata-alerts.test.yml'], {
      cwd: dirname(ALERT_RULES_FILE),
    });
    expect(stdout).toContain('SUCCESS');
  });
});
