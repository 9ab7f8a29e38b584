import { readFile } from 'node:fs/promises';
import { z } from '@strata/shared-kernel';

const pem = (label: string) =>
  z.string().refine((value) => value.includes(`-----BEGIN `), { message: `expected a PEM-encoded ${label}` });

/** What one party of a mutual-TLS connection holds: the CA it trusts, and its own certificate and key. */
export const tlsMaterialSchema = z.object({
  ca: pem('CA certificate'),
  cert: pem('certificate'),
  key: pem('private key'),
});
export type TlsMaterial = z.infer<typeof tlsMaterialSchema>;

/** A server's TLS: its material plus the services allowed to call it, by certificate name. */
export const serverTlsSchema = tlsMaterialSchema.extend({
  allowedCallers: z
    .array(z.string().min(1))
    .min(1, 'name at least one calling service; an empty allow-list refuses everyone'),
});
export type ServerTls = z.infer<typeof serverTlsSchema>;

/** A client's TLS: its material and, optionally, the service the server's certificate must name. */
export const clientTlsSchema = tlsMaterialSchema.extend({
  /**
   * When set, the server is accepted if its certificate names this service, whatever address it
   * was reached at (registries hand out IPs that certificates do not list); when absent, the
   * usual host-name check applies.
   */
  serverService: z.string().min(1).optional(),
});
export type ClientTls = z.infer<typeof clientTlsSchema>;

export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** Reads PEM files named in configuration; a missing file fails with its path and role. */
export async function readTlsMaterial(files: TlsFiles): Promise<TlsMaterial> {
  const read = async (path: string, role: string): Promise<string> => {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new Error(`cannot read the TLS ${role} at ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
  const [ca, cert, key] = await Promise.all([
    read(files.caFile, 'CA certificate'),
    read(files.certFile, 'certificate'),
    read(files.keyFile, 'private key'),
  ]);
  return tlsMaterialSchema.parse({ ca, cert, key });
}
