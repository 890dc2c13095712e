// `make bench-code`: the code (JS + WASM) a first visit downloads, per page, as a phone with an
// empty cache would: Debian's Chromium loads each page until the app has started, and every
// script and WebAssembly file it fetched is listed with its size raw and as the precompressed
// brotli the server sends to browsers that accept it. Also the total WASM the build wrote.
// Starts its own release server (target/release/server) on a fresh database.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { guestSession, launchChromium, root, startServer } from './server.mjs';

const site = path.join(root, 'target', 'site');
const { base, cli, invite, firstDrink, stop } = await startServer(3220);
const kb = (n) => (n / 1024).toFixed(1).padStart(8);

function sizes(urlPath) {
  const file = path.join(site, decodeURIComponent(urlPath));
  const raw = fs.statSync(file).size;
  const br = fs.existsSync(`${file}.br`)
    ? fs.statSync(`${file}.br`).size
    : zlib.brotliCompressSync(fs.readFileSync(file), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { raw, br };
}

async function started(page) {
  await page.waitForFunction(() => window.__barbackLive === true, null, { timeout: 30_000 });
  await page.waitForLoadState('networkidle');
}

try {
  cli(['admin', 'create', '--username', 'host'], 'bench-password\n');
  const code = invite();
  const drink = await firstDrink();
  const browser = await launchChromium();
  // Sessions: a guest who joined, and the host signed in.
  const guestState = await guestSession(browser, base, code);
  const hostState = await (async () => {
    const context = await browser.newContext({ baseURL: base });
    const page = await context.newPage();
    await page.goto('/admin/login');
    await page.getByLabel('Username').fill('host');
    await page.getByLabel('Password').fill('bench-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/admin\/board/);
    const state = await context.storageState();
    await context.close();
    return state;
  })();

  const pages = [
    ['/', undefined],
    [`/drinks/${drink}`, undefined],
    ['/orders', guestState],
    ['/bartender', guestState],
    ['/admin/login', undefined],
    ['/admin/board', hostState],
  ];
  console.log('First visit, empty cache: code downloaded (kB)');
  for (const [url, storageState] of pages) {
    const context = await browser.newContext({ baseURL: base, storageState });
    const page = await context.newPage();
    const files = new Set();
    page.on('response', (response) => {
      const { pathname } = new URL(response.url());
      if (/\.(js|wasm)$/.test(pathname)) files.add(pathname);
    });
    await page.goto(url);
    await started(page);
    let raw = 0;
    let br = 0;
    console.log(`${url.replace(drink, '{id}')}`);
    for (const file of [...files].sort()) {
      const size = sizes(file);
      raw += size.raw;
      br += size.br;
      console.log(`  ${file.padEnd(48)} raw ${kb(size.raw)}  br ${kb(size.br)}`);
    }
    console.log(`  ${'total'.padEnd(48)} raw ${kb(raw)}  br ${kb(br)}`);
    await context.close();
  }
  await browser.close();
  let raw = 0;
  let br = 0;
  const pkg = path.join(site, 'pkg');
  const wasm = fs.readdirSync(pkg).filter((f) => f.endsWith('.wasm'));
  for (const f of wasm) {
    const size = sizes(`/pkg/${f}`);
    raw += size.raw;
    br += size.br;
  }
  console.log(`All WASM the build wrote (${wasm.length} files): raw ${kb(raw)} kB, br ${kb(br)} kB`);
} finally {
  stop();
}
