import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { messageOf } from './api.ts';

/**
 * "Delete" and its confirmation: nothing is deleted until "Yes, delete CODE" is pressed; then `remove`
 * (the page's own `DELETE` call, written where its path can be read: ADR 36) runs and the console goes to
 * `after` (the list). "Keep it" closes the question; the API's refusal is said under it. `children` is
 * the question, which says what is lost.
 *
 * Example:
 * ```tsx
 * <ConfirmDelete code="xmas" remove={() => call('DELETE', '/v1/campaigns/xmas')} after="#/campaigns">
 *   Delete campaign xmas? This cannot be undone.
 * </ConfirmDelete>
 * ```
 */
export function ConfirmDelete({
  code,
  remove,
  after,
  children,
}: {
  code: string;
  remove: () => Promise<unknown>;
  after: string;
  children: ComponentChildren;
}) {
  const [asking, setAsking] = useState(false);
  const [status, setStatus] = useState('');
  const confirmed = async () => {
    try {
      await remove();
      location.hash = after;
    } catch (e) {
      setStatus(messageOf(e));
    }
  };
  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)}>
        Delete
      </button>
    );
  return (
    <div role="group" aria-labelledby="delete-question" class="confirm">
      <p id="delete-question">{children}</p>
      <button type="button" onClick={() => void confirmed()}>
        Yes, delete {code}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Keep it
      </button>
      <p role="alert" class="status">
        {status}
      </p>
    </div>
  );
}
