// `make bench-phone`: how soon a guest's phone shows each page and can use it, on an empty cache,
// with Lighthouse's mobile conditions applied through the DevTools protocol (4x slower CPU,
// 150 ms round trips, 1.6 Mbit/s down, 750 kbit/s up). For each page, the median of PHONE_RUNS loads
// (default 5): first contentful paint, largest contentful paint, when the app took over input
// ("live": the moment `window.__barbackLive` turns true) and how many script/WASM files it fetched.
// Starts its own release server (target/release/server) on a fresh database.
import { guestSession, launchChromium, startServer } from './server.mjs';

const runs = Number(process.env.PHONE_RUNS || 5);
const { base, invite, firstDrink, stop } = await startServer(3240);

// Records paint and start-up moments in the page itself, before any of its scripts run.
const recorder = () => {
  const w = window;
  w.__bench = { lcp: 0, fcp: 0, live: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) w.__bench.lcp = entry.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint') w.__bench.fcp = entry.startTime;
  }).observe({ type: 'paint', buffered: true });
  let live = false;
  Object.defineProperty(w, '__barbackLive', {
    configurable: true,
    get: () => live,
    set: (value) => {
      live = value;
      if (value && !w.__bench.live) w.__bench.live = performance.now();
    },
  });
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const seconds = (ms) => (ms / 1000).toFixed(2).padStart(6);

try {
  const drink = await firstDrink();
  const browser = await launchChromium();
  const guestState = await guestSession(browser, base, invite());
  const pages = [
    ['/', undefined],
    [`/drinks/${drink}`, undefined],
    ['/orders', guestState],
    ['/bartender', guestState],
  ];
  console.log(`Phone (4x CPU, 150 ms RTT, 1.6 Mbit/s), empty cache, median of ${runs} loads (s)`);
  console.log(`  ${'page'.padEnd(14)}    FCP    LCP   live  code files`);
  for (const [url, storageState] of pages) {
    const samples = [];
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ baseURL: base, storageState, viewport: { width: 412, height: 823 }, isMobile: true });
      const page = await context.newPage();
      await page.addInitScript(recorder);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
      let files = 0;
      page.on('response', (response) => {
        if (/\.(js|wasm)$/.test(new URL(response.url()).pathname)) files++;
      });
      await page.goto(url);
      await page.waitForFunction(() => window.__bench.live > 0, null, { timeout: 60_000, polling: 100 });
      await page.waitForLoadState('networkidle');
      samples.push({ ...(await page.evaluate(() => window.__bench)), files });
      await context.close();
    }
    const pick = (key) => median(samples.map((sample) => sample[key]));
    console.log(
      `  ${url.replace(drink, '{id}').padEnd(14)} ${seconds(pick('fcp'))} ${seconds(pick('lcp'))} ${seconds(pick('live'))} ${String(pick('files')).padStart(11)}`,
    );
  }
  await browser.close();
} finally {
  stop();
}
