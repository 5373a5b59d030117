import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants as zlib } from 'node:zlib';
import { build } from 'esbuild';

/** The console's entry point: Preact TSX in the top-level `console/` folder (its own tsconfig, lib dom). */
export const CONSOLE_ENTRY = fileURLToPath(new URL('../../console/src/main.tsx', import.meta.url));
const CONSOLE_TSCONFIG = fileURLToPath(new URL('../../console/tsconfig.json', import.meta.url));
const CONSOLE_CSS = fileURLToPath(new URL('../../console/src/console.css', import.meta.url));

/** One built file of the console as its route serves it. */
export interface ConsoleAsset {
  body: Buffer;
  /** the same, gzipped (served to browsers that accept gzip) */
  gzip: Buffer;
  /** a strong ETag: `"` + the first 27 characters of the body's SHA-256 in base64url + `"` */
  etag: string;
}

/** The console's script (`/console/app.js`) and style sheet (`/console/app.css`). */
export interface ConsoleBundle {
  js: ConsoleAsset;
  css: ConsoleAsset;
}

/** A body with its gzip and ETag. */
function asset(body: Buffer): ConsoleAsset {
  const gzip = gzipSync(body, { level: zlib.Z_BEST_COMPRESSION });
  return { body, gzip, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * Bundles `console/src/main.tsx` (Preact and all) with esbuild into one minified script, in memory
 * (nothing built is written or committed; it takes milliseconds), and reads the style sheet beside it.
 * A type error is not esbuild's to find: `npm run typecheck` checks `console/` with its tsconfig.
 *
 * Example: `const { js, css } = await buildConsole();`
 */
export async function buildConsole(entry = CONSOLE_ENTRY): Promise<ConsoleBundle> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    tsconfig: CONSOLE_TSCONFIG,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const file = out.outputFiles[0];
  if (file === undefined) throw new Error(`esbuild wrote no output for ${entry}`);
  return { js: asset(Buffer.from(file.contents)), css: asset(await readFile(CONSOLE_CSS)) };
}

/**
 * The console, built on first use and kept in memory; a failed build is tried again on the next request
 * (its error, naming the file and line, reaches the log through the route's 500).
 *
 * Example: `const console = lazyConsole(); ... const { js } = await console();`
 */
export function lazyConsole(
  make: () => Promise<ConsoleBundle> = () => buildConsole(),
): () => Promise<ConsoleBundle> {
  let pending: Promise<ConsoleBundle> | undefined;
  return () => {
    pending ??= make().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
