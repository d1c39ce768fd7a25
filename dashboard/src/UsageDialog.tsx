import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef, useState } from 'react';
import type { ApiKey, KeyUsage } from 'tunetrail-sdk';
import { Dialog } from './Dialog';
import { client } from './session';
import { ErrorAlert } from './ErrorAlert';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

const PERIODS = [7, 30, 90];

const describe = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .map(([label, count]) => `${label}: ${count}`)
    .join(', ') || 'no requests';

/** A bar chart of request counts, with its numbers as the canvas's text for screen readers. */
function CountChart({ title, counts, color }: { title: string; counts: Record<string, number>; color: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = new Chart(canvas.current!, {
      type: 'bar',
      data: {
        labels: Object.keys(counts),
        datasets: [{ label: 'Requests', data: Object.values(counts), backgroundColor: color, maxBarThickness: 36 }],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: 'y',
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    return () => chart.destroy();
  }, [counts, color]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={`${title}: ${describe(counts)}`} />
      </div>
    </figure>
  );
}

/** Usage of one key over 7, 30 or 90 days: totals, then requests by status code and by endpoint. */
export function UsageDialog({
  apiKey,
  onClose,
  onError,
}: {
  apiKey: ApiKey;
  onClose: () => void;
  onError: (e: unknown) => string;
}) {
  const [days, setDays] = useState(7);
  const [usage, setUsage] = useState<KeyUsage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setUsage(null);
    client.apiKeys.usage(apiKey.id, { days }).then(
      (answer) => !cancelled && setUsage(answer),
      (failure: unknown) => !cancelled && setError(onError(failure)),
    );
    return () => {
      cancelled = true;
    };
  }, [apiKey.id, days, onError]);

  return (
    <Dialog title={`Usage of ${apiKey.name}`} onClose={onClose} wide>
      <fieldset className="periods">
        <legend>Period</legend>
        {PERIODS.map((period) => (
          <label key={period}>
            <input type="radio" name="period" checked={days === period} onChange={() => setDays(period)} />
            Last {period} days
          </label>
        ))}
      </fieldset>
      <ErrorAlert message={error} />
      {!usage && !error && <p>Loading usage…</p>}
      {usage && (
        <>
          <dl className="totals" aria-label="Totals">
            <div>
              <dt>Total requests</dt>
              <dd data-testid="total-requests">{usage.total_requests}</dd>
            </div>
            <div>
              <dt>Requests per day</dt>
              <dd>{(usage.total_requests / days).toFixed(1)}</dd>
            </div>
            <div>
              <dt>Successful</dt>
              <dd>{usage.successful_requests}</dd>
            </div>
            <div>
              <dt>Failed</dt>
              <dd>{usage.failed_requests}</dd>
            </div>
            <div>
              <dt>Average response time</dt>
              <dd>{usage.avg_response_time_ms === null ? '–' : `${usage.avg_response_time_ms} ms`}</dd>
            </div>
          </dl>
          <div className="charts">
            <CountChart title="Requests by status code" counts={usage.requests_by_status_code} color="#2563eb" />
            <CountChart title="Requests by endpoint" counts={usage.requests_by_endpoint} color="#7c3aed" />
          </div>
        </>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
