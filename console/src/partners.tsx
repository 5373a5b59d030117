/** Partners and match rates: the page is being built (issue 17). */
import type { Session } from './api.ts';

export function PartnersPage({ session }: { session: Session }) {
  return <h1 title={session.role}>Partners and match rates</h1>;
}
