import type { StackTool } from './stack-tool.ts';
import { chromiumTool } from './tools/chromium.ts';
import { prometheusTool } from './tools/prometheus.ts';

/** What the tests need besides the four services. */
export function stackTools(): StackTool[] {
  return [chromiumTool(), prometheusTool()];
}
