import { effectiveLimits } from './key-limits';

describe(effectiveLimits.name, () => {
  const plan = { minute: 60, hour: 1000, day: 10000 };

  it('follows the plan where the key has no value', () => {
    expect(effectiveLimits({ minute: null, hour: null, day: null }, plan, false)).toEqual(plan);
  });

  it('takes the lower of the key and a fixed plan, so a downgrade lowers it', () => {
    expect(effectiveLimits({ minute: 30, hour: 5000, day: null }, plan, false)).toEqual({
      minute: 30,
      hour: 1000,
      day: 10000,
    });
  });

  it('keeps the key value on a custom-limit plan', () => {
    expect(effectiveLimits({ minute: 5000, hour: null, day: null }, plan, true)).toEqual({
      minute: 5000,
      hour: 1000,
      day: 10000,
    });
  });
});
