import { secondsUntilWindowEnd, windowStartSeconds } from './fixed-windows';

const at = (iso: string): number => Date.parse(iso);
const seconds = (iso: string): number => Date.parse(iso) / 1000;

describe('fixed windows', () => {
  it('keeps 59.999 s in the minute, hour and day that are ending', () => {
    const now = at('2025-09-27T23:59:59.999Z');
    expect(windowStartSeconds(now, 60)).toBe(seconds('2025-09-27T23:59:00Z'));
    expect(windowStartSeconds(now, 3600)).toBe(seconds('2025-09-27T23:00:00Z'));
    expect(windowStartSeconds(now, 86400)).toBe(seconds('2025-09-27T00:00:00Z'));
    expect([60, 3600, 86400].map((span) => secondsUntilWindowEnd(now, span))).toEqual([1, 1, 1]);
  });

  it('starts a new minute, hour and day at 00:00:00Z', () => {
    const now = at('2025-09-28T00:00:00.000Z');
    for (const span of [60, 3600, 86400]) expect(windowStartSeconds(now, span)).toBe(seconds('2025-09-28T00:00:00Z'));
    expect([60, 3600, 86400].map((span) => secondsUntilWindowEnd(now, span))).toEqual([60, 3600, 86400]);
  });

  it('rounds the time left up to whole seconds', () => {
    expect(secondsUntilWindowEnd(at('2025-09-27T10:04:37.001Z'), 60)).toBe(23);
    expect(secondsUntilWindowEnd(at('2025-09-27T10:04:37.000Z'), 60)).toBe(23);
  });
});
