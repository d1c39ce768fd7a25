import { useState } from 'react';
import type { CreatedApiKey } from 'tunetrail-sdk';

/** The full key, shown once right after Create or Rotate, with Copy and the guide's warning. */
export function NewKeyNotice({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(created.api_key).then(
      () => setCopied('Copied to the clipboard.'),
      () => setCopied('Copying is not allowed here: select the key and copy it yourself.'),
    );
  };
  return (
    <section className="new-key" aria-labelledby="new-key-heading">
      <h2 id="new-key-heading">Your new API key: {created.name}</h2>
      <p className="warning" role="note">
        <strong>⚠️ Important:</strong> The full <code>api_key</code> is only shown once during creation. Store it
        securely!
      </p>
      <div className="key-box">
        <code aria-label="Full API key">{created.api_key}</code>
        <button type="button" onClick={copy}>
          Copy
        </button>
      </div>
      <p role="status" className="hint">
        {copied}
      </p>
      <button type="button" className="secondary" onClick={onDone}>
        I have stored it
      </button>
    </section>
  );
}
