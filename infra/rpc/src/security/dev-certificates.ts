import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from '@strata/shared-kernel';
import { readTlsMaterial, type TlsMaterial } from './tls-material.ts';

const run = promisify(execFile);

/** Service names become file names and certificate subjects, so they are kept to DNS-label characters. */
const serviceName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lower-case letters, digits and dashes');

const devCertificatesOptionsSchema = z.object({
  /** Where the CA and certificates live, e.g. `<repo>/.stack/certs` (git-ignored). */
  dir: z.string().min(1),
  services: z.array(serviceName).min(1),
  /** Subject of the CA; a second CA with another name is how tests prove foreign certificates are refused. */
  caName: z.string().min(1).default('Strata development CA'),
  validDays: z.number().int().positive().default(825),
});

export type DevCertificatesOptions = z.input<typeof devCertificatesOptionsSchema>;

export interface DevCertificates {
  dir: string;
  caCertFile: string;
  caKeyFile: string;
  services: Record<string, { certFile: string; keyFile: string }>;
}

/**
 * Makes sure a development CA and one certificate per service exist under `dir`, with the
 * `openssl` CLI. Idempotent: an existing CA is kept, and a service certificate is only issued
 * when it is missing or no longer verifies against the CA. Each certificate names the service as
 * CN and DNS SAN and also lists localhost and 127.0.0.1, so a local client's host-name check passes.
 * Not for production: keys are unencrypted files.
 */
export async function ensureDevCertificates(options: DevCertificatesOptions): Promise<DevCertificates> {
  const config = devCertificatesOptionsSchema.parse(options);
  await mkdir(config.dir, { recursive: true, mode: 0o700 });
  const caCertFile = join(config.dir, 'ca.crt');
  const caKeyFile = join(config.dir, 'ca.key');
  if (!((await exists(caCertFile)) && (await exists(caKeyFile)))) {
    await issueCa(config.dir, config.caName, config.validDays);
  }
  const services: DevCertificates['services'] = {};
  for (const service of config.services) {
    const certFile = join(config.dir, `${service}.crt`);
    const keyFile = join(config.dir, `${service}.key`);
    if (!((await exists(keyFile)) && (await verifies(caCertFile, certFile)))) {
      await issueServiceCertificate(config.dir, service, config.validDays);
    }
    services[service] = { certFile, keyFile };
  }
  return { dir: config.dir, caCertFile, caKeyFile, services };
}

/** The TLS material one service presents, read from a development CA's files. */
export function devTlsMaterial(certificates: DevCertificates, service: string): Promise<TlsMaterial> {
  const files = certificates.services[service];
  if (files === undefined) {
    throw new Error(
      `no development certificate for '${service}'; issued: ${Object.keys(certificates.services).join(', ')}`,
    );
  }
  return readTlsMaterial({
    caFile: certificates.caCertFile,
    certFile: files.certFile,
    keyFile: files.keyFile,
  });
}

async function issueCa(dir: string, caName: string, validDays: number): Promise<void> {
  // Written to a scratch folder and renamed into place, so an interrupted run leaves no half CA.
  await inScratch(dir, async (scratch) => {
    await openssl([
      'req',
      '-x509',
      '-new',
      ...ecKey(),
      '-nodes',
      '-keyout',
      join(scratch, 'ca.key'),
      '-out',
      join(scratch, 'ca.crt'),
      '-days',
      String(validDays),
      '-subj',
      `/CN=${caName}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await rename(join(scratch, 'ca.key'), join(dir, 'ca.key'));
    await rename(join(scratch, 'ca.crt'), join(dir, 'ca.crt'));
  });
}

async function issueServiceCertificate(dir: string, service: string, validDays: number): Promise<void> {
  await inScratch(dir, async (scratch) => {
    const key = join(scratch, `${service}.key`);
    const csr = join(scratch, `${service}.csr`);
    const cert = join(scratch, `${service}.crt`);
    const extensions = join(scratch, 'extensions.cnf');
    await writeFile(
      extensions,
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        // Both usages: every service is a server to its callers and a client of the services below it.
        'extendedKeyUsage=serverAuth,clientAuth',
        `subjectAltName=DNS:${service},DNS:localhost,IP:127.0.0.1`,
      ].join('\n'),
    );
    await openssl([
      'req',
      '-new',
      ...ecKey(),
      '-nodes',
      '-keyout',
      key,
      '-out',
      csr,
      '-subj',
      `/CN=${service}`,
    ]);
    await openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      join(dir, 'ca.crt'),
      '-CAkey',
      join(dir, 'ca.key'),
      '-set_serial',
      `0x${randomSerial()}`,
      '-days',
      String(validDays),
      '-extfile',
      extensions,
      '-out',
      cert,
    ]);
    await rename(key, join(dir, `${service}.key`));
    await rename(cert, join(dir, `${service}.crt`));
  });
}

/** P-256 keys: handshakes are several times cheaper than with RSA-2048. */
function ecKey(): string[] {
  return ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
}

function randomSerial(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0'))
    .join('')
    .replace(/^[89a-f]/, '1');
}

async function inScratch(dir: string, work: (scratch: string) => Promise<void>): Promise<void> {
  const scratch = await mkdtemp(join(dir, '.issuing-'));
  try {
    await work(scratch);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { env: { ...process.env, OPENSSL_CONF: '/dev/null' } });
  } catch (error) {
    const failed = error as Error & { stderr?: string; code?: string };
    const hint = failed.code === 'ENOENT' ? ' (install the openssl CLI: apt-get install openssl)' : '';
    throw new Error(`openssl ${args[0]} failed${hint}: ${failed.stderr?.trim() || failed.message}`, {
      cause: error,
    });
  }
}

async function verifies(caCertFile: string, certFile: string): Promise<boolean> {
  if (!(await exists(certFile))) return false;
  try {
    await run('openssl', ['verify', '-CAfile', caCertFile, certFile]);
    return true;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
