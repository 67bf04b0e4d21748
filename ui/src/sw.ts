/**
 * The service worker (secure page only): keeps the app shell so the page opens even while the
 * appliance restarts, and opens an alert when its notification is tapped. Data never comes from
 * the cache: /api/, /ca/ and /canary/ always go to the appliance.
 */
declare const self: ServiceWorkerGlobalScope;
export {};

/** Filled in by the build (ui/vite.config.ts): the shell's files, named by their content hashes. */
const PRECACHE: { version: string; files: string[] } = JSON.parse('__LW_PRECACHE__');
const CACHE = `leakwatch-shell-${PRECACHE.version}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.files)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n.startsWith('leakwatch-shell-') && n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || /^\/(api|ca|canary)\//.test(url.pathname)) return;
  if (event.request.mode === 'navigate') {
    // The shell: fresh when the appliance answers, the cached one when it does not.
    event.respondWith(fetch(event.request).catch(() => caches.match('/').then((cached) => cached ?? Response.error())));
    return;
  }
  event.respondWith(caches.match(event.request).then((cached) => cached ?? fetch(event.request)));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = (event.notification.data as { url?: string } | null)?.url ?? '/';
  event.waitUntil(self.clients.matchAll({ type: 'window' }).then((windows) => {
    const open = windows[0];
    return open ? open.navigate(target).then((w) => w?.focus()) : self.clients.openWindow(target);
  }));
});
