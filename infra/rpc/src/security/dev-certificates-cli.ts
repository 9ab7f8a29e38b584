import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDevCertificates } from './dev-certificates.ts';

const usage = `usage: node infra/rpc/src/security/dev-certificates-cli.ts [--dir <dir>] <service> [<service> …]
Creates (once) a development CA and a certificate per service; default dir: ./.stack/certs`;

const { values, positionals } = parseArgs({
  options: { dir: { type: 'string', default: '.stack/certs' }, help: { type: 'boolean', short: 'h' } },
  allowPositionals: true,
});

if (values.help || positionals.length === 0) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}

try {
  const certificates = await ensureDevCertificates({ dir: resolve(values.dir), services: positionals });
  console.log(`CA: ${certificates.caCertFile}`);
  for (const [service, files] of Object.entries(certificates.services)) {
    console.log(`${service}: ${files.certFile} ${files.keyFile}`);
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
