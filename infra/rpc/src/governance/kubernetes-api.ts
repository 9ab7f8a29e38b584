import { readFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/*
 * The Kubernetes API as a pod reaches it: the service account's token and CA, the pod's own
 * namespace, and the API server from KUBERNETES_SERVICE_HOST/PORT unless an address is configured.
 */

export const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The configured namespace, or the pod's own (the service account's namespace file). */
export function podNamespace(configured: string | undefined): Promise<string> {
  return configured !== undefined
    ? Promise.resolve(configured)
    : readFile(`${SERVICE_ACCOUNT}/namespace`, 'utf8').then(
        (text) => text.trim(),
        () => {
          throw new Error(
            `no Kubernetes namespace: not in a pod (${SERVICE_ACCOUNT}/namespace) and none configured (STRATA_KUBERNETES_NAMESPACE)`,
          );
        },
      );
}

export interface KubernetesApiOptions {
  /** The API server; in a pod, from KUBERNETES_SERVICE_HOST/PORT. */
  apiUrl?: string | undefined;
  tokenFile: string;
  caFile: string;
}

export class KubernetesApi {
  readonly #options: KubernetesApiOptions;
  readonly #namespace: () => Promise<string>;

  constructor(options: KubernetesApiOptions, namespace: () => Promise<string>) {
    this.#options = options;
    this.#namespace = namespace;
  }

  /** A GET of `pathAndQuery`, where `{namespace}` stands for the namespace; the response unread. */
  async get(pathAndQuery: string): Promise<IncomingMessage> {
    const namespace = await this.#namespace();
    const base = this.#options.apiUrl ?? inClusterApiUrl();
    const url = new URL(pathAndQuery.replace('{namespace}', namespace), base);
    // Bound service account tokens rotate (about hourly): read the file for every request.
    const token = await readFile(this.#options.tokenFile, 'utf8').then(
      (text) => text.trim(),
      () => undefined,
    );
    const headers = { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const secure = url.protocol === 'https:';
    const ca = secure ? await readFile(this.#options.caFile) : undefined;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const request = (secure ? httpsRequest : httpRequest)(url, { headers, ...(ca ? { ca } : {}) }, resolve);
      request.on('error', reject);
      request.end();
    });
  }
}

function inClusterApiUrl(): string {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
  if (host === undefined) {
    throw new Error('not in a Kubernetes pod (no KUBERNETES_SERVICE_HOST) and no API URL configured');
  }
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
