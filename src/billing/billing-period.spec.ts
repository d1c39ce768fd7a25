import { periodOf } from './billing-period';

const NOW = new Date('2026-12-15T09:30:00Z');

describe('Billing periods', () => {
  it('defaults to this calendar month, ending now', () => {
    expect(periodOf(undefined, NOW)).toEqual({
      month: '2026-12',
      start: new Date('2026-12-01T00:00:00Z'),
      next: new Date('2027-01-01T00:00:00Z'),
      end: NOW,
    });
  });

  it('ends a past month at the next one, across a year', () => {
    expect(periodOf('2025-12', NOW)).toMatchObject({
      start: new Date('2025-12-01T00:00:00Z'),
      end: new Date('2026-01-01T00:00:00Z'),
    });
  });

  it('refuses a future month', () => {
    expect(() => periodOf('2027-01', NOW)).toThrow();
  });
});
