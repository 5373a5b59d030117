import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

/**
 * scrypt's cost (N), block size (r) and parallelism (p): N=2^15, r=8, p=3 is one of the settings OWASP's
 * Password Storage Cheat Sheet lists as equal to its minimum (2^17, 8, 1), with a quarter of the memory
 * (32 MiB a hash); about 0.35 s of CPU per login. Stored with each hash, so a change later still checks
 * old hashes.
 */
const PARAMS = { N: 32_768, r: 8, p: 3 } as const;
const KEY_BYTES = 32;

/** The shortest password a user may choose (a one-time password is longer). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longer passwords are refused: scrypt reads all of it, and nobody types more. */
export const MAX_PASSWORD_LENGTH = 1024;

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * Hashes a password with scrypt (a memory-hard KDF) and a fresh 16-byte salt, as one self-describing text
 * `scrypt$N$r$p$SALT$HASH` (base64url), so that a later change of the parameters still checks old hashes.
 *
 * Example: `await hashPassword('correct horse battery')` -> `'scrypt$32768$8$1$3kq...$Xy0...'`.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS.N, PARAMS.r, PARAMS.p);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

/**
 * Whether the password matches a hash made by `hashPassword`, compared in constant time; `false` for a
 * hash it cannot read.
 *
 * Example: `await verifyPassword('correct horse battery', stored)` -> `true`.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  if (![N, R, P].every((x) => Number.isSafeInteger(x) && x > 0) || N > 1 << 20) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), N, R, P);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of no password, checked when a login names no user, so that a miss costs as long as a wrong password. */
export const NO_USER_HASH = `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEY_BYTES).toString('base64url')}`;

/**
 * A one-time password: 120 random bits as 20 base64url characters, shown once and changed at first login.
 * Example: `oneTimePassword()` -> `'q3J9x-0aZ_kLm2P4rT7w'`.
 */
export function oneTimePassword(): string {
  return randomBytes(15).toString('base64url');
}

/**
 * Why a new password is refused, or `undefined` when it is fine.
 * Example: `passwordProblem('short')` -> `'the new password must have at least 12 characters'`.
 */
export function passwordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string') return 'the new password must be a string';
  if ([...password].length < MIN_PASSWORD_LENGTH)
    return `the new password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `the new password must have at most ${MAX_PASSWORD_LENGTH} characters`;
  return undefined;
}
