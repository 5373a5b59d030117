import { guard, isFunction, page } from './guard.ts';

/**
 * What the page's consent lets the tag do, from its CMP (`__tcfapi`, `__gpp`, `__uspapi`) and the
 * browser's Global Privacy Control, with the strings passed on to the DMP, which decides per purpose and
 * vendor itself (docs/privacy.md). The tag's own decisions are only the coarse ones:
 * - `collect`: it may send events (and so let the DMP set its ID cookie): GDPR does not apply, or TCF
 *   purpose 1 (store and access information on a device) is consented;
 * - `share`: it may also ask for the visitor's segments, put them on the page and fire ID syncs: `collect`,
 *   and neither Global Privacy Control nor a US Privacy opt-out of sale.
 */
export interface ConsentState {
  /** false while the tag still waits for the CMP (then nothing is sent) */
  ready: boolean;
  collect: boolean;
  share: boolean;
  gdpr?: 0 | 1;
  tcf?: string;
  usp?: string;
  gpp?: string;
  gppSid?: number[];
}

interface TcData {
  eventStatus?: string;
  gdprApplies?: boolean;
  tcString?: string;
  purpose?: { consents?: Record<string, boolean> };
}

interface GppData {
  pingData?: { signalStatus?: string; gppString?: string; applicableSections?: number[] };
  signalStatus?: string;
  gppString?: string;
  applicableSections?: number[];
}

/** What each CMP said so far; `undefined` while it has not answered. */
interface Signals {
  tcf?: { applies: boolean; tc?: string; purpose1: boolean };
  gpp?: { gpp?: string; sid?: number[] };
  usp?: string;
}

/** The state the signals come to; `waiting` says whether a CMP on the page has not answered yet. */
export function decide(signals: Signals, waiting: boolean, gpc: boolean, gdprSite: boolean): ConsentState {
  const t = signals.tcf;
  const collect = t !== undefined ? !t.applies || t.purpose1 : !gdprSite;
  const uspOptOut = signals.usp !== undefined && signals.usp.charAt(2).toUpperCase() === 'Y';
  const state: ConsentState = { ready: !waiting, collect, share: collect && !gpc && !uspOptOut };
  if (t !== undefined) {
    state.gdpr = t.applies ? 1 : 0;
    if (t.tc !== undefined) state.tcf = t.tc;
  }
  if (signals.usp !== undefined) state.usp = signals.usp;
  if (signals.gpp?.gpp !== undefined) state.gpp = signals.gpp.gpp;
  if (signals.gpp?.sid !== undefined) state.gppSid = signals.gpp.sid;
  return state;
}

/**
 * Listens to the page's CMPs and calls `onChange` with each new state: first when every CMP on the page
 * has answered (or `timeoutMs` has passed: an unanswered TCF CMP then counts as no consent), then again
 * whenever the visitor changes consent (`__tcfapi` and `__gpp` event listeners). A page without a CMP is
 * decided at once: collection allowed unless the site said GDPR applies (`data-gdpr="1"`).
 */
export function watchConsent(
  timeoutMs: number,
  gdprSite: boolean,
  onChange: (state: ConsentState) => void,
): void {
  const signals: Signals = {};
  const tcfapi = page.__tcfapi;
  const gppapi = page.__gpp;
  const uspapi = page.__uspapi;
  const pending = { tcf: isFunction(tcfapi), gpp: isFunction(gppapi), usp: isFunction(uspapi) };
  let timedOut = false;
  /** Calls a CMP, whose own errors stay with it; says whether it threw. */
  const call = (fn: () => void): boolean => {
    try {
      fn();
      return false;
    } catch {
      return true;
    }
  };
  let last = '';
  const gpc = (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
  const update = (): void => {
    const waiting = !timedOut && (pending.tcf || pending.gpp || pending.usp);
    const state = decide(signals, waiting, gpc, gdprSite || (pending.tcf && timedOut));
    const key = JSON.stringify(state);
    if (key === last) return;
    last = key;
    onChange(state);
  };
  if (pending.tcf) {
    const onTcf = guard((data: TcData | null, success: boolean) => {
      if (!success || data === null || typeof data !== 'object') return;
      const status = data.eventStatus;
      if (data.gdprApplies !== false && status !== 'tcloaded' && status !== 'useractioncomplete') return;
      signals.tcf = {
        applies: data.gdprApplies !== false,
        tc: typeof data.tcString === 'string' ? data.tcString : undefined,
        purpose1: data.purpose?.consents?.['1'] === true,
      };
      pending.tcf = false;
      update();
    });
    // a TCF CMP that throws before answering is waited for all the same: its timeout means no consent
    call(() => (tcfapi as (...a: unknown[]) => void)('addEventListener', 2, onTcf));
  }
  if (pending.gpp) {
    const onGpp = guard((data: GppData | null) => {
      const ping = data?.pingData ?? data;
      if (ping === null || ping === undefined || ping.signalStatus !== 'ready') return;
      signals.gpp = { gpp: ping.gppString, sid: ping.applicableSections };
      pending.gpp = false;
      update();
    });
    // a GPP or US Privacy API that throws will not answer: not waited for
    if (call(() => (gppapi as (...a: unknown[]) => void)('addEventListener', onGpp))) pending.gpp = false;
  }
  if (pending.usp) {
    const onUsp = guard((data: { uspString?: string } | null, success: boolean) => {
      if (success && typeof data?.uspString === 'string') signals.usp = data.uspString;
      pending.usp = false;
      update();
    });
    if (call(() => (uspapi as (...a: unknown[]) => void)('getUSPData', 1, onUsp))) pending.usp = false;
  }
  setTimeout(
    guard(() => {
      timedOut = true;
      update();
    }),
    timeoutMs,
  );
  update();
}
