import { useState } from 'preact/hooks';
import type { Destination, Session } from './api.ts';
import { EDITOR_ROLES, call, messageOf } from './api.ts';
import { useLoad } from './pages.tsx';
import { destinationHref } from './destinations.tsx';
import { hidesSecrets, withMapping } from './mapping.ts';

/**
 * "Send to destination" in the editor of a saved segment: adds the segment, with the ID the partner knows
 * it by, to a destination's mapping. The API replaces a destination whole, so this reads it and PUTs it
 * back with the mapping changed; a refusal (a consent or label restriction, a missing `edit`) is the
 * API's message under the button.
 */
export function SendToDestination({ session, segment }: { session: Session; segment: string }) {
  const { data, error } = useLoad(() => call<{ destinations: Destination[] }>('GET', '/v1/destinations'));
  const [chosen, setChosen] = useState('');
  const [id, setId] = useState('');
  const [status, setStatus] = useState('');
  const [sent, setSent] = useState<{ code: string; id: string } | undefined>(undefined);
  const canSend = EDITOR_ROLES.has(session.role);
  const destinations = data?.destinations ?? [];
  const code = chosen !== '' ? chosen : (destinations[0]?.code ?? '');

  const send = async (event: Event) => {
    event.preventDefault();
    setStatus('');
    setSent(undefined);
    try {
      const path = `/v1/destinations/${encodeURIComponent(code)}`;
      const current = await call<Destination>('GET', path);
      if (hidesSecrets(current))
        throw new Error(
          `destination '${code}' has credentials the console cannot see: change its segments with PUT ${path}`,
        );
      const segments = withMapping(current.segments, segment, id);
      await call('PUT', path, { ...current, segments });
      setSent({ code, id });
    } catch (e) {
      setStatus(messageOf(e));
    }
  };

  return (
    <section aria-labelledby="send-heading">
      <h2 id="send-heading">Send to destination</h2>
      {error !== '' && <p role="alert">{error}</p>}
      {data && destinations.length === 0 && <p>The tenant has no destinations yet.</p>}
      {destinations.length > 0 && (
        <form onSubmit={(e) => void send(e)}>
          <label for="send-destination">Destination</label>
          <select id="send-destination" value={code} onChange={(e) => setChosen(e.currentTarget.value)}>
            {destinations.map((d) => (
              <option key={d.code} value={d.code}>
                {d.code}: {d.name} ({d.kind})
              </option>
            ))}
          </select>
          <label for="send-id">Segment ID at the destination</label>
          <input id="send-id" value={id} required onInput={(e) => setId(e.currentTarget.value)} />
          <button type="submit" disabled={!canSend} aria-describedby={canSend ? undefined : 'send-note'}>
            Send
          </button>
          {!canSend && (
            <p id="send-note">
              Your role ({session.role}) may not change destinations: ask an admin for the editor role.
            </p>
          )}
          <p role="alert" class="status">
            {status}
          </p>
          <p role="status">
            {sent !== undefined && (
              <>
                Destination {sent.code} now sends {segment} as ID {sent.id}.{' '}
                <a href={destinationHref(sent.code)}>Open destination {sent.code}</a>
              </>
            )}
          </p>
        </form>
      )}
    </section>
  );
}
