import { existsSync } from 'node:fs';
import type { Catalog } from '../catalog/catalog.ts';
import { openCatalog } from '../catalog/open-catalog.ts';
import { ServiceError } from '../core/service-error.ts';
import { Audit } from '../governance/audit.ts';
import type { NewUserPassword } from '../governance/user-service.ts';
import { UserService } from '../governance/user-service.ts';

/** Who `dmp user add` acts as in the audit log. */
const CLI_ACTOR = 'cli:dmp-user-add';

/**
 * Adds a console user to a tenant with a one-time password (changed at first login); a user who exists
 * gets a new one-time password and the given role instead (how a lost password is reset). Shared by
 * `dmp user add` and the demo start.
 *
 * Example: `await addOrResetUser(catalog, 'acme', 'ann@acme.com', 'editor')` -> `{ email: 'ann@acme.com', role: 'editor', password: 'q3J9...' }`.
 */
export async function addOrResetUser(
  catalog: Catalog,
  tenant: string,
  email: string,
  role: string,
  actor = CLI_ACTOR,
): Promise<NewUserPassword> {
  const users = new UserService(catalog, new Audit(catalog));
  if ((await catalog.getTenant(tenant)) === undefined)
    throw new ServiceError(404, 'not_found', `no tenant '${tenant}' (dmp tenant create NAME makes one)`);
  try {
    return await users.add(tenant, email, role, actor);
  } catch (error) {
    if (error instanceof ServiceError && error.status === 409) return users.reset(tenant, email, role, actor);
    throw error;
  }
}

/**
 * `dmp user add TENANT EMAIL --role ROLE [--data DIR | --catalog URL]`: the user's one-time password on
 * standard output as `{"email", "role", "password"}`; errors (unknown tenant, bad email or role) on
 * standard error, exit 1. `catalog` is where the catalog is: a `postgres://` URL or the SQLite file
 * (`catalog.sqlite` of the data folder), which must exist.
 *
 * Example: `await userAddCommand('./data/catalog.sqlite', 'acme', 'ann@acme.com', 'editor', out, err)` -> 0.
 */
export async function userAddCommand(
  catalogAt: string,
  tenant: string,
  email: string,
  role: string,
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  if (!/^postgres(ql)?:\/\//i.test(catalogAt) && !existsSync(catalogAt)) {
    err(
      `no catalog at ${catalogAt}: give the data folder of the DMP with --data DIR, or its catalog with --catalog URL\n`,
    );
    return 1;
  }
  const catalog = await openCatalog(catalogAt);
  try {
    const made = await addOrResetUser(catalog, tenant, email, role);
    out(`${JSON.stringify({ email: made.email, role: made.role, password: made.password })}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    err(`${error.message}\n`);
    return 1;
  } finally {
    await catalog.close();
  }
}
