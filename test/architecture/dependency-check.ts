/**
 * The layer check (issue 14, point 3): which folder of `src/` imports which, against one table of rules
 * (`layer-rules.ts`), and no cycle between folders. Pure functions over a list of imports, so the check's
 * own tests feed it made-up imports; `layers.test.ts` runs it over the real `src/`.
 *
 * A layer is the first folder under `src/` (`src/core/rules/x.ts` is in `core`); `src/app.ts` is in the
 * layer `app` with `src/app/`. Imports inside one layer are free. Imports of packages (`node:fs`, `fastify`) are not
 * layers and are not checked here.
 */
import { posix } from 'node:path';
import ts from 'typescript';

/** One import of a source file: `from` imports `specifier`, which resolves to the file `to`. */
export interface Import {
  /** the importing file, relative to the repository root: `src/log/visitor-matcher.ts` */
  from: string;
  /** as written: `../demo/visit-events.ts` */
  specifier: string;
  /** the imported file, relative to the repository root: `src/demo/visit-events.ts` */
  to: string;
}

/** What a layer may import, and why (shown when the rule is broken). */
export interface LayerRule {
  /** the layers this one may import; `'*'`: any (the composition root) */
  mayImport: readonly string[] | '*';
  why: string;
}

/** An import the table forbids but that is known and kept for now, with the issue point that removes it. */
export interface AllowedException {
  /** the importing file */
  from: string;
  /** the imported layer */
  to: string;
  /** why it is there, and which issue point takes it away */
  why: string;
}

export interface LayerRules {
  layers: Readonly<Record<string, LayerRule>>;
  allowed: readonly AllowedException[];
}

export interface Violation {
  import: Import;
  fromLayer: string;
  toLayer: string;
  message: string;
}

/**
 * The relative specifiers a TypeScript file imports: `import ... from`, `import type`, `export ... from`,
 * side-effect `import '...'` and dynamic `import('...')` (comments and strings are not imports).
 */
export function importSpecifiers(source: string): string[] {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((s) => s.startsWith('./') || s.startsWith('../'));
}

/** The imports of one file, resolved against its folder. Example: `importsOf('src/log/a.ts', text)`. */
export function importsOf(file: string, source: string): Import[] {
  return importSpecifiers(source).map((specifier) => ({
    from: file,
    specifier,
    to: posix.normalize(posix.join(posix.dirname(file), specifier)),
  }));
}

/**
 * The layer of a file under `src/`: its first folder, or `app` for `src/app.ts` (beside `src/app/`); undefined outside `src/`.
 * Example: `layerOf('src/core/rules/index.ts')` -> `'core'`.
 */
export function layerOf(file: string): string | undefined {
  const parts = file.split('/');
  if (parts[0] !== 'src' || parts.length < 2) return undefined;
  if (parts.length === 2) return (parts[1] as string).replace(/\.ts$/, '');
  return parts[1];
}

/** Whether a file is test code, which may import more (fixtures, fakes): `*.test.ts` or under `testing/`. */
export function isTestCode(file: string): boolean {
  return file.endsWith('.test.ts') || file.split('/').includes('testing');
}

/** Every import of production code that the table does not allow and no exception covers. */
export function checkLayers(imports: readonly Import[], rules: LayerRules): Violation[] {
  const out: Violation[] = [];
  for (const imp of imports) {
    if (isTestCode(imp.from)) continue;
    const fromLayer = layerOf(imp.from);
    if (fromLayer === undefined) continue;
    const toLayer = layerOf(imp.to) ?? 'outside src/';
    if (isTestCode(imp.to)) {
      out.push(violation(imp, fromLayer, toLayer, 'production code imports test code (a testing/ folder)'));
      continue;
    }
    if (toLayer === fromLayer) continue;
    if (rules.allowed.some((a) => a.from === imp.from && a.to === toLayer)) continue;
    const rule = rules.layers[fromLayer];
    if (rule === undefined) {
      out.push(violation(imp, fromLayer, toLayer, `layer '${fromLayer}' is not in the table`));
      continue;
    }
    if (rule.mayImport === '*' || rule.mayImport.includes(toLayer)) continue;
    const may = rule.mayImport.length === 0 ? 'nothing outside itself' : rule.mayImport.join(', ');
    out.push(violation(imp, fromLayer, toLayer, `'${fromLayer}' may import ${may} (${rule.why})`));
  }
  return out;
}

