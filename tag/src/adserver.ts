import { guard, page } from './guard.ts';

/** The parts of Prebid.js the tag uses (https://docs.prebid.org/dev-docs/publisher-api-reference). */
interface Pbjs {
  que?: Queue;
  libLoaded?: boolean;
  getConfig?: (topic: string) => unknown;
  setConfig?: (config: Record<string, unknown>) => void;
  requestBids?: {
    before?: (fn: (next: (...a: unknown[]) => void, ...a: unknown[]) => void, priority?: number) => void;
  };
}

/** The parts of Google Publisher Tag the tag uses. */
interface Googletag {
  cmd?: Queue;
  apiReady?: boolean;
  pubads?: () => {
    setTargeting: (key: string, value: string[]) => void;
    clearTargeting: (key: string) => void;
  };
}

type Command = () => void;

/** A library's command queue: the page's array before the library loads, the library's object after. */
interface Queue {
  push: (fn: Command) => void;
}

/**
 * Runs `fn` through a library's command queue: while the library is not loaded yet (its queue is still the
 * page's array) at the front, so that it runs before the page's own first commands (the first auction,
 * the first `display`); once loaded, at once. Nothing happens when the library is not on the page.
 */
function command(queue: Queue | undefined, loaded: boolean, fn: Command): void {
  try {
    if (queue === undefined || queue === null || typeof queue.push !== 'function') return;
    if (!loaded && Array.isArray(queue)) (queue as Command[]).unshift(guard(fn));
    else queue.push(guard(fn));
  } catch {
    // a page's broken queue: that library gets nothing from us, the rest of the tag goes on
  }
}

function pbjsOf(name: string): Pbjs | undefined {
  const pb = page[name];
  return pb !== null && typeof pb === 'object' ? pb : undefined;
}

/** The entries we put in `ortb2.user.data` last, to replace them (and only them) next time. */
let ours: string[] = [];

/**
 * Sets our `user.data` entries in Prebid's global first-party data (`pbjs.setConfig({ortb2})`), keeping
 * every other entry and the rest of `ortb2`; `[]` removes ours.
 */
export function applyPrebid(name: string, data: unknown[]): void {
  const pb = pbjsOf(name);
  if (pb === undefined) return;
  command(pb.que, pb.libLoaded === true, () => {
    if (typeof pb.getConfig !== 'function' || typeof pb.setConfig !== 'function') return;
    const ortb2 = { ...(pb.getConfig('ortb2') as Record<string, unknown> | undefined) };
    const user = { ...(ortb2.user as Record<string, unknown> | undefined) };
    const kept = (Array.isArray(user.data) ? (user.data as unknown[]) : []).filter(
      (entry) => !ours.includes(JSON.stringify(entry)),
    );
    ours = data.map((entry) => JSON.stringify(entry));
    user.data = kept.concat(data);
    ortb2.user = user;
    pb.setConfig({ ortb2 });
  });
}

/**
 * Makes each Prebid auction wait until `ready` resolves, at most `delayMs` (the auction delay), by a
 * `requestBids` hook as Prebid's real-time-data modules do: the segments are then in `ortb2` before the
 * bid requests are built. Installed once, before the page's first auction when the tag loads before
 * Prebid.js does.
 */
export function holdAuctions(name: string, delayMs: number, ready: () => Promise<void>): void {
  const pb = pbjsOf(name);
  if (pb === undefined) return;
  command(pb.que, pb.libLoaded === true, () => {
    const bids = pb.requestBids;
    if (bids === undefined || typeof bids.before !== 'function') return;
    bids.before(function (this: unknown, next: (...a: unknown[]) => void, ...args: unknown[]) {
      let done = false;
      const go = guard((): void => {
        if (done) return;
        done = true;
        next.apply(this, args);
      });
      setTimeout(go, delayMs);
      ready().then(go, go);
    }, 30);
  });
}

/** Ad Manager's limits: a key of at most 20 characters, a value of at most 40, none of these characters. */
const GAM_KEY = /^[A-Za-z_][\w.-]{0,19}$/;
const GAM_BAD = /["'=!+#*~;^()<>[\],&\s]/;

/** The key-values Ad Manager accepts, the others dropped. Example: `{ dmp: ['607'] }`. */
export function gamLimits(kv: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(kv)) {
    const values = kv[key];
    if (!GAM_KEY.test(key) || !Array.isArray(values)) continue;
    const ok = values.filter(
      (v): v is string => typeof v === 'string' && v !== '' && v.length <= 40 && !GAM_BAD.test(v),
    );
    if (ok.length > 0) out[key] = ok;
  }
  return out;
}

/** The keys we set last, cleared when they are no longer in the answer. */
let keys: string[] = [];

/**
 * Sets the key-values through `googletag.cmd`, before the page's first `display` when GPT has not loaded
 * yet (see `command`); clears the keys of our previous answer that are gone.
 */
export function applyGam(kv: Record<string, string[]>): void {
  const gt = page.googletag as Googletag | undefined;
  if (gt === null || typeof gt !== 'object') return;
  command(gt.cmd, gt.apiReady === true, () => {
    if (typeof gt.pubads !== 'function') return;
    const ads = gt.pubads();
    for (const key of keys) if (!(key in kv)) ads.clearTargeting(key);
    keys = Object.keys(kv);
    for (const key of keys) ads.setTargeting(key, kv[key] ?? []);
  });
}
