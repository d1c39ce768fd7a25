import { useEffect, useId, useRef, type ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}

/** A modal `<dialog>`: the browser traps focus, Escape closes it, focus returns where it was. */
export function Dialog({ title, onClose, children, wide }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    return () => dialog.close();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={wide ? 'wide' : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

interface ConfirmProps {
  title: string;
  /** The confirming button's text, repeating the action (e.g. "Revoke"). */
  action: string;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}

/** Asks before a destructive action; the confirming button repeats the action's name. */
export function ConfirmDialog({ title, action, busy, error, onConfirm, onCancel, children }: ConfirmProps) {
  return (
    <Dialog title={title} onClose={onCancel}>
      {children}
      <ErrorAlert message={error} />
      <div className="actions">
        <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
          {action}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
