import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A console session: who logged in to which tenant, and the CSRF token every state-changing request of the
 * session must carry. Example: `{ tenant: 'acme', email: 'ann@acme.com', csrfToken: 'Zk3...', expiresAt: 1767229200000 }`
 */
export interface Session {
  tenant: string;
  email: string;
  csrfToken: string;
  /**
   * what the user's stored password was when the session opened (a digest of its hash): a session whose
   * user's password has since changed anywhere (another process's `dmp user add`) ends at its next use
   */
  credential: string;
  /** ms since the epoch; absolute end of the session */
  expiresAt: number;
  /** ms since the epoch; the session ends if unused until then */
  idleUntil: number;
}

/** Options of `Sessions`; the defaults are right outside tests. */
export interface SessionOptions {
  /** absolute lifetime (default 12 h) */
  lifetimeMs?: number;
  /** idle timeout (default 2 h) */
  idleMs?: number;
  /** at most this many sessions are held; the oldest go first (default 100,000) */
  max?: number;
}

/**
 * Console sessions, held in memory by the server (the embedded mode runs one process): a restart logs
 * everyone out, which is acceptable for a console. The cookie carries a random 256-bit token; only its
 * SHA-256 is the map's key, so a heap dump shows no usable token. Sessions end at logout, after
 * `idleMs` unused, after `lifetimeMs` in any case, and when the user's password changes or the user goes.
 *
 * Example:
 * ```ts
 * const sessions = new Sessions(Date.now);
 * const { token, session } = sessions.open('acme', 'ann@acme.com');
 * sessions.get(token)?.email; // -> 'ann@acme.com'
 * sessions.close(token);
 * ```
 */
export class Sessions {
  private readonly held = new Map<string, Session>();
  private readonly lifetimeMs: number;
  private readonly idleMs: number;
  private readonly max: number;

  constructor(
    private readonly now: () => number = Date.now,
    options: SessionOptions = {},
  ) {
    this.lifetimeMs = options.lifetimeMs ?? 12 * 3_600_000;
    this.idleMs = options.idleMs ?? 2 * 3_600_000;
    this.max = options.max ?? 100_000;
  }

  /**
   * Opens a session; `token` goes into the cookie and is never kept. `passwordHash` is the user's stored
   * hash now (`credentialOf` keeps only a digest of it).
   */
  open(tenant: string, email: string, passwordHash = ''): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const session: Session = {
      tenant,
      email,
      csrfToken: randomBytes(24).toString('base64url'),
      credential: credentialOf(passwordHash),
      expiresAt: now + this.lifetimeMs,
      idleUntil: now + this.idleMs,
    };
    if (this.held.size >= this.max) this.prune(now);
    this.held.set(digest(token), session);
    return { token, session };
  }

  /** The live session of a token (its idle time renewed); `undefined` when there is none or it ended. */
  get(token: string | undefined): Session | undefined {
    if (token === undefined || token === '') return undefined;
    const key = digest(token);
    const session = this.held.get(key);
    if (session === undefined) return undefined;
    const now = this.now();
    if (session.expiresAt <= now || session.idleUntil <= now) {
      this.held.delete(key);
      return undefined;
    }
    session.idleUntil = Math.min(session.expiresAt, now + this.idleMs);
    return session;
  }

  /** Ends the session of a token (logout). */
  close(token: string | undefined): void {
    if (token !== undefined) this.held.delete(digest(token));
  }

  /** Ends every session of a user but `keep` (a password change keeps the session that made it). */
  /** The session `token` goes on under the user's new password (`passwordHash`), after a change of it. */
  renew(token: string | undefined, passwordHash: string): void {
    const session = token === undefined ? undefined : this.held.get(digest(token));
    if (session !== undefined) session.credential = credentialOf(passwordHash);
  }

  closeUser(tenant: string, email: string, keep?: string): void {
    const kept = keep === undefined ? undefined : digest(keep);
    for (const [key, s] of this.held)
      if (s.tenant === tenant && s.email === email && key !== kept) this.held.delete(key);
  }

  private prune(now: number): void {
    for (const [key, s] of this.held) if (s.expiresAt <= now || s.idleUntil <= now) this.held.delete(key);
    while (this.held.size >= this.max) {
      const oldest = this.held.keys().next().value;
      if (oldest === undefined) break;
      this.held.delete(oldest);
    }
  }
}

/**
 * Whether a request's CSRF token is the session's, compared in constant time.
 * Example: `csrfMatches(session, request.headers['x-csrf-token'])` -> `true` for the token login gave.
 */
export function csrfMatches(session: Session, sent: unknown): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * What a session keeps of the user's password hash: a digest, compared at each use with the stored one.
 * Example: `credentialOf('scrypt$...') === credentialOf('scrypt$...')` -> true.
 */
export function credentialOf(passwordHash: string): string {
  return digest(`credential:${passwordHash}`);
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
