import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built to static files the api serves at /dashboard/ (see apps/api/src/dashboard).
// `pnpm --filter @aigw/dashboard dev` serves it with hot reload and sends the admin
// API to a gateway on :3000 (AIGW_URL to point elsewhere).
export default defineConfig({
  base: '/dashboard/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or styles: the page's Content-Security-Policy forbids them.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { '/admin': process.env.AIGW_URL ?? 'http://127.0.0.1:3000' },
  },
});
