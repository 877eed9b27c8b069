import { useState, type ReactNode } from 'react';
import { AlertDialog } from 'radix-ui';
import { useAction } from './useAction';

/** The look of a confirmed action inside a table row. */
export const ROW_ACTION = 'button small ghost danger-text';

/**
 * A button that asks before doing something that cannot be undone, and shows the outcome
 * (progress while it runs, the server's words if it fails) inside the dialog.
 */
export function ConfirmButton({
  label,
  title,
  description,
  confirm,
  onConfirm,
  className = 'button danger',
  children,
}: {
  label: string;
  title: string;
  description: ReactNode;
  confirm: string;
  onConfirm: () => Promise<unknown>;
  className?: string;
  children?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const { busy, error, run: runAction } = useAction();

  async function run() {
    if (await runAction(onConfirm)) setOpen(false);
  }

  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <AlertDialog.Trigger className={className} aria-label={label}>
        {children ?? label}
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog">
          <AlertDialog.Title>{title}</AlertDialog.Title>
          <AlertDialog.Description>{description}</AlertDialog.Description>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <div className="dialog-actions">
            <AlertDialog.Cancel className="button ghost">Cancel</AlertDialog.Cancel>
            <button
              type="button"
              className="button danger"
              disabled={busy}
              onClick={() => void run()}
            >
              {busy ? 'Working…' : confirm}
            </button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
