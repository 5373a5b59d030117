import type { Destination, VisitorActivation } from '../core/activation/index.ts';
import { visitorActivation } from '../core/activation/index.ts';
import type { Gvl } from '../core/consent/index.ts';
import type { Consent } from '../core/event.ts';
import type { ConsentGate } from '../privacy/consent-gate.ts';

/**
 * A real-time decision for one visitor under every consent that applies: the consent the request
 * carries (the bid request's `regs`, the page's parameters and `Sec-GPC`) and the consent recorded on
 * the profile (its newest signal by event time, a withdrawal included). Each must allow the destination:
 * a visitor who withdrew through the tenant's own site stays refused even when a request carries a
 * grant (often another site's, for another purpose), until a new grant is recorded by collection. With
 * neither, the decision is made on no consent at all (as before: GDPR does not apply).
 * A refusal by the recorded consent says so in its reason.
 *
 * Example:
 * ```ts
 * activationUnderConsents(gate, gvl, ssp, new Set(['fans']), bidConsent, profiles.consentOf(p));
 * // { ok: false, step: 'consented', reason: 'the consent recorded for the visitor: GDPR applies and ...' }
 * ```
 */
export function activationUnderConsents(
  gate: ConsentGate,
  gvl: Gvl,
  destination: Destination,
  memberOf: ReadonlySet<string>,
  request: Consent | undefined,
  recorded: Consent | undefined,
): VisitorActivation {
  const byRequest =
    request === undefined ? undefined : visitorActivation(destination, memberOf, gate.state(request), gvl);
  if (byRequest !== undefined && (!byRequest.ok || !byRequest.eligible)) return byRequest;
  if (recorded === undefined) {
    return byRequest ?? visitorActivation(destination, memberOf, gate.state(undefined), gvl);
  }
  const byRecord = visitorActivation(destination, memberOf, gate.state(recorded), gvl);
  if (!byRecord.ok)
    return { ...byRecord, reason: `the consent recorded for the visitor: ${byRecord.reason}` };
  return byRequest ?? byRecord;
}
