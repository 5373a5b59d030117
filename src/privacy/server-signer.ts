import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The least length of the server secret, in bytes (HMAC-SHA256 wants at least its output size). */
export const MIN_SECRET_BYTES = 32;

/**
 * HMAC-SHA256 with the server secret, for the values the server hands out and must recognise later
 * (visitor tokens, the opt-out form's token). Each use names its purpose, so that a MAC made for one
 * can never pass for another, and the parts are length-prefixed, so that `('ab', 'c')` and `('a', 'bc')`
 * never share a MAC.
 *
 * Example: `const s = new ServerSigner(secret); const m = s.mac('visitor-token', 'acme', 'c-1', '1767225600');
 * s.check(m, 'visitor-token', 'acme', 'c-1', '1767225600')` -> `true`.
 */
export class ServerSigner {
  constructor(private readonly secret: Buffer) {
    if (secret.length < MIN_SECRET_BYTES)
      throw new Error(`the server secret has ${secret.length} bytes; it needs at least ${MIN_SECRET_BYTES}`);
  }

  /** The MAC of the parts for one purpose, base64url (43 characters). */
  mac(purpose: string, ...parts: string[]): string {
    return this.digest(purpose, parts).toString('base64url');
  }

  /** Whether `mac` (base64url, as `mac` gave it) is the MAC of the parts; compared in constant time. */
  check(mac: string, purpose: string, ...parts: string[]): boolean {
    const given = Buffer.from(mac, 'base64url');
    const expected = this.digest(purpose, parts);
    // Buffer.from ignores characters outside base64url: the text must be exactly the canonical form
    return (
      given.length === expected.length &&
      given.toString('base64url') === mac &&
      timingSafeEqual(given, expected)
    );
  }

  private digest(purpose: string, parts: string[]): Buffer {
    const hmac = createHmac('sha256', this.secret);
    for (const part of [purpose, ...parts]) hmac.update(`${Buffer.byteLength(part)}:${part};`);
    return hmac.digest();
  }
}

/**
 * The server secret: `configured` (DMP_SERVER_SECRET, at least 32 characters; the same on every server
 * that answers for the same site), else the file at `file`, made with 32 random bytes on first start
 * (mode 0600). Throws an error that names the fix when the configured or stored secret is too short.
 *
 * Example: `new ServerSigner(await loadServerSecret(join(dataDir, 'server-secret'), config.serverSecret))`.
 */
export async function loadServerSecret(file: string, configured?: string): Promise<Buffer> {
  if (configured !== undefined && configured !== '') {
    const secret = Buffer.from(configured, 'utf8');
    if (secret.length < MIN_SECRET_BYTES) {
      throw new Error(
        `DMP_SERVER_SECRET has ${secret.length} bytes; give at least ${MIN_SECRET_BYTES} (e.g. openssl rand -base64 48)`,
      );
    }
    return secret;
  }
  const stored = await readSecretFile(file);
  if (stored !== undefined) return stored;
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(file, randomBytes(MIN_SECRET_BYTES), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // another process made it first: use theirs
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return (await readSecretFile(file)) ?? Buffer.alloc(0);
}

async function readSecretFile(file: string): Promise<Buffer | undefined> {
  let secret: Buffer;
  try {
    secret = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (secret.length < MIN_SECRET_BYTES) {
    throw new Error(
      `${file} holds ${secret.length} bytes, not a server secret of at least ${MIN_SECRET_BYTES}; remove it (visitor tokens issued so far stop working) or set DMP_SERVER_SECRET`,
    );
  }
  return secret;
}
