import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import type { DocumentedContext } from './load-platform.ts';

/*
 * The glossary in the code: a context's own source names things with its glossary's words. Two
 * checks, both on the syntax tree (comments and prose are free to explain what a word is not):
 * - a declared name (class, function, method, field, variable, parameter, type, member) or a
 *   kebab-case code string uses a word the glossary marks "avoid";
 * - a business rule's function name and its `code` say different things.
 */

interface AvoidedWord {
  readonly words: readonly string[];
  readonly spelled: string;
  readonly term: string;
}

/** `onlyInstructorsMayDraftCourses`, `only-instructors-may-draft-courses` → only, instructors, …; digits are words. */
export function wordsOf(name: string): string[] {
  return name
    .replace(/^#/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)|(\d)([A-Za-z])/g, (_all, a, b, c, d) => (a ? `${a} ${b}` : `${c} ${d}`))
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

function uses(words: readonly string[], avoided: AvoidedWord): boolean {
  const { words: wanted } = avoided;
  for (let start = 0; start + wanted.length <= words.length; start += 1) {
    const matches = wanted.every((word, offset) => {
      const found = words[start + offset];
      // A plural counts: "authors" is the avoided "author".
      return found === word || found === `${word}s`;
    });
    if (matches) return true;
  }
  return false;
}

const KEBAB_CODE = /^[a-z0-9]+(?:-[a-z0-9]+)+$/;

/** The declarations whose names a reader of the code meets: types, members, functions, variables. */
const NAMED_DECLARATIONS: readonly ((node: ts.Node) => boolean)[] = [
  ts.isClassDeclaration,
  ts.isFunctionDeclaration,
  ts.isMethodDeclaration,
  ts.isPropertyDeclaration,
  ts.isGetAccessorDeclaration,
  ts.isSetAccessorDeclaration,
  ts.isVariableDeclaration,
  ts.isParameter,
  ts.isInterfaceDeclaration,
  ts.isTypeAliasDeclaration,
  ts.isPropertySignature,
  ts.isMethodSignature,
  ts.isEnumDeclaration,
  ts.isEnumMember,
];

function declaredName(node: ts.Node): ts.Identifier | ts.PrivateIdentifier | undefined {
  if (!NAMED_DECLARATIONS.some((isNamed) => isNamed(node))) return undefined;
  const name = (node as ts.NamedDeclaration).name;
  if (name === undefined) return undefined;
  return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) ? name : undefined;
}

/** The `code` a function declared to return a BusinessRule gives its rule, if it is a literal. */
function ruleCode(node: ts.FunctionDeclaration): string | undefined {
  if (node.type === undefined || node.type.getText() !== 'BusinessRule' || node.body === undefined)
    return undefined;
  for (const statement of node.body.statements) {
    if (!ts.isReturnStatement(statement) || statement.expression === undefined) continue;
    if (!ts.isObjectLiteralExpression(statement.expression)) continue;
    for (const property of statement.expression.properties) {
      if (
        ts.isPropertyAssignment(property) &&
        property.name.getText() === 'code' &&
        ts.isStringLiteral(property.initializer)
      ) {
        return property.initializer.text;
      }
    }
  }
  return undefined;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** One message per offence, e.g. `catalog: contexts/catalog/src/x.ts:12 names authorId with "author", …`. */
export async function checkCodeLanguage(root: string, context: DocumentedContext): Promise<string[]> {
  const avoided: AvoidedWord[] = context.glossary.terms.flatMap((term) =>
    (term.avoid ?? []).map((spelled) => ({ words: wordsOf(spelled), spelled, term: term.term })),
  );
  const problems: string[] = [];
  const srcDir = path.join(root, context.dir, 'src');
  for (const file of await sourceFiles(srcDir)) {
    // The glossary spells out the avoided words in order to forbid them.
    if (path.basename(file) === 'glossary.ts') continue;
    const where = path.relative(root, file).split(path.sep).join('/');
    const source = ts.createSourceFile(file, await readFile(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const at = (node: ts.Node) =>
      `${where}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const checkName = (node: ts.Node, name: string, what: string) => {
      const words = wordsOf(name);
      for (const word of avoided) {
        if (uses(words, word)) {
          problems.push(
            `${context.name}: ${at(node)} ${what} ${name} with "${word.spelled}", which the glossary says to avoid (term "${word.term}")`,
          );
        }
      }
    };
    const visit = (node: ts.Node): void => {
      const name = declaredName(node);
      if (name !== undefined) checkName(name, name.text, 'names');
      if (ts.isStringLiteral(node) && KEBAB_CODE.test(node.text)) checkName(node, node.text, 'codes');
      if (ts.isFunctionDeclaration(node) && node.name !== undefined) {
        const code = ruleCode(node);
        const spoken = wordsOf(node.name.text).join('-');
        if (code !== undefined && code !== spoken) {
          problems.push(
            `${context.name}: ${at(node)} rule ${node.name.text} has the code "${code}"; name the rule and its code alike (${spoken})`,
          );
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return problems;
}
