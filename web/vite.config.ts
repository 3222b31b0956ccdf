import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// `npx vite build --config web/vite.config.ts` (from the repository root) builds into web/dist, which the server serves.
// `npx vite --config web/vite.config.ts` runs a dev server that proxies /api to a running `npm start` (PORT 8080).
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/api': process.env.SHELFWISE_API ?? 'http://localhost:8080' } },
});
