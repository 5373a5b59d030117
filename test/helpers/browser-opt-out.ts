/** The opt-out form as `GET /optout` gave it to one browser: its cookie and its token. */
export interface OptOutForm {
  /** `dmp_optout_form=...`, to send back as a cookie */
  cookie: string;
  token: string;
  page: Response;
  html: string;
}

/**
 * Loads the opt-out page as a browser would (with the browser's cookies) and reads its form.
 *
 * Example: `const form = await openOptOutForm(h.base, `?site=${siteKey}`, 'dmp_uid=c-1');`
 */
export async function openOptOutForm(base: string, query: string, cookies: string): Promise<OptOutForm> {
  const page = await fetch(`${base}/optout${query}`, { headers: cookies === '' ? {} : { cookie: cookies } });
  const html = await page.text();
  const cookie = page.headers.getSetCookie().find((c) => c.startsWith('dmp_optout_form='));
  const token = /name="token" value="([^"]*)"/.exec(html)?.[1];
  if (cookie === undefined || token === undefined)
    throw new Error(`no opt-out form in ${page.status} ${html.slice(0, 200)}`);
  return { cookie: cookie.split(';')[0] ?? '', token, page, html };
}

/**
 * Presses the form's button: posts the form back from the page's own origin, as the browser does.
 * `headers` replaces or adds headers (another site's `Origin`, ...); an empty value leaves the header out.
 *
 * Example: `await pressOptOut(h.base, `?site=${siteKey}`, 'dmp_uid=c-1', form)` -> the 200 confirmation page.
 */
export async function pressOptOut(
  base: string,
  query: string,
  cookies: string,
  form: Pick<OptOutForm, 'cookie' | 'token'>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const all: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    cookie: [cookies, form.cookie].filter((c) => c !== '').join('; '),
    origin: base,
    'sec-fetch-site': 'same-origin',
    ...headers,
  };
  return fetch(`${base}/optout${query}`, {
    method: 'POST',
    headers: Object.fromEntries(Object.entries(all).filter(([, value]) => value !== '')),
    body: new URLSearchParams({ token: form.token }).toString(),
  });
}
