import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const k8sDir = join(root, 'infra/k8s');

/** A part of rendered YAML, read field by field (the schemas already checked its shape). */
export type Loose = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- see above

export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; namespace?: string };
  spec?: Loose;
  data?: Record<string, string>;
  [key: string]: unknown;
}

/** `kubectl kustomize <overlay>`, parsed: what `kubectl apply -k` would send. */
export async function render(overlay: string): Promise<RenderedObject[]> {
  const { stdout } = await promisify(execFile)('kubectl', ['kustomize', join(k8sDir, overlay)], {
    maxBuffer: 32 * 1024 * 1024,
  });
  return parseAllDocuments(stdout).map((document) => {
    if (document.errors.length > 0)
      throw new Error(`unreadable YAML from kubectl: ${document.errors[0]!.message}`);
    return document.toJS() as RenderedObject;
  });
}

export const named = (objects: RenderedObject[], kind: string) =>
  new Map(objects.filter((object) => object.kind === kind).map((object) => [object.metadata.name, object]));
