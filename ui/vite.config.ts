import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The service worker caches the app shell: it learns the built file names (they carry content
 * hashes) from this list, written into sw.js when the bundle is made.
 */
function precacheList(): Plugin {
  return {
    name: 'leakwatch-precache',
    generateBundle(_options, bundle) {
      const built = Object.keys(bundle).filter((name) => name !== 'sw.js' && name !== 'index.html' && !name.endsWith('.map'));
      const copied = readdirSync(`${root}public`);
      const list = ['/', ...[...built, ...copied].map((name) => `/${name}`)].sort();
      const version = createHash('sha256').update(list.join('\n')).digest('hex').slice(0, 12);
      const sw = bundle['sw.js'];
      if (!sw || sw.type !== 'chunk') throw new Error('the service worker was not built');
      const placeholder = /["']__LW_PRECACHE__["']/;
      if (!placeholder.test(sw.code)) throw new Error('sw.ts lost its __LW_PRECACHE__ placeholder');
      sw.code = sw.code.replace(placeholder, JSON.stringify(JSON.stringify({ version, files: list })));
    },
  };
}

/** The phone's page: Lit, bundled by Vite into ui/dist, served by the appliance's API (nothing from a CDN). */
export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2021',
    // The phone may have no uplink: everything the page needs is in these files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { index: `${root}index.html`, sw: `${root}src/sw.ts` },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
        chunkFileNames: 'assets/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
  plugins: [precacheList()],
});
