import type { CollectedEvent } from '../core/event.ts';
import type { OptOutRegistry } from '../privacy/opt-out-registry.ts';

/**
 * Whether an onboarded ID opted out, asked of the collector's registry (SHA-256 per ID, only when the
 * tenant has opt-outs at all). One probe object is reused, so a file does not allocate per row.
 *
 * Example: `const optedOut = optOutTest(registry); optedOut('acme', 'maid', '6d92...')` -> `false`.
 */
export function optOutTest(registry: OptOutRegistry): (tenant: string, type: string, id: string) => boolean {
  const probe: CollectedEvent = {
    uid: '',
    ids: {},
    type: 'onboard',
    ts: 0,
    utm: {},
    signals: {},
    geo: {},
    device: {},
  };
  const none = {};
  return (tenant, type, id) => {
    if (type === 'uid') {
      probe.uid = id;
      probe.ids = none;
    } else {
      probe.uid = '';
      probe.ids = { [type]: id };
    }
    return registry.covers(tenant, probe);
  };
}
