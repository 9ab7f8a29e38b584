import type { PeerCertificate } from 'node:tls';

/**
 * The service a verified certificate speaks for: its subject CN, or failing that its first DNS
 * subject-alternative name. Call only on a certificate the TLS layer has already verified.
 */
export function certificateServiceName(certificate: PeerCertificate | undefined): string | undefined {
  if (certificate === undefined || Object.keys(certificate).length === 0) return undefined;
  const cn = certificate.subject?.CN as string | string[] | undefined;
  const first = Array.isArray(cn) ? cn[0] : cn;
  if (first !== undefined && first !== '') return first;
  return dnsNames(certificate)[0];
}

/** Every name a certificate can be matched by: the CN and the DNS subject-alternative names. */
export function certificateNames(certificate: PeerCertificate): string[] {
  const cn = certificate.subject?.CN as string | string[] | undefined;
  const cns = cn === undefined ? [] : Array.isArray(cn) ? cn : [cn];
  return [...new Set([...cns, ...dnsNames(certificate)])];
}

function dnsNames(certificate: PeerCertificate): string[] {
  return (certificate.subjectaltname ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice('DNS:'.length));
}
