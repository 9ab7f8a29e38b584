export {
  clientTlsSchema,
  readTlsMaterial,
  serverTlsSchema,
  tlsMaterialSchema,
  type ClientTls,
  type ServerTls,
  type TlsFiles,
  type TlsMaterial,
} from './tls-material.ts';
export { certificateNames, certificateServiceName } from './peer-identity.ts';
export {
  devTlsMaterial,
  ensureDevCertificates,
  type DevCertificates,
  type DevCertificatesOptions,
} from './dev-certificates.ts';
