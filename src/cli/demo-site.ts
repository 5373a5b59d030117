import type { App } from '../app.ts';
import { ServiceError } from '../core/service-error.ts';
import { DEMO_SECTIONS } from '../api/demo-page.ts';

/** The Prebid and Ad Manager destinations the demo shop's tag asks for (its `data-prebid` and `data-gam`). */
export const DEMO_DESTINATIONS = { prebid: 'demo_prebid', gam: 'demo_gam' };

/** Creates it unless it exists (a conflict, 409, is a later start of the same data folder). */
async function unlessExists(make: () => Promise<unknown>): Promise<void> {
  try {
    await make();
  } catch (error) {
    if (!(error instanceof ServiceError && error.status === 409)) throw error;
  }
}

/**
 * What the demo shop at `/demo/` needs in the demo tenant: for each of its sections a trait (a page view
 * under `/demo/SECTION`) and a segment of the same visitors, and the two browser destinations that send
 * them to Prebid (`ortb2.user.data`) and Ad Manager (key `dmp`), under IDs 9001, 9002, ... Made once; a
 * later start finds them.
 *
 * Example: `await ensureDemoSite(app, keys.tenant)`.
 */
export async function ensureDemoSite(app: App, tenant: string): Promise<void> {
  const mapping: { segment: string; id: string }[] = [];
  for (const [i, section] of DEMO_SECTIONS.entries()) {
    await unlessExists(() =>
      app.traits.create(tenant, {
        code: `demo_${section.path}`,
        name: `Demo shop: ${section.title}`,
        rule: `url.path startsWith "/demo/${section.path}"`,
      }),
    );
    await unlessExists(() =>
      app.segments.create(tenant, {
        code: `demo_${section.path}_fans`,
        name: `Demo shop: browsed ${section.title.toLowerCase()}`,
        rule: `trait:demo_${section.path}`,
      }),
    );
    mapping.push({ segment: `demo_${section.path}_fans`, id: String(9001 + i) });
  }
  const common = {
    segments: mapping,
    idType: 'uid',
    consent: { vendorId: 755, purposes: [1, 3, 4] },
    restrictions: [],
  };
  const { prebid, gam } = DEMO_DESTINATIONS;
  await unlessExists(() =>
    app.destinations.save(
      tenant,
      { ...common, code: prebid, name: 'Demo shop: Prebid', kind: 'prebid', settings: {} },
      'system',
    ),
  );
  await unlessExists(() =>
    app.destinations.save(
      tenant,
      { ...common, code: gam, name: 'Demo shop: Ad Manager', kind: 'gam', settings: { key: 'dmp' } },
      'system',
    ),
  );
}
