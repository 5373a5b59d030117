/**
 * Runs `fn` and swallows whatever it throws: the tag runs inside other people's pages, and an error of
 * ours (or of a CMP, Prebid or GPT stand-in that misbehaves when we call it) must never reach the page's
 * error handlers or stop the page's own scripts. Every entry point (the queue, CMP callbacks, timers,
 * promise callbacks, history hooks, Prebid and GPT commands) goes through it.
 *
 * Example: `setTimeout(guard(() => flush()), 0)`.
 */
export function guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return function (this: unknown, ...args: A): void {
    try {
      fn.apply(this, args);
    } catch {
      // never into the page
    }
  };
}

/** The page's window, as a bag of properties we read with care (anything may be there, or not). */
export const page = window as unknown as Record<string, unknown>;

/** Whether `value` is a function we may call. */
export function isFunction(value: unknown): value is (...args: never[]) => unknown {
  return typeof value === 'function';
}

/** A promise that resolves after `ms` milliseconds (never rejects). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
