import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const sdkSources = fileURLToPath(new URL('../sdk/node/src/index.ts', import.meta.url));

// Built into dashboard/dist, served by the API at /dashboard (src/dashboard/dashboard.module.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  // The SDK's own sources, so the dashboard always bundles the SDK of this checkout (no build order).
  resolve: { alias: { 'tunetrail-sdk': sdkSources } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The page CSP allows no inline script or style, so nothing may be inlined as data: modules.
    assetsInlineLimit: 0,
    // No `modulepreload` polyfill: it would be one more script; every browser the dashboard targets has it.
    modulePreload: { polyfill: false },
  },
});
