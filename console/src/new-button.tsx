import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/**
 * A list page's "New ..." button (`label`), shown when `allowed`, which opens the form `children(close)`
 * in its place; the form calls `close` to go back to the button (its "Cancel").
 *
 * Example:
 * ```tsx
 * <NewButton label="New campaign" allowed={canEdit}>
 *   {(close) => <CampaignForm onSaved={(c) => open(c)} onCancel={close} />}
 * </NewButton>
 * ```
 */
export function NewButton({
  label,
  allowed,
  children,
}: {
  label: string;
  allowed: boolean;
  children: (close: () => void) => ComponentChildren;
}) {
  const [open, setOpen] = useState(false);
  if (!allowed) return null;
  if (open) return <>{children(() => setOpen(false))}</>;
  return (
    <p>
      <button type="button" onClick={() => setOpen(true)}>
        {label}
      </button>
    </p>
  );
}
