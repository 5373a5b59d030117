import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The Prebid.js modules bundled: the core and the Prebid Server adapter, which sends one OpenRTB request
 * (carrying `ortb2.user.data`) to the `s2sConfig` endpoint, so a bidder on loopback can see what an
 * auction sends.
 */
const ENTRY = `
import pbjs from 'prebid.js';
import 'prebid.js/modules/prebidServerBidAdapter';
pbjs.processQueue();
`;

/**
 * Prebid.js 11 from npm (a devDependency: the browser tests and the demo use it; `npm ci --omit=dev`
 * leaves it out) bundled by esbuild into one script, as a publisher builds it. Undefined when the package
 * is not installed, so the demo can say so instead of failing.
 *
 * Example: `const script = await buildPrebid(); if (script === undefined) ...`
 */
export async function buildPrebid(): Promise<Buffer | undefined> {
  if (!existsSync(`${ROOT}/node_modules/prebid.js/package.json`)) return undefined;
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'js', sourcefile: 'prebid-entry.js' },
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2017',
    platform: 'browser',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const file = out.outputFiles[0];
  return file === undefined ? undefined : Buffer.from(file.contents);
}

/** `buildPrebid`, run once on first use and kept (the demo serves it). Example: `const prebid = lazyPrebid();` */
export function lazyPrebid(): () => Promise<Buffer | undefined> {
  let pending: Promise<Buffer | undefined> | undefined;
  return () => (pending ??= buildPrebid());
}
