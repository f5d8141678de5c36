/**
 * Vite config of the web UI: built into src/ui/web/dist (served by `layerwise serve` at /). `npx vite src/ui/web`
 * runs a dev server that proxies the API to a local `layerwise serve` (LAYERWISE_PORT, default 7070).
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));
const api = `http://127.0.0.1:${process.env.LAYERWISE_PORT ?? '7070'}`;

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 800 },
  server: { proxy: { '/v1': api, '/docs': api } },
  logLevel: 'warn',
});
