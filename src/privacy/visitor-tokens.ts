import type { Clock } from '../core/clock.ts';
import { ServiceError } from '../core/service-error.ts';
import type { ServerSigner } from './server-signer.ts';

/** How long a visitor token lives when no lifetime is asked for: one day. */
export const DEFAULT_TOKEN_TTL_S = 86_400;
/** The longest lifetime a visitor token may be given: 30 days. */
export const MAX_TOKEN_TTL_S = 30 * 86_400;
/** The longest uid a token carries (the longest ID collection keeps). */
export const MAX_TOKEN_UID_LENGTH = 256;

const PURPOSE = 'visitor-token';
const VERSION = 'v1';
const EXPIRY = /^[1-9][0-9]{0,11}$/;

/** A visitor token as issued. Example: `{ token: 'v1.Yy0x.1767312000.Xq...', uid: 'c-1', expiresAt: '2026-01-02T00:00:00.000Z' }` */
export interface IssuedVisitorToken {
  token: string;
  uid: string;
  expiresAt: string;
}

/** What a token says: its visitor, or why it is refused. */
export type VisitorTokenCheck = { ok: true; uid: string } | { ok: false; reason: string };

/**
 * Signed visitor tokens: proof, for public routes such as page targeting, that the caller was given
 * this visitor by the tenant's own server. A token is `v1.<uid, base64url>.<expiry, epoch seconds>.<mac>`
 * where mac = HMAC-SHA256(server secret, tenant, uid, expiry): it names its visitor in the clear (the page
 * already knows it), cannot be made or altered without the secret, is valid for one tenant only, and
 * expires. Nothing is stored: a token cannot be revoked before its expiry, hence the short default.
 *
 * Example: `const tokens = new VisitorTokens(signer, clock); const { token } = tokens.issue('acme', 'c-1');
 * tokens.verify('acme', token)` -> `{ ok: true, uid: 'c-1' }`; `tokens.verify('other', token).ok` -> `false`.
 */
export class VisitorTokens {
  constructor(
    private readonly signer: ServerSigner,
    private readonly clock: Clock,
  ) {}

  /**
   * A token for the tenant's visitor, valid `ttlSeconds` (1 s to 30 days) from now; a 400 `ServiceError`
   * for a lifetime out of range or a uid that is empty, too long or not well-formed text.
   */
  issue(tenant: string, uid: string, ttlSeconds = DEFAULT_TOKEN_TTL_S): IssuedVisitorToken {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TOKEN_TTL_S) {
      const why = `ttlSeconds ${ttlSeconds} is not a whole number from 1 to ${MAX_TOKEN_TTL_S}`;
      throw new ServiceError(400, 'invalid_request', why, { field: 'ttlSeconds' });
    }
    // a lone surrogate would come back from the token as U+FFFD, another ID
    if (
      uid === '' ||
      uid.length > MAX_TOKEN_UID_LENGTH ||
      Buffer.from(uid, 'utf8').toString('utf8') !== uid
    ) {
      const why = `uid must be well-formed text of 1 to ${MAX_TOKEN_UID_LENGTH} characters`;
      throw new ServiceError(400, 'invalid_request', why, { field: 'uid' });
    }
    const expiry = String(Math.floor(this.clock.now() / 1000) + ttlSeconds);
    const mac = this.signer.mac(PURPOSE, tenant, uid, expiry);
    return {
      token: `${VERSION}.${Buffer.from(uid, 'utf8').toString('base64url')}.${expiry}.${mac}`,
      uid,
      expiresAt: new Date(Number(expiry) * 1000).toISOString(),
    };
  }

  /** The visitor of a token for this tenant; never throws, whatever the text. */
  verify(tenant: string, token: string): VisitorTokenCheck {
    const parts = token.split('.');
    const [version, encodedUid, expiry, mac] = parts;
    if (
      parts.length !== 4 ||
      version !== VERSION ||
      encodedUid === undefined ||
      expiry === undefined ||
      mac === undefined ||
      !EXPIRY.test(expiry)
    ) {
      return { ok: false, reason: 'not a visitor token (v1.UID.EXPIRY.MAC)' };
    }
    const raw = Buffer.from(encodedUid, 'base64url');
    const uid = raw.toString('utf8');
    if (raw.toString('base64url') !== encodedUid || uid === '' || Buffer.from(uid, 'utf8').compare(raw) !== 0)
      return { ok: false, reason: 'not a visitor token (v1.UID.EXPIRY.MAC)' };
    if (!this.signer.check(mac, PURPOSE, tenant, uid, expiry))
      return { ok: false, reason: "the token was not issued by this server for this site's tenant" };
    const expiresAt = Number(expiry) * 1000;
    if (expiresAt <= this.clock.now())
      return { ok: false, reason: `the token expired at ${new Date(expiresAt).toISOString()}` };
    return { ok: true, uid };
  }
}
