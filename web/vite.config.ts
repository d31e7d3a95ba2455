import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    // `pnpm dev`: the browser's own calls to /api go to the API process.
    proxy: { '/api': process.env.KONKURS_API_URL ?? 'http://127.0.0.1:3000' },
  },
});
