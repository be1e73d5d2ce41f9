// Builds the dashboard into web/dist, which `ordo serve` serves at /. Preact's JSX is compiled by
// Vite's own transformer (no Babel plugin): the dashboard is only ever built, never hot-reloaded
// against a dev server, so the preset's refresh machinery would be dead weight.

import { defineConfig } from 'vite';

// Vite reads its config from the default export (the one default export in the project).
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  logLevel: 'warn',
});
