/** An API failure (already in words), announced to screen readers as it appears. */
export function ErrorAlert({ message }: { message: string | null }) {
  return message ? (
    <p role="alert" className="error">
      {message}
    </p>
  ) : null;
}

interface FormButtonsProps {
  submit: string;
  busy: boolean;
  secondary: string;
  onSecondary: () => void;
}

/** A form's submit button and its secondary action (both held while a request is in flight). */
export function FormButtons({ submit, busy, secondary, onSecondary }: FormButtonsProps) {
  return (
    <div className="actions">
      <button type="submit" disabled={busy}>
        {submit}
      </button>
      <button type="button" className="secondary" disabled={busy} onClick={onSecondary}>
        {secondary}
      </button>
    </div>
  );
}
