import type { App } from '../../src/app.ts';

/**
 * Everything a user can read about a tenant, to compare two programs: every profile as
 * GET /v1/profiles/{uid} gives it (traits sorted by code, profiles by uid), and every segment's size.
 * Example: `assert.deepEqual(tenantState(restarted.app, tenant), tenantState(live.app, tenant))`.
 */
export function tenantState(app: App, tenant: string) {
  const profiles: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = app.profileService.list(tenant, cursor, 500);
    for (const item of page.profiles) {
      const profile = app.profileService.get(tenant, { uid: item.uid });
      profiles.push({ ...profile, traits: [...profile.traits].sort((a, b) => a.code.localeCompare(b.code)) });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  profiles.sort((a, b) => ((a as { uid: string }).uid < (b as { uid: string }).uid ? -1 : 1));
  const sizes = [...app.qualify.rules(tenant).segmentDefinitions()].map((s) => [
    s.code,
    app.segments.size(tenant, s.code).size,
  ]);
  return { profiles, sizes };
}
