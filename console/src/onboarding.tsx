/** Onboarding: the page is being built (issue 17). */
import type { Session } from './api.ts';

export function OnboardingPage({ session }: { session: Session }) {
  return <h1 title={session.role}>Onboarding</h1>;
}
