/**
 * What a full garbage collection has to mark: loads the standard data set (as `npm run bench` does),
 * times three forced full GCs, then counts the JS heap's objects by constructor from a heap snapshot
 * (`v8.getHeapSnapshot`), most numerous first, with their own bytes. Typed arrays' contents and CRoaring's
 * bitmaps are outside the JS heap: only their wrappers are counted.
 *
 * Example: `node --expose-gc --import tsx bench/heap-census.ts --profiles 50000 --top 20`
 */
import { getHeapSnapshot } from 'node:v8';
import { parseArgs } from 'node:util';
import { loadBenchTenant } from './bench-tenant.ts';

const { values } = parseArgs({
  options: {
    profiles: { type: 'string', default: '20000' },
    top: { type: 'string', default: '20' },
  },
});
const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new Error('run with node --expose-gc');

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

const data = await loadBenchTenant({ profiles: Number(values.profiles), measureIngest: false });
try {
  const pauses: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    collect();
    pauses.push(performance.now() - t);
  }
  const used = process.memoryUsage();
  process.stdout.write(
    `${values.profiles} profiles: full GC ${pauses.map((p) => p.toFixed(1)).join(', ')} ms; heap used ${(used.heapUsed / 2 ** 20).toFixed(0)} MiB, external ${(used.external / 2 ** 20).toFixed(0)} MiB, array buffers ${(used.arrayBuffers / 2 ** 20).toFixed(0)} MiB\n`,
  );
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  const snap = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const byName = new Map<string, { count: number; bytes: number }>();
  let objects = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt] as number] ?? '?';
    if (type === 'synthetic' || type === 'hidden') continue;
    objects++;
    const name = type === 'object' ? (snap.strings[snap.nodes[i + nameAt] as number] ?? '?') : `(${type})`;
    const entry = byName.get(name) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snap.nodes[i + sizeAt] as number;
    byName.set(name, entry);
  }
  process.stdout.write(`${objects} heap objects (snapshot nodes but synthetic and hidden ones)\n`);
  const top = [...byName].sort((a, b) => b[1].count - a[1].count).slice(0, Number(values.top));
  for (const [name, { count, bytes }] of top)
    process.stdout.write(
      `${String(count).padStart(10)} ${(bytes / 2 ** 20).toFixed(1).padStart(8)} MiB  ${name}\n`,
    );
} finally {
  await data.close();
  await data.remove();
}
