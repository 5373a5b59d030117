import type { OnboardedTraitInput } from '../onboard/onboarded-traits.ts';
import type { IabNode } from '../core/taxonomy/iab-nodes.ts';

/** The data source of the demo's third-party traits. */
export const IAB_SOURCE = {
  code: 'iab-provider',
  name: 'IAB audience data provider',
  party: 'third',
} as const;

/**
 * The IAB nodes as third-party traits: code `iab_<Unique ID>`, the Unique ID as integration code (so a
 * provider's file may use either), the condensed name, folder `IAB/<Tier 1>`, a 90-day lifetime.
 * Example: `thirdPartyTraits(nodes)[2]` -> `{ code: 'iab_3', name: 'Demographic | Age Range | 18-20', integrationCode: '3', folder: 'IAB/Demographic', lifetimeDays: 90 }`
 */
export function thirdPartyTraits(nodes: readonly IabNode[]): OnboardedTraitInput[] {
  return nodes.map((n) => ({
    code: `iab_${n.id}`,
    name: n.name.slice(0, 200) || `IAB ${n.id}`,
    integrationCode: n.id,
    folder: `IAB/${n.tier1}`,
    lifetimeDays: 90,
  }));
}
