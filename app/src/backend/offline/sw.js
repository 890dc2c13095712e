// Barback's service worker: the app on a phone with patchy Wi-Fi.
//
// The server writes `BUILD` (the browser code's build) and `PRECACHE` (the app shell: the menu,
// the offline page, the main bundles, the stylesheet, the icons) above this file when it serves
// it, so a new deploy is a new worker: it installs beside the old one, takes over at once, and
// deletes the old build's cache. Pages are network first (the last menu and drink pages are kept
// for when the network is gone); hashed code is cache first (its name changes with its content);
// photos are served from the cache while a fresh copy is fetched. Nothing else is touched: the
// live stream, server functions, uploads and the host's pages always go to the network.

const CODE = `barback-${BUILD}`;
const MEDIA = 'barback-media';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CODE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== CODE && name !== MEDIA) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(page(request, url));
  } else if (url.pathname.startsWith('/pkg/')) {
    event.respondWith(cacheFirst(request));
  } else if (isMedia(url)) {
    event.respondWith(staleWhileRevalidate(request));
  }
});

// The menu and drink pages are the same for every guest and worth keeping for a dead network.
function keepsPage(url) {
  return url.pathname === '/' || url.pathname.startsWith('/drinks/');
}

function isMedia(url) {
  return /\.(svg|png|webp|jpe?g|ico)$/.test(url.pathname) || url.pathname.startsWith('/images/');
}

// Pages vary by language (`Vary: Accept-Language, Cookie`); for a dead network the one kept per
// address is the last one seen, whatever the headers: `ignoreVary` on every lookup and removal.
const ANY = { ignoreVary: true };

async function page(request, url) {
  const cache = await caches.open(CODE);
  try {
    const response = await fetch(request);
    if (response.ok && keepsPage(url)) {
      await cache.delete(request, ANY);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (offline) {
    const kept = await cache.match(request, ANY);
    if (kept) {
      return kept;
    }
    if (url.pathname === '/offline') {
      return Response.error();
    }
    // Another page's HTML under this address would not match what the app renders for it: go
    // where there is a kept page instead (a menu search to the whole menu, anything else to the
    // offline page).
    const menu = url.pathname === '/' && (await cache.match('/', ANY));
    return Response.redirect(menu ? '/' : '/offline', 302);
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CODE);
  const kept = await cache.match(request);
  if (kept) {
    return kept;
  }
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
  }
  return response;
}

async function staleWhileRevalidate(request) {
  const cache = await caches.open(MEDIA);
  const kept = await cache.match(request);
  const fresh = fetch(request)
    .then(async (response) => {
      if (response.ok) {
        await cache.put(request, response.clone());
      }
      return response;
    })
    .catch(() => kept || Response.error());
  return kept || fresh;
}

// Web Push: "Your Negroni is ready", even with the page closed. The payload is the bar's notice
// (title, body, the page to open, one tag per order so a reminder replaces the first).
self.addEventListener('push', (event) => {
  let notice = { title: 'Barback', body: '', url: '/orders', tag: 'barback' };
  try {
    notice = { ...notice, ...event.data.json() };
  } catch (unreadable) {
    // Shown as is: a push must always show something.
  }
  event.waitUntil(
    self.registration.showNotification(notice.title, {
      body: notice.body,
      tag: notice.tag,
      renotify: true,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url: notice.url },
    }),
  );
});

// A tap opens the guest's orders: the bar's tab if one is open, else a new one.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || '/orders', self.location.origin);
  event.waitUntil(
    (async () => {
      const open = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const client of open) {
        if (new URL(client.url).origin === url.origin && 'focus' in client) {
          await client.focus();
          return client.navigate(url.href);
        }
      }
      return self.clients.openWindow(url.href);
    })(),
  );
});
