/** Privacy requests: the page is being built (issue 17). */
import type { Session } from './api.ts';

export function PrivacyPage({ session }: { session: Session }) {
  return <h1 title={session.role}>Privacy requests</h1>;
}
