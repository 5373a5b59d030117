/** Campaigns: the page is being built (issue 17). */
import type { Session } from './api.ts';

export function CampaignList({ session }: { session: Session }) {
  return <h1 title={session.role}>Campaigns</h1>;
}
