import type { UserAgentFamily } from '../link-visited.ts';

// What a visit keeps of the visitor's browser: its family, and whether it is a program rather than
// a person, so visit statistics count people and show bots apart. A user agent is what the client
// says, so this is an estimate; it is cheap (a few pattern tests) since it runs on every redirect.

const BOT =
  /bot\b|bot\/|crawl|spider|slurp|preview|facebookexternalhit|embedly|curl\/|wget\/|python-|go-http-client|java\/|okhttp|headless|lighthouse|monitor/i;

// Order matters: Edge, Opera and Samsung Internet all also say Chrome; Chrome also says Safari.
const FAMILIES: readonly (readonly [RegExp, UserAgentFamily])[] = [
  [/\bEdg(e|A|iOS)?\//, 'edge'],
  [/\bOPR\/|\bOpera\b/, 'opera'],
  [/\bSamsungBrowser\//, 'samsung-internet'],
  [/\bChrome\/|\bCriOS\//, 'chrome'],
  [/\bFirefox\/|\bFxiOS\//, 'firefox'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'safari'],
];

/** The browser family a user agent names; `other` for anything unknown or absent. */
export function userAgentFamilyOf(userAgent: string | null | undefined): UserAgentFamily {
  if (!userAgent) return 'other';
  for (const [pattern, family] of FAMILIES) if (pattern.test(userAgent)) return family;
  return 'other';
}

/**
 * Whether a visit came from a program (crawler, link preview, script). A visit that names no user
 * agent at all is a program too: every browser sends one.
 */
export function isBotUserAgent(userAgent: string | null | undefined): boolean {
  return !userAgent || BOT.test(userAgent);
}