function violation(imp: Import, fromLayer: string, toLayer: string, rule: string): Violation {
  return {
    import: imp,
    fromLayer,
    toLayer,
    message: `${imp.from} imports '${imp.specifier}' (layer '${toLayer}'): ${rule}`,
  };
}

/**
 * The folder graph of production code: layer -> layers it imports, with one example import per edge.
 * Imports an exception allows are left out (each is known debt, named in the rules with its issue point).
 */
export function layerGraph(
  imports: readonly Import[],
  allowed: readonly AllowedException[] = [],
): Map<string, Map<string, Import>> {
  const graph = new Map<string, Map<string, Import>>();
  for (const imp of imports) {
    if (isTestCode(imp.from) || isTestCode(imp.to)) continue;
    const from = layerOf(imp.from);
    const to = layerOf(imp.to);
    if (from === undefined || to === undefined || from === to) continue;
    if (allowed.some((a) => a.from === imp.from && a.to === to)) continue;
    let edges = graph.get(from);
    if (edges === undefined) graph.set(from, (edges = new Map<string, Import>()));
    if (!edges.has(to)) edges.set(to, imp);
    if (!graph.has(to)) graph.set(to, new Map());
  }
  return graph;
}

/**
 * The cycles between layers: each strongly connected component of two or more layers (Tarjan), its
 * layers sorted. Example: `a -> b -> a` and `c` alone give `[['a', 'b']]`.
 */
export function layerCycles(graph: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) out.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

/** A cycle's edges as imports, one example each, in cycle order: what to read to break it. */
export function cycleEdges(
  component: readonly string[],
  graph: ReadonlyMap<string, ReadonlyMap<string, Import>>,
): Import[] {
  const inside = new Set(component);
  const out: Import[] = [];
  for (const from of component)
    for (const [to, imp] of graph.get(from) ?? []) if (inside.has(to)) out.push(imp);
  return out;
}

const HOW_TO_FIX = [
  'How to fix: move the shared type or pure function down (into the lower layer, or src/core);',
  'or invert the dependency: the lower layer declares a small interface of what it needs, and the',
  'composition root (src/app.ts) passes in the higher layer that implements it. Change the table in',
  'test/architecture/layer-rules.ts only when the layering itself changes (and say why there).',
].join('\n');

/** The table itself as a graph (the composition root's `'*'` left out): it must have no cycle either. */
export function ruleGraph(rules: LayerRules): Map<string, Map<string, null>> {
  const graph = new Map<string, Map<string, null>>();
  for (const [layer, rule] of Object.entries(rules.layers)) {
    if (rule.mayImport === '*') continue;
    graph.set(layer, new Map(rule.mayImport.map((to) => [to, null])));
  }
  return graph;
}

/** The failure text: each forbidden import and each cycle, what the table says, and how to fix. */
export function report(
  violations: readonly Violation[],
  cycles: readonly string[][],
  graph: ReadonlyMap<string, ReadonlyMap<string, Import>>,
): string {
  const lines: string[] = [];
  if (violations.length > 0) {
    lines.push(`${violations.length} import(s) break the layer rules:`);
    for (const v of violations) lines.push(`  - ${v.message}`);
  }
  for (const cycle of cycles) {
    lines.push(`cycle between layers ${cycle.join(', ')}:`);
    for (const e of cycleEdges(cycle, graph))
      lines.push(`  - ${layerOf(e.from)} -> ${layerOf(e.to)}: ${e.from} imports '${e.specifier}'`);
  }
  if (lines.length > 0) lines.push(HOW_TO_FIX);
  return lines.join('\n');
}
