// Builds the console UI into dist/renderer as plain files the main process loads from the app bundle.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the bundle is loaded from a file or app protocol, never from a web server root.
  base: './',
  // Oxc compiles TSX with React's automatic runtime, so no React plugin is needed (no dev-time fast refresh).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // The CSP allows no inline script: keep every asset a file and skip the inline-capable preload polyfill
    // (the console only runs in current Chromium, which supports modulepreload natively).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'chrome120',
    sourcemap: false,
  },
  server: { strictPort: true },
});
