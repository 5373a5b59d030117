import type { Catalog, CreatedUserApiKey, User, UserApiKey } from '../catalog/catalog.ts';
import { wrap } from '../catalog/catalog-call.ts';
import { normaliseEmail } from '../catalog/user-store.ts';
import type { Role } from '../core/roles.ts';
import { isRole, ROLES } from '../core/roles.ts';
import { ServiceError } from '../core/service-error.ts';
import type { Audit } from './audit.ts';
import { hashPassword, NO_USER_HASH, oneTimePassword, passwordProblem, verifyPassword } from './passwords.ts';
import type { Session } from './sessions.ts';
import { credentialOf, Sessions } from './sessions.ts';

export type { User, UserApiKey, CreatedUserApiKey } from '../catalog/catalog.ts';
export type { Session } from './sessions.ts';

/** A user just made (or reset) with the one-time password, shown only this once. */
export interface NewUserPassword {
  email: string;
  role: Role;
  password: string;
}

/** A logged-in session: the cookie's token (never stored) and who it is. */
export interface Login {
  token: string;
  session: Session;
  user: User;
}

type UserCatalog = Pick<
  Catalog,
  | 'createUser'
  | 'getUser'
  | 'getUserCredentials'
  | 'listUsers'
  | 'tenantsOfUser'
  | 'updateUser'
  | 'deleteUser'
  | 'createUserApiKey'
  | 'listUserApiKeys'
  | 'revokeUserApiKey'
>;

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;
const badLogin = (): ServiceError =>
  new ServiceError(
    401,
    'unauthorized',
    'the email or the password is wrong (or the user has no such tenant)',
  );

/**
 * A tenant's console users (issue 17): adding them with a one-time password (hashed with scrypt, never
 * kept in clear, changed at first login), their roles, logins and sessions (`Sessions`), password changes,
 * and each user's own API keys. Every change is audited (`user.*`), never with a password or hash.
 *
 * Example:
 * ```ts
 * const users = new UserService(catalog, audit);
 * const { password } = await users.add('acme', 'ann@acme.com', 'editor', 'key:3f2a9c0d1b7e4a65');
 * const { token, session } = await users.login('ann@acme.com', password, 'acme');
 * await users.changePassword(session, password, 'a much longer secret', token);
 * ```
 */
export class UserService {
  constructor(
    private readonly catalog: UserCatalog,
    private readonly audit: Pick<Audit, 'record'>,
    readonly sessions: Sessions = new Sessions(),
  ) {}

  /** Adds a user with a one-time password; 409 when the email is taken, 400 for a bad email or role. */
  async add(tenant: string, email: string, role: string, actor: string): Promise<NewUserPassword> {
    const normal = checkEmail(email);
    const checked = checkRole(role);
    const password = oneTimePassword();
    const passwordHash = await hashPassword(password);
    const user = await wrap(
      this.catalog.createUser(tenant, {
        email: normal,
        role: checked,
        passwordHash,
        mustChangePassword: true,
      }),
    );
    await this.audit.record(tenant, actor, 'user.create', `user:${user.email}`, undefined, {
      role: user.role,
    });
    return { email: user.email, role: user.role, password };
  }

  /**
   * `dmp user add` of a user who exists: a new one-time password and the given role (the old password and
   * sessions end). 404 when there is no such user.
   */
  async reset(tenant: string, email: string, role: string, actor: string): Promise<NewUserPassword> {
    const normal = checkEmail(email);
    const checked = checkRole(role);
    const before = await wrap(this.get(tenant, normal));
    const password = oneTimePassword();
    const passwordHash = await hashPassword(password);
    const user = await wrap(
      this.catalog.updateUser(tenant, normal, { role: checked, passwordHash, mustChangePassword: true }),
    );
    this.sessions.closeUser(tenant, user.email);
    await this.audit.record(
      tenant,
      actor,
      'user.reset',
      `user:${user.email}`,
      { role: before.role },
      { role: user.role },
    );
    return { email: user.email, role: user.role, password };
  }

  list(tenant: string): Promise<User[]> {
    return this.catalog.listUsers(tenant);
  }

  /** The user; 404 when there is none. */
  async get(tenant: string, email: string): Promise<User> {
    const user = await this.catalog.getUser(tenant, email);
    if (user === undefined)
      throw new ServiceError(404, 'not_found', `no user '${normaliseEmail(email)}' in this tenant`);
    return user;
  }

  /** Gives a user another role (it reaches their sessions and keys at once). */
  async setRole(tenant: string, email: string, role: string, actor: string): Promise<User> {
    const checked = checkRole(role);
    const before = await this.get(tenant, email);
    if (before.role === 'admin' && checked !== 'admin')
      await this.keepAnAdmin(tenant, before.email, 'demote');
    const after = await wrap(this.catalog.updateUser(tenant, email, { role: checked }));
    await this.audit.record(
      tenant,
      actor,
      'user.update',
      `user:${after.email}`,
      { role: before.role },
      { role: after.role },
    );
    return after;
  }

  /** Removes a user, their API keys and sessions; 404 when there is none. */
  async remove(tenant: string, email: string, actor: string): Promise<void> {
    const before = await this.get(tenant, email);
    if (before.role === 'admin') await this.keepAnAdmin(tenant, before.email, 'remove');
    await wrap(this.catalog.deleteUser(tenant, email));
    this.sessions.closeUser(tenant, before.email);
    await this.audit.record(tenant, actor, 'user.delete', `user:${before.email}`, { role: before.role });
  }

