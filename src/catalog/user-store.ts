import type { Role } from '../core/roles.ts';

/**
 * A tenant's user as stored, without the password. `email` is the normal form (trimmed, lower case).
 * Example: `{ email: 'ann@acme.com', role: 'editor', mustChangePassword: true, createdAt: '...', updatedAt: '...' }`
 */
export interface User {
  email: string;
  role: Role;
  /** set while the password is a one-time password: the user may only change it */
  mustChangePassword: boolean;
  createdAt: string;
  updatedAt: string;
}

/**
 * A user with the stored password hash (a self-describing scrypt string made by governance's
 * `hashPassword`; never the password). Only login and password change read this.
 */
export interface UserCredentials extends User {
  passwordHash: string;
}

/** What a new user is stored with. Example: `{ email: 'Ann@Acme.com ', role: 'viewer', passwordHash: 'scrypt$...', mustChangePassword: true }` */
export interface UserInput {
  email: string;
  role: Role;
  passwordHash: string;
  mustChangePassword: boolean;
}

/** A change of a user; absent fields are kept. Example: `{ passwordHash: 'scrypt$...', mustChangePassword: false }` */
export interface UserPatch {
  role?: Role;
  passwordHash?: string;
  mustChangePassword?: boolean;
}

/**
 * One of a user's API keys as listed: never the secret, only its ID and last four characters.
 * Example: `{ keyId: '3f2a9c0d1b7e4a65', lastFour: 'x9Qa', createdAt: '2026-01-01T00:00:00.000Z' }`
 */
export interface UserApiKey {
  keyId: string;
  lastFour: string;
  createdAt: string;
}

/** A user's API key just made: `key` is shown this once. */
export interface CreatedUserApiKey extends UserApiKey {
  key: string;
}

/**
 * The normal form of an e-mail address as users are keyed: trimmed and in lower case.
 * Example: `normaliseEmail(' Ann@Acme.COM ')` -> `'ann@acme.com'`.
 */
export function normaliseEmail(email: string): string {
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
}

/**
 * The users of each tenant (issue 17) and their API keys. Emails are stored in their normal form
 * (`normaliseEmail`) and are unique per tenant (the same address may be a user of two tenants). A user's
 * API keys live with the tenant's keys (`TenantStore.authenticateApiKeyId` names the user of a key) and go
 * when the user goes. Passwords are hashed before they reach the store.
 *
 * Example:
 * ```ts
 * await users.createUser('acme', { email: 'Ann@acme.com', role: 'editor', passwordHash, mustChangePassword: true });
 * (await users.getUser('acme', 'ANN@acme.com'))?.role; // -> 'editor'
 * const { key } = await users.createUserApiKey('acme', 'ann@acme.com');
 * ```
 */
export interface UserStore {
  /** Adds a user; `conflict` when the email is taken in the tenant, `not_found` for an unknown tenant. */
  createUser(tenant: string, user: UserInput): Promise<User>;
  /** The user, or `undefined`; the email is normalised first. */
  getUser(tenant: string, email: string): Promise<User | undefined>;
  /** The user with the password hash, for login and password change only. */
  getUserCredentials(tenant: string, email: string): Promise<UserCredentials | undefined>;
  /** The tenant's users by email. */
  listUsers(tenant: string): Promise<User[]>;
  /** The tenants where the email is a user, in ID order (a login that names no tenant). */
  tenantsOfUser(email: string): Promise<string[]>;
  /** Changes a user; `not_found` when there is none. */
  updateUser(tenant: string, email: string, patch: UserPatch): Promise<User>;
  /** Removes a user and their API keys; `not_found` when there is none. */
  deleteUser(tenant: string, email: string): Promise<void>;
  /** Makes an API key acting for the user; `not_found` when there is no such user. */
  createUserApiKey(tenant: string, email: string): Promise<CreatedUserApiKey>;
  /** The user's API keys in creation order. */
  listUserApiKeys(tenant: string, email: string): Promise<UserApiKey[]>;
  /** Revokes one of the user's keys; `not_found` for a key that is not the user's. */
  revokeUserApiKey(tenant: string, email: string, keyId: string): Promise<void>;
}
