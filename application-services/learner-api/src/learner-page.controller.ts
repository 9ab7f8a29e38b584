import { readFileSync } from 'node:fs';
import { Controller, Get, Header } from '@nestjs/common';

/** The page's files, as they are (plain HTML and one script, no build step). */
const PAGE_DIR = new URL('../page/', import.meta.url);

/** Read once at startup: they are small and change only with a deploy. */
const PAGE = readFileSync(new URL('notifications.html', PAGE_DIR), 'utf8');
const SCRIPT = readFileSync(new URL('notifications.js', PAGE_DIR), 'utf8');

// The page, the API and the stream share the gateway's one origin, and the page runs no inline
// script: what it runs is exactly the file served beside it.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; " +
  "form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The learner's notifications page: logs in, lists the feed and shows new notifications live. It
 * belongs to the learner product, so learner-api serves it beside the API it calls; the gateway
 * routes `/learner/` here with no login (route `learner-page`: the page asks for one itself).
 */
@Controller('learner')
export class LearnerPageController {
  @Get('notifications')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CONTENT_SECURITY_POLICY)
  @Header('x-content-type-options', 'nosniff')
  @Header('referrer-policy', 'no-referrer')
  @Header('cache-control', 'no-cache')
  page(): string {
    return PAGE;
  }

  @Get('notifications.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('x-content-type-options', 'nosniff')
  @Header('cache-control', 'no-cache')
  script(): string {
    return SCRIPT;
  }
}
