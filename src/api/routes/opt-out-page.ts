/**
 * The text with `& < > " '` written as HTML character references, safe inside an element or a quoted
 * attribute. Example: `escapeHtml('<a href="x">')` -> `'&lt;a href=&quot;x&quot;&gt;'`.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The headers of every opt-out page: never cached, never framed (a framed button could be clicked by a
 * trick), no scripts, and forms only to this server. Example: `reply.headers(OPT_OUT_PAGE_HEADERS)`.
 */
export const OPT_OUT_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};

const HEAD =
  '<!doctype html><html lang="en"><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1">' +
  '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:2em auto;padding:0 1em}' +
  'button{font:inherit;padding:.5em 1.5em}</style>';

/**
 * The page `GET /optout` answers: what opting out does, and a button that posts the form (with the
 * form token) back to the same address. It changes nothing by itself.
 *
 * Example: `optOutFormPage('Yq3...', false)` -> `'<!doctype html>...<button type="submit">Opt out</button>...'`.
 */
export function optOutFormPage(formToken: string, alreadyOptedOut: boolean): string {
  const state = alreadyOptedOut
    ? '<p><strong>This browser is already opted out.</strong> You can confirm again below.</p>'
    : '';
  // no action attribute: the form posts to this page's own address, query (site key) included, so it
  // also works behind a proxy that serves the collector under a path prefix
  return (
    `${HEAD}<title>Opt out of audience targeting</title>` +
    '<h1>Opt out of audience targeting</h1>' +
    state +
    "<p>This site uses an audience platform to group visitors by interest for advertising. If you opt out, this browser's visits are no longer recorded, and what is held about this browser for this site is deleted.</p>" +
    '<p>The choice is kept in a cookie in this browser: clearing your cookies, or using another browser or device, removes it.</p>' +
    '<form method="post">' +
    `<input type="hidden" name="token" value="${escapeHtml(formToken)}">` +
    '<button type="submit">Opt out</button></form>'
  );
}

/** The page a confirmed opt-out answers. Example: `optedOutPage()` -> `'<!doctype html>...You have opted out...'`. */
export function optedOutPage(): string {
  return (
    `${HEAD}<title>Opted out</title><h1>Opted out</h1>` +
    "<p>You have opted out. This browser will not be tracked by this site's audience platform, and what was " +
    'held about it has been deleted. Clearing your cookies removes the opt-out.</p>'
  );
}