  /** 409 when `email` is the tenant's last admin user: the console would have no one to manage users. */
  private async keepAnAdmin(tenant: string, email: string, verb: 'demote' | 'remove'): Promise<void> {
    const admins = (await wrap(this.catalog.listUsers(tenant))).filter((u) => u.role === 'admin');
    if (admins.length === 1 && admins[0]!.email === email)
      throw new ServiceError(
        409,
        'last_admin',
        `${email} is the tenant's only admin user: make another user admin first (PATCH /v1/users/{email} {"role": "admin"}), then ${verb} this one`,
        { field: 'email' },
      );
  }

  /**
   * Checks an email and password and opens a session. Without `tenant` the email must be a user of exactly
   * one tenant (400 when of several: name the tenant). Wrong credentials are one 401 whatever was wrong,
   * and cost one scrypt either way.
   */
  async login(email: string, password: string, tenant?: string): Promise<Login> {
    const normal = normaliseEmail(email);
    let where = tenant;
    if (where === undefined) {
      const tenants = await this.catalog.tenantsOfUser(normal);
      if (tenants.length > 1)
        throw new ServiceError(
          400,
          'tenant_required',
          `this email is a user of ${tenants.length} tenants: send "tenant" too`,
          { field: 'body.tenant' },
        );
      where = tenants[0];
    }
    const user = where === undefined ? undefined : await this.catalog.getUserCredentials(where, normal);
    const matches = await verifyPassword(
      typeof password === 'string' ? password : '',
      user?.passwordHash ?? NO_USER_HASH,
    );
    if (user === undefined || where === undefined || !matches) throw badLogin();
    const { passwordHash: _hash, ...shown } = user;
    const { token, session } = this.sessions.open(where, user.email, user.passwordHash);
    return { token, session, user: shown };
  }

  /** The live session of a cookie's token and its user as stored now; `undefined` when either is gone. */
  async sessionOf(token: string | undefined): Promise<{ session: Session; user: User } | undefined> {
    const session = this.sessions.get(token);
    if (session === undefined) return undefined;
    const stored = await this.catalog.getUserCredentials(session.tenant, session.email);
    // gone, or its password changed since the session opened (here or by another process): the session ends
    if (stored === undefined || credentialOf(stored.passwordHash) !== session.credential) {
      this.sessions.close(token);
      return undefined;
    }
    const { passwordHash: _hash, ...user } = stored;
    return { session, user };
  }

  logout(token: string | undefined): void {
    this.sessions.close(token);
  }

  /**
   * Changes the user's password after checking the current one (403 when wrong), clears
   * `mustChangePassword`, and ends the user's other sessions (`keepToken`'s stays).
   */
  async changePassword(
    tenant: string,
    email: string,
    current: string,
    next: string,
    actor: string,
    keepToken?: string,
  ): Promise<User> {
    const problem = passwordProblem(next);
    if (problem !== undefined) throw new ServiceError(400, 'weak_password', problem, { field: 'body.new' });
    const user = await this.catalog.getUserCredentials(tenant, email);
    if (user === undefined || !(await verifyPassword(current, user.passwordHash)))
      throw new ServiceError(403, 'wrong_password', 'the current password is wrong', {
        field: 'body.current',
      });
    if (next === current)
      throw new ServiceError(400, 'weak_password', 'the new password must differ from the current one', {
        field: 'body.new',
      });
    const passwordHash = await hashPassword(next);
    const after = await wrap(
      this.catalog.updateUser(tenant, email, { passwordHash, mustChangePassword: false }),
    );
    this.sessions.closeUser(tenant, after.email, keepToken);
    this.sessions.renew(keepToken, passwordHash);
    await this.audit.record(tenant, actor, 'user.password', `user:${after.email}`);
    return after;
  }

  /** Makes an API key acting with the user's role; the key is shown only in this answer. */
  async createKey(tenant: string, email: string, actor: string): Promise<CreatedUserApiKey> {
    const made = await wrap(this.catalog.createUserApiKey(tenant, email));
    await this.audit.record(tenant, actor, 'user.apikey.create', `user:${normaliseEmail(email)}`, undefined, {
      keyId: made.keyId,
    });
    return made;
  }

  listKeys(tenant: string, email: string): Promise<UserApiKey[]> {
    return this.catalog.listUserApiKeys(tenant, email);
  }

  /** Revokes one of the user's keys; 404 for a key that is not theirs. */
  async revokeKey(tenant: string, email: string, keyId: string, actor: string): Promise<void> {
    await wrap(this.catalog.revokeUserApiKey(tenant, email, keyId));
    await this.audit.record(tenant, actor, 'user.apikey.revoke', `user:${normaliseEmail(email)}`, { keyId });
  }
}

function checkEmail(email: string): string {
  const normal = normaliseEmail(email);
  if (!EMAIL.test(normal))
    throw new ServiceError(
      400,
      'invalid_email',
      `'${String(email).slice(0, 100)}' is not an email address (name@domain)`,
      { field: 'email' },
    );
  return normal;
}

function checkRole(role: string): Role {
  if (!isRole(role))
    throw new ServiceError(
      400,
      'invalid_role',
      `'${String(role).slice(0, 50)}' is not a role; use one of ${ROLES.join(', ')}`,
      { field: 'role' },
    );
  return role;
}
