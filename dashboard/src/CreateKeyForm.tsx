import { useState, type FormEvent } from 'react';
import type { ApiKey, CreateApiKeyParams, CreatedApiKey, Plan, Scope } from 'tunetrail-sdk';

type Environment = ApiKey['environment'];
import type { Account } from './App';
import { limitText } from './SettingsPage';
import { client } from './session';
import { ErrorAlert, FormButtons } from './ErrorAlert';

export const ENVIRONMENTS: Environment[] = ['development', 'staging', 'production'];
const EXPIRATION_DAYS = [7, 30, 90, 180, 365];
const CUSTOM = 'custom';

type LimitField = 'rate_limit_requests_per_minute' | 'rate_limit_requests_per_hour' | 'rate_limit_requests_per_day';
const LIMITS: { field: LimitField; label: string }[] = [
  { field: 'rate_limit_requests_per_minute', label: 'Requests per minute' },
  { field: 'rate_limit_requests_per_hour', label: 'Requests per hour' },
  { field: 'rate_limit_requests_per_day', label: 'Requests per day' },
];

/** Every scope of the catalogue in plan order, with the first (cheapest) plan that has it. */
function scopeCatalogue(plans: Plan[]): { scope: Scope; firstPlan: Plan }[] {
  const seen = new Map<Scope, Plan>();
  for (const plan of plans) for (const scope of plan.scopes) if (!seen.has(scope)) seen.set(scope, plan);
  return [...seen].map(([scope, firstPlan]) => ({ scope, firstPlan }));
}

const splitIps = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);

interface Props {
  account: Account;
  onCreated: (created: CreatedApiKey) => void;
  onCancel: () => void;
  onError: (error: unknown) => string;
}

/** The guide's "Create New API Key": name, environment, scopes, rate limits, expiration, allowed IPs. */
export function CreateKeyForm({ account, onCreated, onCancel, onError }: Props) {
  const { plan, plans } = account;
  const [name, setName] = useState('');
  const [environment, setEnvironment] = useState<Environment>('development');
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [limits, setLimits] = useState<Record<LimitField, string>>({
    rate_limit_requests_per_minute: '',
    rate_limit_requests_per_hour: '',
    rate_limit_requests_per_day: '',
  });
  const [expiration, setExpiration] = useState('never');
  const [customDays, setCustomDays] = useState('');
  const [allowedIps, setAllowedIps] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = (scope: Scope, on: boolean) =>
    setScopes((current) => (on ? [...current, scope] : current.filter((other) => other !== scope)));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (scopes.length === 0) {
      setError('Choose at least one scope.');
      return;
    }
    const input: CreateApiKeyParams = { name: name.trim(), environment, scopes };
    for (const { field } of LIMITS) if (limits[field] !== '') input[field] = Number(limits[field]);
    const days = expiration === CUSTOM ? customDays : expiration;
    if (days !== 'never' && days !== '') input.expires_in_days = Number(days);
    const ips = splitIps(allowedIps);
    if (ips.length > 0) input.allowed_ips = ips;
    setBusy(true);
    setError(null);
    try {
      onCreated(await client.apiKeys.create(input));
    } catch (failure) {
      setError(onError(failure));
      setBusy(false);
    }
  }

  return (
    <form className="card" aria-labelledby="create-heading" onSubmit={(event) => void submit(event)}>
      <h2 id="create-heading">New API key</h2>
      <label htmlFor="key-name">Name</label>
      <input
        id="key-name"
        required
        maxLength={100}
        placeholder="e.g. Production API"
        value={name}
        onChange={(event) => setName(event.target.value)}
      />

      <label htmlFor="key-environment">Environment</label>
      <select
        id="key-environment"
        value={environment}
        onChange={(event) => setEnvironment(event.target.value as Environment)}
      >
        {ENVIRONMENTS.map((value) => (
          <option key={value} value={value}>
            {value}
          </option>
        ))}
      </select>

      <fieldset>
        <legend>Scopes</legend>
        <ul className="scopes">
          {scopeCatalogue(plans).map(({ scope, firstPlan }) => {
            const allowed = plan.scopes.includes(scope);
            const id = `scope-${scope.replace(/\W/g, '-')}`;
            return (
              <li key={scope}>
                <input
                  id={id}
                  type="checkbox"
                  disabled={!allowed}
                  checked={scopes.includes(scope)}
                  aria-describedby={allowed ? undefined : `${id}-plan`}
                  onChange={(event) => toggle(scope, event.target.checked)}
                />
                <label htmlFor={id}>{scope}</label>
                {!allowed && (
                  <span id={`${id}-plan`} className="hint">
                    Available on the {firstPlan.name} plan
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      </fieldset>

      <fieldset>
        <legend>Rate Limits</legend>
        <p className="hint" id="limits-hint">
          Leave empty for your plan&apos;s limits ({plan.name}); a key can only go lower.
        </p>
        <div className="limits">
          {LIMITS.map(({ field, label }) => (
            <div key={field}>
              <label htmlFor={field}>{label}</label>
              <input
                id={field}
                type="number"
                inputMode="numeric"
                min={1}
                max={plan[field] ?? undefined}
                placeholder={limitText(plan[field])}
                aria-describedby="limits-hint"
                value={limits[field]}
                onChange={(event) => setLimits({ ...limits, [field]: event.target.value })}
              />
            </div>
          ))}
        </div>
      </fieldset>

      <label htmlFor="key-expiration">Expiration</label>
      <select id="key-expiration" value={expiration} onChange={(event) => setExpiration(event.target.value)}>
        <option value="never">Never</option>
        {EXPIRATION_DAYS.map((days) => (
          <option key={days} value={String(days)}>
            {days} days
          </option>
        ))}
        <option value={CUSTOM}>Another number of days</option>
      </select>
      {expiration === CUSTOM && (
        <>
          <label htmlFor="key-expiration-days">Days until it expires</label>
          <input
            id="key-expiration-days"
            type="number"
            min={1}
            max={3650}
            required
            value={customDays}
            onChange={(event) => setCustomDays(event.target.value)}
          />
        </>
      )}

      <label htmlFor="key-allowed-ips">Allowed IPs</label>
      <textarea
        id="key-allowed-ips"
        rows={2}
        aria-describedby="ips-hint"
        placeholder="203.0.113.7, 198.51.100.0/24"
        value={allowedIps}
        onChange={(event) => setAllowedIps(event.target.value)}
      />
      <p id="ips-hint" className="hint">
        Addresses or CIDR ranges, separated by commas or new lines. Leave empty to allow any address.
      </p>

      <ErrorAlert message={error} />
      <FormButtons submit="Create" busy={busy} secondary="Cancel" onSecondary={onCancel} />
    </form>
  );
}
