import { DASHBOARD_CSP, DOCS_CSP, pagePolicyFor } from './page-security';

describe('Page security headers: which paths are pages', () => {
  it.each([
    ['/dashboard', DASHBOARD_CSP],
    ['/dashboard/', DASHBOARD_CSP],
    ['/dashboard/settings/api-keys?tab=1', DASHBOARD_CSP],
    ['/dashboard/assets/index-abc123.js', DASHBOARD_CSP],
    ['/docs', DOCS_CSP],
    ['/docs/swagger-ui-init.js', DOCS_CSP],
  ])('%s gets its page policy', (url, policy) => {
    expect(pagePolicyFor(url)).toBe(policy);
  });

  it.each(['/docs-json', '/dashboards', '/tracks', '/api-keys', '/'])('%s is an API route: no page policy', (url) => {
    expect(pagePolicyFor(url)).toBeUndefined();
  });

  it('allows no inline script on either page, and no inline style on the dashboard', () => {
    for (const policy of [DASHBOARD_CSP, DOCS_CSP]) {
      expect(policy).toContain("script-src 'self';");
      expect(policy).toContain("frame-ancestors 'none'");
    }
    expect(DASHBOARD_CSP).not.toContain('unsafe-inline');
  });
});
