import { canonicalIpRule, IpAllowlist, normalizeIp } from './ip-allowlist';

describe(IpAllowlist.name, () => {
  it('allows any address when the list is empty', () => {
    expect(IpAllowlist.compile([])).toBeNull();
  });

  it.each([
    [['203.0.113.7'], '203.0.113.7', true],
    [['203.0.113.7'], '203.0.113.8', false],
    [['10.0.0.0/8'], '10.255.1.2', true],
    [['10.0.0.0/8'], '11.0.0.1', false],
    [['10.0.0.0/8'], '::ffff:10.1.2.3', true],
    [['::ffff:10.0.0.0/104'], '10.9.9.9', true],
    [['::ffff:127.0.0.1'], '127.0.0.1', true],
    [['2001:db8::/32'], '2001:db8:1::5', true],
    [['2001:db8::/32'], '2001:db9::5', false],
    [['2001:DB8::1'], '2001:db8::1', true],
    [['::1'], '127.0.0.1', false],
    [['0.0.0.0/0'], '198.51.100.1', true],
    [['::/0'], '2001:db8::1', true],
    [['127.0.0.1'], 'not-an-ip', false],
  ])('%j vs %s → %s', (rules, ip, allowed) => {
    expect(IpAllowlist.compile(rules)!.allows(ip)).toBe(allowed);
  });

  it('canonicalises entries and refuses what is not an address or CIDR', () => {
    expect(canonicalIpRule(' 10.0.0.0/8 ')).toBe('10.0.0.0/8');
    expect(canonicalIpRule('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(canonicalIpRule('2001:DB8::/48')).toBe('2001:db8::/48');
    for (const bad of [
      '10.0.0.0/33',
      '2001:db8::/129',
      '10.0.0.0/',
      '10.0.0/8',
      'example.com',
      '1.2.3.4/8/1',
      '',
      '10.0.0.0/-1',
    ]) {
      expect(canonicalIpRule(bad)).toBeNull();
    }
  });

  it('reads an IPv4-mapped IPv6 address as IPv4', () => {
    expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeIp('::1')).toBe('::1');
  });
});
