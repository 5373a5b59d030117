import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Import, LayerRules } from './dependency-check.ts';
import {
  checkLayers,
  importSpecifiers,
  importsOf,
  layerCycles,
  layerGraph,
  layerOf,
  report,
  ruleGraph,
} from './dependency-check.ts';
import { layerRules } from './layer-rules.ts';

/** Every `.ts` file under `dir`, relative to the repository root, with `/` separators. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function imp(from: string, specifier: string): Import {
  return importsOf(from, `import { x } from '${specifier}';`)[0] as Import;
}

const rules: LayerRules = {
  layers: {
    core: { mayImport: [], why: 'pure' },
    log: { mayImport: ['core'], why: 'stores records' },
    qualify: { mayImport: ['core', 'log'], why: 'applies records' },
    app: { mayImport: '*', why: 'composition root' },
  },
  allowed: [],
};

void describe('the layer check on made-up imports', () => {
  test('reads static, type, re-export and dynamic imports, not comments or strings', () => {
    const source = [
      "import type { A } from './a.ts';",
      "import { B } from '../b/b.ts';",
      "export { C } from './c.ts';",
      "export * from './d.ts';",
      "import './e.ts';",
      "const f = await import('./f.ts');",
      "import { readFile } from 'node:fs/promises';",
      "// import { G } from './g.ts';",
      'const h = "import { H } from \'./h.ts\'";',
    ].join('\n');
    assert.deepEqual(importSpecifiers(source), [
      './a.ts',
      '../b/b.ts',
      './c.ts',
      './d.ts',
      './e.ts',
      './f.ts',
    ]);
  });

  test('resolves a specifier to its layer', () => {
    assert.equal(imp('src/core/rules/x.ts', '../../log/event-log.ts').to, 'src/log/event-log.ts');
    assert.equal(layerOf('src/core/rules/x.ts'), 'core');
    assert.equal(layerOf('src/app.ts'), 'app');
    assert.equal(layerOf('test/e2e/x.ts'), undefined);
  });

  test('fails on a deliberately wrong import, saying who imports what and which layer may import which', () => {
    const wrong = imp('src/core/x.ts', '../log/event-log.ts');
    const violations = checkLayers([wrong, imp('src/log/y.ts', '../core/event.ts')], rules);
    assert.equal(violations.length, 1);
    assert.equal(
      violations[0]?.message,
      "src/core/x.ts imports '../log/event-log.ts' (layer 'log'): 'core' may import nothing outside itself (pure)",
    );
    const text = report(violations, [], new Map());
    assert.match(text, /1 import\(s\) break the layer rules/);
    assert.match(text, /How to fix: move the shared type or pure function down/);
  });

  test('names the layers a layer may import', () => {
    const [v] = checkLayers([imp('src/log/x.ts', '../qualify/q.ts')], rules);
    assert.match(v?.message ?? '', /'log' may import core \(stores records\)/);
  });

  test('lets the composition root, test code and imports inside a layer through', () => {
    const ok = [
      imp('src/app.ts', './qualify/q.ts'),
      imp('src/core/x.test.ts', '../log/event-log.ts'),
      imp('src/core/testing/fake.ts', '../../log/event-log.ts'),
      imp('src/log/a.ts', './b.ts'),
    ];
    assert.deepEqual(checkLayers(ok, rules), []);
  });

  test('refuses production code importing test code, and a layer not in the table', () => {
    const found = checkLayers(
      [imp('src/qualify/q.ts', '../log/testing/fake.ts'), imp('src/x/a.ts', '../core/c.ts')],
      rules,
    );
    assert.deepEqual(
      found.map((v) => v.message.replace(/^.*: /, '')),
      ['production code imports test code (a testing/ folder)', "layer 'x' is not in the table"],
    );
  });

  test('an allowed exception lets exactly its file and layer through', () => {
    const allowed: LayerRules = {
      ...rules,
      allowed: [{ from: 'src/log/x.ts', to: 'qualify', why: 'issue 1' }],
    };
    assert.deepEqual(checkLayers([imp('src/log/x.ts', '../qualify/q.ts')], allowed), []);
    assert.equal(checkLayers([imp('src/log/y.ts', '../qualify/q.ts')], allowed).length, 1);
  });

  test('finds a cycle between folders and names an import of each edge', () => {
    const imports = [
      imp('src/log/a.ts', '../qualify/q.ts'),
      imp('src/qualify/q.ts', '../onboard/o.ts'),
      imp('src/onboard/o.ts', '../log/b.ts'),
      imp('src/qualify/q.ts', '../core/c.ts'),
      imp('src/app.ts', './log/a.ts'),
    ];
    const graph = layerGraph(imports);
    const cycles = layerCycles(graph);
    assert.deepEqual(cycles, [['log', 'onboard', 'qualify']]);
    const text = report([], cycles, graph);
    assert.match(text, /cycle between layers log, onboard, qualify/);
    assert.match(text, /log -> qualify: src\/log\/a.ts imports '..\/qualify\/q.ts'/);
    assert.deepEqual(layerCycles(layerGraph(imports.slice(1))), []);
  });

  test('an allowed exception is left out of the cycle check', () => {
    const imports = [imp('src/log/a.ts', '../qualify/q.ts'), imp('src/qualify/q.ts', '../log/b.ts')];
    assert.equal(layerCycles(layerGraph(imports)).length, 1);
    const allowed = [{ from: 'src/log/a.ts', to: 'qualify', why: 'issue 1' }];
    assert.deepEqual(layerCycles(layerGraph(imports, allowed)), []);
  });
});

void describe('the layers of src/', () => {
  const files = sourceFiles('src');
  const imports = files.flatMap((file) => importsOf(file, readFileSync(file, 'utf8')));

  test('every import of production code obeys layer-rules.ts', () => {
    const violations = checkLayers(imports, layerRules);
    assert.equal(violations.length, 0, report(violations, [], new Map()));
  });

  test('no cycle between folders (allowed exceptions aside), and none in the table itself', () => {
    const graph = layerGraph(imports, layerRules.allowed);
    const cycles = layerCycles(graph);
    assert.deepEqual(cycles, [], report([], cycles, graph));
    assert.deepEqual(layerCycles(ruleGraph(layerRules)), [], 'layer-rules.ts itself has a cycle');
  });

  test('every layer folder is in the table, and every allowed exception is still needed', () => {
    const layers = new Set(files.map((f) => layerOf(f)).filter((l) => l !== undefined));
    assert.deepEqual(
      [...layers].filter((l) => !(l in layerRules.layers)),
      [],
    );
    const unused = layerRules.allowed.filter(
      (a) => !imports.some((i) => i.from === a.from && layerOf(i.to) === a.to),
    );
    assert.deepEqual(unused, [], 'remove these from layer-rules.ts: the import is gone');
    for (const a of layerRules.allowed) assert.match(a.why, /issue \d+/, `${a.from}: name the issue point`);
  });

  test('the real table refuses the imports issue 14 took out: stores in routes, activation in privacy', () => {
    const wrong = [
      imp('src/api/routes/x-routes.ts', '../../catalog/catalog.ts'),
      imp('src/privacy/x.ts', '../activate/runs/member-state.ts'),
      imp('src/audience/x.ts', '../demo/generate-demo.ts'),
      imp('src/files/x.ts', '../core/event.ts'),
    ];
    assert.deepEqual(
      checkLayers(wrong, layerRules).map((v) => `${v.fromLayer} -> ${v.toLayer}`),
      ['api -> catalog', 'privacy -> activate', 'audience -> demo', 'files -> core'],
    );
  });

  test('the check reads the real src/ (a sanity check of the reader)', () => {
    assert.ok(files.length > 100);
    assert.ok(imports.some((i) => i.from === 'src/app.ts' && layerOf(i.to) === 'qualify'));
  });
});
