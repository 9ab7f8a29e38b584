import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** One example's blocks by language, e.g. its JSON and the same thing's bytes in hex. */
export type DocExample = Partial<Record<string, string>>;

/**
 * The examples a document marks for checking: fenced blocks whose info string is
 * `<language> example=<name>`, e.g. "```json example=get-request". Renderers show them as plain
 * json or hex blocks; tests read them so the documents cannot drift from what the platform does.
 */
export async function docExamples(document: string): Promise<Map<string, DocExample>> {
  const path = fileURLToPath(new URL(`../../docs/${document}`, import.meta.url));
  const markdown = await readFile(path, 'utf8');
  const examples = new Map<string, DocExample>();
  for (const match of markdown.matchAll(/^```(\w+) example=([\w-]+)\n([\s\S]*?)^```$/gm)) {
    const [, language, name, text] = match as unknown as [string, string, string, string];
    const blocks = examples.get(name) ?? {};
    if (blocks[language] !== undefined)
      throw new Error(`${document} has two ${language} examples named ${name}`);
    blocks[language] = text;
    examples.set(name, blocks);
  }
  return examples;
}

/** A hex example's bytes: pairs of hex digits; anything after `|` on a line is a comment. */
export function hexBytes(text: string): Buffer {
  const digits = text
    .split('\n')
    .map((line) => line.split('|')[0]!)
    .join(' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  for (const pair of digits) if (!/^[0-9a-f]{2}$/.test(pair)) throw new Error(`not a hex byte: ${pair}`);
  return Buffer.from(digits.join(''), 'hex');
}
