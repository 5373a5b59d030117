import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants as zlib } from 'node:zlib';
import { build } from 'esbuild';

/** The tag's entry point: browser TypeScript in the top-level `tag/` folder (its own tsconfig, lib dom). */
export const TAG_ENTRY = fileURLToPath(new URL('../../tag/src/main.ts', import.meta.url));
const TAG_TSCONFIG = fileURLToPath(new URL('../../tag/tsconfig.json', import.meta.url));

/** The most the tag may weigh gzipped (issue 16: 6 KB; a test fails above it). */
export const TAG_MAX_GZIP_BYTES = 6144;

/** The built tag as `/tag.js` serves it. */
export interface TagBundle {
  /** the minified script */
  body: Buffer;
  /** the same, gzipped at the highest level (served to browsers that accept gzip) */
  gzip: Buffer;
  /** a strong ETag of the script: `"` + the first 27 characters of its SHA-256 in base64url + `"` */
  etag: string;
}

/**
 * Bundles `tag/src/main.ts` with esbuild into one minified script (an IIFE for ES2017 browsers, no
 * globals but what the tag itself sets), in memory: nothing built is written or committed.
 *
 * Example: `const { body, gzip, etag } = await buildTag();`
 */
export async function buildTag(entry = TAG_ENTRY): Promise<TagBundle> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2017',
    platform: 'browser',
    tsconfig: TAG_TSCONFIG,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const file = out.outputFiles[0];
  if (file === undefined) throw new Error(`esbuild wrote no output for ${entry}`);
  const body = Buffer.from(file.contents);
  const gzip = gzipSync(body, { level: zlib.Z_BEST_COMPRESSION });
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, gzip, etag };
}

/**
 * The tag, built once on first use and kept in memory; a failed build is tried again on the next request
 * (and its error, which names the file and line, reaches the log through the route's 500).
 *
 * Example: `const tag = lazyTag(); ... const bundle = await tag();`
 */
export function lazyTag(make: () => Promise<TagBundle> = () => buildTag()): () => Promise<TagBundle> {
  let pending: Promise<TagBundle> | undefined;
  return () => {
    pending ??= make().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
