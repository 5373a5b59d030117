import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The repository carries its own docs: no file may point at documents its users do not have (the
 * steering folder beside a checkout), and every relative link in the Markdown resolves.
 */
const ROOT = resolve(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', '.git', 'data', 'results', 'fixtures']);
const TEXT = /\.(ts|js|mjs|cjs|md|json|sh|yml|yaml)$|^run$/;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (TEXT.test(name) && name !== 'package-lock.json') out.push(path);
  }
  return out;
}

// case-sensitive: docs/api.md is ours, API.md is not
const OUTSIDE = /\.\.\/shared\b|\b(DSL|BENCHMARKS|API|PRODUCT|ARCHITECTURE|STYLE)\.md\b/;

test('no file points at documents outside the repository', () => {
  const self = relative(ROOT, import.meta.filename);
  const found: string[] = [];
  for (const path of files(ROOT)) {
    const rel = relative(ROOT, path);
    if (rel === self) continue;
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (OUTSIDE.test(line)) found.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(found, [], 'write what users need in docs/ and link that instead');
});

test('every relative link in the Markdown resolves to a file of the repository', () => {
  const broken: string[] = [];
  for (const path of files(ROOT).filter((p) => p.endsWith('.md'))) {
    for (const m of readFileSync(path, 'utf8').matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)) {
      const target = m[1] ?? '';
      if (/^[a-z]+:/i.test(target)) continue;
      if (!existsSync(resolve(dirname(path), target))) broken.push(`${relative(ROOT, path)} -> ${target}`);
    }
  }
  assert.deepEqual(broken, []);
});
