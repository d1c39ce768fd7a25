import type { Account } from './App';
import { followLink, ROUTES } from './router';

export const limitText = (value: number | null): string => (value === null ? 'Custom' : value.toLocaleString('en-US'));

/** Settings: the account's plan and limits, and the way to its API keys. */
export function SettingsPage({ account }: { account: Account }) {
  const { plan } = account;
  return (
    <>
      <h1>Settings</h1>
      <nav aria-label="Settings">
        <ul className="sub-nav">
          <li>
            <a href={ROUTES.apiKeys} onClick={followLink}>
              API Keys
            </a>
          </li>
        </ul>
      </nav>
      <section aria-labelledby="plan-heading">
        <h2 id="plan-heading">Your plan: {plan.name}</h2>
        <table>
          <caption>Rate limits per API key</caption>
          <thead>
            <tr>
              <th scope="col">Per minute</th>
              <th scope="col">Per hour</th>
              <th scope="col">Per day</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>{limitText(plan.rate_limit_requests_per_minute)}</td>
              <td>{limitText(plan.rate_limit_requests_per_hour)}</td>
              <td>{limitText(plan.rate_limit_requests_per_day)}</td>
            </tr>
          </tbody>
        </table>
        <h3>Scopes in your plan</h3>
        <ul className="scope-list">
          {plan.scopes.map((scope) => (
            <li key={scope}>
              <code>{scope}</code>
            </li>
          ))}
        </ul>
        <p className="hint">Plan changes are made by TuneTrail support.</p>
      </section>
    </>
  );
}
