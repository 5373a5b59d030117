/**
 * The roles of a tenant's users and what each may do: the one table of it (docs/console.md shows the same
 * table). Every authenticated API route names the one permission it needs (`src/api/route-permissions.ts`)
 * and the API refuses the request when the caller's role lacks it, so a console that hides a button is a
 * courtesy, never the check. Roles are nested: each has every permission of the role before it.
 *
 * Example: `roleMay('viewer', 'edit')` -> `false`; `roleMay('editor', 'edit')` -> `true`.
 */

/** The roles, least first. A tenant's own API keys (`dmp tenant create`) act as `admin`. */
export const ROLES = ['viewer', 'analyst', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a route may need, with what it covers (shown in refusals and in the docs).
 * Example: `PERMISSIONS.compute` -> 'run read-only computations: sizes, overlaps, insights, trends, explain, profile look-ups'.
 */
export const PERMISSIONS = {
  self: 'see who you are, change your own password, make and revoke your own API keys',
  read: 'read traits, segments, destinations, campaigns, runs, partners, data sources, onboarding jobs, consent settings',
  compute:
    'run read-only computations: sizes, overlaps, insights, trends, explain, profile look-ups, match rates',
  edit: 'create, change and delete traits, segments, destinations, campaigns, onboarding uploads, partners, data sources, ID links; start runs',
  manage_users: "add users, change their roles, remove them, see any user's API keys",
  manage_keys: 'site keys and their origins, visitor tokens',
  manage_identity: 'identity settings (eids sources, ID lifetimes and caps)',
  manage_privacy: 'privacy requests: opt-outs, deletions, exports',
  read_audit: 'read the audit log',
} as const;
export type Permission = keyof typeof PERMISSIONS;

/** Each role's own additions; `ROLE_PERMISSIONS` adds those of the roles below. */
const ADDED: Record<Role, readonly Permission[]> = {
  viewer: ['self', 'read'],
  analyst: ['compute'],
  editor: ['edit'],
  admin: ['manage_users', 'manage_keys', 'manage_identity', 'manage_privacy', 'read_audit'],
};

/** Every permission of each role (its own and those of every role below it). */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  viewer: upTo('viewer'),
  analyst: upTo('analyst'),
  editor: upTo('editor'),
  admin: upTo('admin'),
};

function upTo(role: Role): ReadonlySet<Permission> {
  return new Set(ROLES.slice(0, ROLES.indexOf(role) + 1).flatMap((r) => ADDED[r]));
}

/** Whether the role has the permission. Example: `roleMay('analyst', 'compute')` -> `true`. */
export function roleMay(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** The least role that has the permission. Example: `leastRoleFor('edit')` -> `'editor'`. */
export function leastRoleFor(permission: Permission): Role {
  return ROLES.find((role) => roleMay(role, permission)) ?? 'admin';
}

/** Whether a text is a role. Example: `isRole('editor')` -> `true`; `isRole('root')` -> `false`. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
