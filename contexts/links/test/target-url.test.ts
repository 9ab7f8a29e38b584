import { describe, expect, it } from '@jest/globals';
import { isDomainError } from '@strata/shared-kernel';
import { judgeTargetUrl, linkPolicy, MAX_TARGET_URL_LENGTH, TargetUrl } from '@strata/links';
import { POLICY } from './short-link.mother.ts';

function codeOf(raw: string): string {
  try {
    TargetUrl.of(raw, POLICY);
  } catch (error) {
    if (isDomainError(error) && error.details?.field === 'targetUrl') return error.code;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('a target URL', () => {
  it('is kept as the URL parser writes it back, which is what a browser asks for', () => {
    expect(TargetUrl.of('HTTPS://Example.ORG', POLICY).value).toBe('https://example.org/');
    expect(TargetUrl.of('  https://example.org/a b?q=1#top ', POLICY).value).toBe(
      'https://example.org/a%20b?q=1#top',
    );
    expect(TargetUrl.of('http://bücher.example/', POLICY).value).toBe('http://xn--bcher-kva.example/');
  });

  it('is an absolute URL', () => {
    for (const raw of ['', 'example.org/page', '/courses/1', 'https://', 'not a url']) {
      expect(codeOf(raw)).toBe('target-url-must-be-an-absolute-url');
    }
  });

  it('uses http or https: javascript:, data: and every other scheme are refused, however spelled', () => {
    for (const raw of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'DATA:text/html;base64,PHNjcmlwdD4=',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://example.org/file',
      'blob:https://example.org/uuid',
      'mailto:someone@example.org',
    ]) {
      expect(codeOf(raw)).toBe('target-url-must-use-http-or-https');
    }
  });

  it('carries no user name or password before its host', () => {
    expect(codeOf('https://trusted.example@evil.example/')).toBe('target-url-cannot-carry-credentials');
    expect(codeOf('https://user:secret@example.org/')).toBe('target-url-cannot-carry-credentials');
  });

  it('does not lead back to the short domain or any of its subdomains, however the host is written', () => {
    for (const raw of [
      'https://strata.link/spring-sale',
      'http://STRATA.LINK/x',
      'https://strata.link./x',
      'https://www.strata.link/',
      'https://strata%2Elink/x',
      'https://strata.link:8443/x',
    ]) {
      expect(codeOf(raw)).toBe('target-url-cannot-point-at-the-short-domain');
    }
    // Hosts that merely end with the same letters are someone else's.
    expect(TargetUrl.of('https://notstrata.link/', POLICY).value).toBe('https://notstrata.link/');
    expect(TargetUrl.of('https://strata.link.example/', POLICY).value).toBe('https://strata.link.example/');
  });

  it('has at most 2048 characters, as given and as written back', () => {
    const path = 'a'.repeat(MAX_TARGET_URL_LENGTH - 'https://example.org/'.length);
    expect(TargetUrl.of(`https://example.org/${path}`, POLICY).value).toHaveLength(MAX_TARGET_URL_LENGTH);
    expect(codeOf(`https://example.org/${path}a`)).toBe('target-url-cannot-exceed-max-length');
    // Fits as given, but every space becomes %20 when written back.
    expect(codeOf(`https://example.org/${' x'.repeat(700)}`)).toBe('target-url-cannot-exceed-max-length');
  });

  it('leaves the short-domain rule to the domain when judged without a policy (the contract’s schema)', () => {
    expect(judgeTargetUrl('https://strata.link/x')).toEqual({
      accepted: true,
      href: 'https://strata.link/x',
    });
    expect(judgeTargetUrl('https://strata.link/x', POLICY)).toMatchObject({
      accepted: false,
      refusal: { code: 'target-url-cannot-point-at-the-short-domain' },
    });
  });
});

describe('the link policy', () => {
  it('puts the short domain in the form a parsed host takes', () => {
    expect(linkPolicy({ shortDomain: ' Strata.LINK. ' })).toEqual({ shortDomain: 'strata.link' });
    expect(linkPolicy({ shortDomain: 'kürz.example' })).toEqual({ shortDomain: 'xn--krz-hoa.example' });
  });

  it('refuses anything but a bare host name, at start rather than at a request', () => {
    for (const shortDomain of ['', 'https://strata.link', 'strata.link/x', 'strata.link:80', 'a b']) {
      expect(() => linkPolicy({ shortDomain })).toThrow('the short domain must be a bare host name');
    }
  });
});
