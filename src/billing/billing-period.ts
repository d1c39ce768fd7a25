import { validationFailed } from '../common/errors/domain.exception';

/** A calendar month (UTC) and how much of it has happened. */
export interface Period {
  /** `YYYY-MM`. */
  month: string;
  start: Date;
  /** The next month's first instant. */
  next: Date;
  /** Where the figures end: now, or `next` for a month that is over. */
  end: Date;
}

/** `YYYY-MM` (default this month) as a period; a future month is `400`. */
export function periodOf(month: string | undefined, now = new Date()): Period {
  const current = now.toISOString().slice(0, 7);
  const chosen = month ?? current;
  if (chosen > current) throw validationFailed([{ field: 'period', message: 'period must not be in the future' }]);
  const [year, monthNumber] = chosen.split('-').map(Number);
  const start = new Date(Date.UTC(year, monthNumber - 1, 1));
  const next = new Date(Date.UTC(year, monthNumber, 1));
  return { month: chosen, start, next, end: chosen === current ? now : next };
}
