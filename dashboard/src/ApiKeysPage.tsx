import { useCallback, useEffect, useState } from 'react';
import type { ApiKey, CreatedApiKey, Page } from 'tunetrail-sdk';
import type { Account } from './App';
import { CreateKeyForm, ENVIRONMENTS } from './CreateKeyForm';
import { ConfirmDialog } from './Dialog';
import { NewKeyNotice } from './NewKeyNotice';
import { client } from './session';
import { UsageDialog } from './UsageDialog';
import { ErrorAlert } from './ErrorAlert';

type Environment = ApiKey['environment'];

const PAGE_SIZE = 20;

type Status = 'active' | 'suspended' | 'revoked' | 'expired';
type Action = 'usage' | 'rotate' | 'revoke' | 'suspend' | 'delete';

function statusOf(key: ApiKey): Status {
  if (key.revoked_at) return 'revoked';
  if (key.expires_at && Date.parse(key.expires_at) <= Date.now()) return 'expired';
  return key.is_active ? 'active' : 'suspended';
}

const when = (iso: string | null, none: string): string =>
  iso === null
    ? none
    : new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';

interface Props {
  account: Account;
  onError: (error: unknown) => string;
}

/** Settings → API Keys: the list with its filters, Create New API Key, and each key's actions. */
export function ApiKeysPage({ account, onError }: Props) {
  const [environment, setEnvironment] = useState<Environment | ''>('');
  const [active, setActive] = useState<'' | 'true' | 'false'>('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page<ApiKey> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [pending, setPending] = useState<{ action: Action; key: ApiKey } | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  // Resolves once the list on screen is the server's, so a status line never precedes it.
  const reload = useCallback(
    () =>
      client.apiKeys
        .list({
          environment: environment || undefined,
          is_active: active === '' ? undefined : active === 'true',
          limit: PAGE_SIZE,
          offset,
        })
        .then(
          (answer) => {
            setPage(answer);
            setError(null);
          },
          (failure: unknown) => setError(onError(failure)),
        ),
    [environment, active, offset, onError],
  );

  useEffect(() => {
    void reload();
  }, [reload]);

  const showNewKey = (key: CreatedApiKey) => {
    setCreating(false);
    setCreated(key);
    void reload();
  };

  const finished = (message: string) => {
    setPending(null);
    void reload().then(() => setStatus(message));
  };

  const resume = (key: ApiKey) =>
    client.apiKeys.update(key.id, { is_active: true }).then(
      () => finished(`${key.name} is active again.`),
      (failure: unknown) => setError(onError(failure)),
    );

  /** The buttons of a key's row: a revoked key can only be looked at and deleted. */
  const rowActions = (key: ApiKey): [string, () => void][] => {
    const ask = (action: Action) => () => setPending({ action, key });
    const live = statusOf(key) !== 'revoked';
    return [
      ['Usage', ask('usage')],
      ...(live
        ? ([
            ['Rotate', ask('rotate')],
            ['Revoke', ask('revoke')],
            key.is_active ? ['Suspend', ask('suspend')] : ['Resume', () => void resume(key)],
          ] as [string, () => void][])
        : []),
      ['Delete', ask('delete')],
    ];
  };

  return (
    <>
      <h1>API Keys</h1>
      <p>Keys of your {account.plan.name} plan account. Each app or environment should have its own key.</p>
      {created ? (
        <NewKeyNotice created={created} onDone={() => setCreated(null)} />
      ) : creating ? (
        <CreateKeyForm account={account} onCreated={showNewKey} onCancel={() => setCreating(false)} onError={onError} />
      ) : (
        <button type="button" onClick={() => setCreating(true)}>
          Create New API Key
        </button>
      )}

      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">Your keys</h2>
        <div className="filters">
          <label htmlFor="filter-environment">Filter by environment</label>
          <select
            id="filter-environment"
            value={environment}
            onChange={(event) => {
              setEnvironment(event.target.value as Environment | '');
              setOffset(0);
            }}
          >
            <option value="">All environments</option>
            {ENVIRONMENTS.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
          <label htmlFor="filter-status">Filter by status</label>
          <select
            id="filter-status"
            value={active}
            onChange={(event) => {
              setActive(event.target.value as '' | 'true' | 'false');
              setOffset(0);
            }}
          >
            <option value="">All statuses</option>
            <option value="true">Active</option>
            <option value="false">Suspended or revoked</option>
          </select>
        </div>
        <p role="status" className="notice-line">
          {status}
        </p>
        <ErrorAlert message={error} />
        {page && page.data.length === 0 && <p>No keys match. Create one with Create New API Key.</p>}
        {page && page.data.length > 0 && (
          <div className="table-scroll">
            <table className="keys">
              <caption className="visually-hidden">Your API keys</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Environment</th>
                  <th scope="col">Key prefix</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {page.data.map((key) => {
                  const keyStatus = statusOf(key);
                  return (
                    <tr key={key.id}>
                      <th scope="row">{key.name}</th>
                      <td>{key.environment}</td>
                      <td>
                        <code>{key.key_prefix}</code>
                      </td>
                      <td>{key.scopes.join(', ')}</td>
                      <td>
                        <span className={`badge ${keyStatus}`}>{keyStatus}</span>
                      </td>
                      <td>{when(key.last_used_at, 'Never')}</td>
                      <td>{when(key.expires_at, 'Never')}</td>
                      <td>
                        <div className="row-actions">
                          {rowActions(key).map(([label, run]) => (
                            <button
                              key={label}
                              type="button"
                              className={label === 'Delete' ? 'danger' : 'secondary'}
                              onClick={run}
                            >
                              {label}
                            </button>
                          ))}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {page && page.total > PAGE_SIZE && (
          <div className="pager">
            <button
              type="button"
              className="secondary"
              disabled={offset === 0}
              onClick={() => setOffset(offset - PAGE_SIZE)}
            >
              Previous
            </button>
            <span>
              {offset + 1}–{Math.min(offset + PAGE_SIZE, page.total)} of {page.total}
            </span>
            <button
              type="button"
              className="secondary"
              disabled={offset + PAGE_SIZE >= page.total}
              onClick={() => setOffset(offset + PAGE_SIZE)}
            >
              Next
            </button>
          </div>
        )}
      </section>

      {pending?.action === 'usage' && (
        <UsageDialog apiKey={pending.key} onClose={() => setPending(null)} onError={onError} />
      )}
      {pending?.action === 'rotate' && (
        <RotateDialog
          apiKey={pending.key}
          onCancel={() => setPending(null)}
          onRotated={(key) => {
            setPending(null);
            showNewKey(key);
          }}
          onError={onError}
        />
      )}
      {pending && ['revoke', 'suspend', 'delete'].includes(pending.action) && (
        <DestructiveDialog
          action={pending.action as 'revoke' | 'suspend' | 'delete'}
          apiKey={pending.key}
          onCancel={() => setPending(null)}
          onDone={finished}
          onError={onError}
        />
      )}
    </>
  );
}

const DESTRUCTIVE = {
  revoke: {
    label: 'Revoke',
    text: 'Apps using this key stop working at once, and a revoked key cannot be used again.',
    run: (key: ApiKey) => client.apiKeys.revoke(key.id),
    done: (key: ApiKey) => `${key.name} is revoked.`,
  },
  suspend: {
    label: 'Suspend',
    text: 'Apps using this key are refused until you resume it.',
    run: (key: ApiKey) => client.apiKeys.update(key.id, { is_active: false }),
    done: (key: ApiKey) => `${key.name} is suspended.`,
  },
  delete: {
    label: 'Delete',
    text: 'The key stops working and disappears from this list. Its past usage still counts in your analytics.',
    run: (key: ApiKey) => client.apiKeys.delete(key.id),
    done: (key: ApiKey) => `${key.name} is deleted.`,
  },
};

function DestructiveDialog(props: {
  action: keyof typeof DESTRUCTIVE;
  apiKey: ApiKey;
  onCancel: () => void;
  onDone: (message: string) => void;
  onError: (error: unknown) => string;
}) {
  const { label, text, run, done } = DESTRUCTIVE[props.action];
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = () => {
    setBusy(true);
    run(props.apiKey).then(
      () => props.onDone(done(props.apiKey)),
      (failure: unknown) => {
        setError(props.onError(failure));
        setBusy(false);
      },
    );
  };
  return (
    <ConfirmDialog
      title={`${label} ${props.apiKey.name}?`}
      action={label}
      busy={busy}
      error={error}
      onConfirm={confirm}
      onCancel={props.onCancel}
    >
      <p>{text}</p>
    </ConfirmDialog>
  );
}

function RotateDialog(props: {
  apiKey: ApiKey;
  onCancel: () => void;
  onRotated: (key: CreatedApiKey) => void;
  onError: (error: unknown) => string;
}) {
  const [grace, setGrace] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = () => {
    setBusy(true);
    client.apiKeys.rotate(props.apiKey.id, grace === '' ? {} : { grace_period_hours: Number(grace) }).then(
      (key) => props.onRotated(key),
      (failure: unknown) => {
        setError(props.onError(failure));
        setBusy(false);
      },
    );
  };
  return (
    <ConfirmDialog
      title={`Rotate ${props.apiKey.name}?`}
      action="Rotate"
      busy={busy}
      error={error}
      onConfirm={confirm}
      onCancel={props.onCancel}
    >
      <p>A new key with the same settings replaces this one. The new key is shown once.</p>
      <label htmlFor="grace-hours">Grace period (hours, optional)</label>
      <input
        id="grace-hours"
        type="number"
        min={1}
        max={168}
        aria-describedby="grace-hint"
        value={grace}
        onChange={(event) => setGrace(event.target.value)}
      />
      <p id="grace-hint" className="hint">
        1 to 168 hours during which the old key keeps working. Leave empty to revoke it at once.
      </p>
    </ConfirmDialog>
  );
}
