import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Built into dashboard/dist, served by the API at /dashboard (src/dashboard/dashboard.module.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The page CSP allows no inline script or style, so nothing may be inlined as data: modules.
    assetsInlineLimit: 0,
    // No `modulepreload` polyfill: it would be one more script; every browser the dashboard targets has it.
    modulePreload: { polyfill: false },
  },
});
