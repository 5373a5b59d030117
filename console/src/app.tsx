import { useEffect, useState } from 'preact/hooks';
import type { Session } from './api.ts';
import { ApiError, call, messageOf, useCsrf } from './api.ts';
import { LoginPage, PasswordPage } from './login.tsx';
import { SegmentEditor } from './segment-editor.tsx';
import { SegmentList } from './pages.tsx';
import { Dashboard } from './dashboard.tsx';
import { DestinationList, DestinationPage } from './destinations.tsx';
import { TraitEditor, TraitList } from './traits.tsx';
import { AUDIT_ROLES, AuditPage } from './audit.tsx';
import { TaxonomyPage } from './taxonomy.tsx';
import { OnboardingPage } from './onboarding.tsx';
import { PartnersPage } from './partners.tsx';
import { PrivacyPage } from './privacy.tsx';
import { CampaignList, CampaignPage } from './campaigns.tsx';

/** The hash route (`#/segments/new` -> `/segments/new`): client-side routes live in the hash. */
function useHashRoute(): string {
  const read = () => location.hash.replace(/^#/, '') || '/';
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/**
 * The console: asks who is logged in (`GET /v1/session`), shows the login or the forced password change
 * until there is a usable session, then the page the hash names, under a nav of the pages.
 */
export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState('');
  const route = useHashRoute();

  const accept = (s: Session | null) => {
    // a password change answers the same session: keep its token if an answer leaves it out
    if (s === null || s.csrfToken !== undefined) useCsrf(s?.csrfToken);
    setSession(s);
  };
  useEffect(() => {
    // no session was opened in this browser (or it was closed): log in, without a 401 in the console
    if (!/(^|;\s*)dmp_signed_in=1/.test(document.cookie)) {
      accept(null);
      return;
    }
    call<Session>('GET', '/v1/session')
      .then(accept)
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) accept(null);
        else setError(messageOf(e));
      });
  }, []);

  if (error !== '') return <p role="alert">The console could not reach the API: {error}</p>;
  if (session === undefined) return <p>Loading…</p>;
  if (session === null) return <LoginPage onLogin={accept} />;
  if (session.mustChangePassword) return <PasswordPage onChanged={accept} />;

  const logout = async () => {
    await call('DELETE', '/v1/session').catch(() => undefined);
    accept(null);
  };
  return (
    <>
      <header>
        <nav aria-label="Console">
          <a href="#/">Dashboard</a>
          <a href="#/segments">Segments</a>
          <a href="#/segments/new">New segment</a>
          <a href="#/traits">Traits</a>
          <a href="#/taxonomy">Taxonomy</a>
          <a href="#/onboarding">Onboarding</a>
          <a href="#/partners">Partners</a>
          <a href="#/destinations">Destinations</a>
          <a href="#/campaigns">Campaigns</a>
          <a href="#/privacy">Privacy</a>
          {AUDIT_ROLES.has(session.role) && <a href="#/audit">Audit</a>}
        </nav>
        <p class="who">
          {session.email ?? 'API key'} ({session.role}, tenant {session.tenant}){' '}
          <button type="button" onClick={() => void logout()}>
            Log out
          </button>
        </p>
      </header>
      <main>{page(route, session)}</main>
    </>
  );
}

/** The page of a hash route; an unknown route says so and links home. */
function page(route: string, session: Session) {
  if (route === '/') return <Dashboard />;
  if (route === '/segments') return <SegmentList />;
  if (route === '/segments/new') return <SegmentEditor key="new" session={session} />;
  if (route === '/destinations') return <DestinationList session={session} />;
  if (route === '/traits') return <TraitList />;
  if (route === '/traits/new') return <TraitEditor key="new" session={session} />;
  if (route === '/audit') return <AuditPage session={session} />;
  if (route === '/taxonomy') return <TaxonomyPage />;
  if (route === '/onboarding') return <OnboardingPage session={session} />;
  if (route === '/partners') return <PartnersPage session={session} />;
  if (route === '/campaigns') return <CampaignList session={session} />;
  if (route === '/privacy') return <PrivacyPage session={session} />;
  const trait = /^\/traits\/([^/]+)$/.exec(route);
  if (trait) {
    const code = decodeURIComponent(trait[1] ?? '');
    return <TraitEditor key={code} session={session} code={code} />;
  }
  const destination = /^\/destinations\/([^/]+)$/.exec(route);
  if (destination) {
    const code = decodeURIComponent(destination[1] ?? '');
    return <DestinationPage key={code} session={session} code={code} />;
  }
  const campaign = /^\/campaigns\/([^/]+)$/.exec(route);
  if (campaign) {
    const code = decodeURIComponent(campaign[1] ?? '');
    return <CampaignPage key={code} session={session} code={code} />;
  }
  const edit = /^\/segments\/([^/]+)$/.exec(route);
  if (edit) {
    const code = decodeURIComponent(edit[1] ?? '');
    return <SegmentEditor key={code} session={session} code={code} />;
  }
  return (
    <p>
      No page {route}. <a href="#/">Go to the dashboard</a>.
    </p>
  );
}
