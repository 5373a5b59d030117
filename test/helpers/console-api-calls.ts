import ts from 'typescript';
import { join, relative } from 'node:path';

/** One `call<T>(METHOD, PATH, BODY)` of the console, as written in its source. */
export interface ConsoleCall {
  /** `file:line` of the call, for messages. */
  where: string;
  method: string;
  /** The path as an OpenAPI template: `/v1/segments/{}/size` (each `${...}` is a `{}`; no query). */
  path: string;
  /** The type the console reads the answer as, or undefined when it reads none (`call(...)`). */
  answer: ts.Type | undefined;
  /** Why the path could not be read, when it could not (a path built at run time). */
  unreadable?: string;
}

/** The console's calls and the type checker that understands their types. */
export interface ConsoleCalls {
  calls: ConsoleCall[];
  checker: ts.TypeChecker;
}

/**
 * Reads every `call(...)` in the console's source (console/src, with its own tsconfig) and what each
 * sends and expects, so a test can hold them against the served OpenAPI document.
 * Example: `readConsoleCalls(root).calls[0]` -> `{ where: 'app.tsx:43', method: 'GET', path: '/v1/session', ... }`.
 */
export function readConsoleCalls(root: string): ConsoleCalls {
  const configPath = join(root, 'console', 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, join(root, 'console'));
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const checker = program.getTypeChecker();
  const calls: ConsoleCall[] = [];
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || !file.fileName.startsWith(join(root, 'console', 'src'))) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'call')
        calls.push(...callsOf(node, file, root, checker));
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { calls, checker };
}

/** The call as each path it may take (both sides of a `cond ? a : b`); none when it is not an API call. */
function callsOf(
  node: ts.CallExpression,
  file: ts.SourceFile,
  root: string,
  checker: ts.TypeChecker,
): ConsoleCall[] {
  const [methodArg, pathArg] = node.arguments;
  if (methodArg === undefined || pathArg === undefined || !ts.isStringLiteral(methodArg)) return [];
  const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const where = `${relative(join(root, 'console', 'src'), file.fileName)}:${line}`;
  const typeNode = node.typeArguments?.[0];
  const answer = typeNode === undefined ? undefined : checker.getTypeFromTypeNode(typeNode);
  const base = { where, method: methodArg.text, answer };
  const paths = pathsOf(pathArg, checker, 0);
  if (paths === undefined || paths.some((p) => !p.startsWith('/')))
    return [{ ...base, path: '', unreadable: `the path ${pathArg.getText(file)} is built at run time` }];
  return paths.map((path) => ({ ...base, path: path.split('?')[0] ?? '' }));
}

/**
 * A path expression as templates: literals kept, `${...}` as `{}`, a const followed to its value, each
 * side of a conditional; undefined when it cannot be read without running it.
 */
function pathsOf(node: ts.Expression, checker: ts.TypeChecker, depth: number): string[] | undefined {
  if (depth > 5) return undefined;
  if (ts.isParenthesizedExpression(node)) return pathsOf(node.expression, checker, depth + 1);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isConditionalExpression(node)) {
    const yes = pathsOf(node.whenTrue, checker, depth + 1);
    const no = pathsOf(node.whenFalse, checker, depth + 1);
    return yes === undefined || no === undefined ? undefined : [...yes, ...no];
  }
  if (ts.isTemplateExpression(node)) {
    // a leading `${path}` is a path the function built before: follow it; any other span is a parameter
    const first = node.templateSpans[0];
    const heads =
      node.head.text === '' && first !== undefined
        ? (pathsOf(first.expression, checker, depth + 1) ?? ['{}'])
        : [];
    let out = node.head.text;
    node.templateSpans.forEach((span, i) => {
      out += (i === 0 && heads.length > 0 ? '\u0000' : '{}') + span.literal.text;
    });
    return heads.length > 0 ? heads.map((h) => out.replace('\u0000', h)) : [out];
  }
  if (ts.isIdentifier(node)) {
    const declaration = checker.getSymbolAtLocation(node)?.valueDeclaration;
    if (declaration !== undefined && ts.isVariableDeclaration(declaration) && declaration.initializer)
      return pathsOf(declaration.initializer, checker, depth + 1);
  }
  return undefined;
}
