import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { test as base, devices, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import path from 'node:path';

export const root = path.resolve(__dirname, '..', '..');
export const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://127.0.0.1:${port}`;
export const host = { username: 'host', password: 'e2e-host-password' };

/** The second bar on this host (the next port, its own database); see playwright.config.ts. */
export const secondBar = { port: port + 1, data: 'end2end/.data-2', baseURL: `http://127.0.0.1:${port + 1}` };

/** The bar on Amazon Bedrock (through end2end/bedrock-stub.cjs); see playwright.config.ts. */
export const bedrockBar = { port: port + 2, data: 'end2end/.data-3', baseURL: `http://127.0.0.1:${port + 2}` };

/** What a panic in the app looks like on the console (console_error_panic_hook logs it before the
 * module traps). */
const PANIC = /panicked at|RuntimeError|already been disposed/;

/** An error seen in a page: where, and what it said. */
type PageError = { url: string; message: string };

/** Every journey runs under a guard: an uncaught error or a panic in any page it opens (its own `page`
 * and every page of a context it makes with `browser.newContext` or `browser.newPage`) fails it.
 * A journey that causes an error on purpose names it with `allowPageErrors`. */
export const test = base.extend<{ pageErrors: PageError[] }>({
  pageErrors: [
    async ({ browser, context }, use, testInfo) => {
      const errors: PageError[] = [];
      const watch = (watched: BrowserContext) => {
        watched.on('weberror', (error) => errors.push({ url: error.page()?.url() ?? '?', message: error.error().message }));
        watched.on('console', (message) => {
          if (message.type() === 'error' && PANIC.test(message.text())) errors.push({ url: message.page()?.url() ?? '?', message: message.text() });
        });
      };
      watch(context);
      const newContext = browser.newContext;
      browser.newContext = async (options) => {
        const made = await newContext.call(browser, options);
        watch(made);
        return made;
      };
      await use(errors);
      browser.newContext = newContext;
      const allowedPatterns = testInfo.annotations
        .filter((note) => note.type === ALLOWED_ERROR)
        .map((note) => new RegExp(note.description ?? ''));
      const allowed = (error: PageError) => allowedPatterns.some((pattern) => pattern.test(`${error.url}: ${error.message}`));
      // A panic is logged, then the module traps ("unreachable"): the trap of an allowed panic goes with it.
      const pagesWithAllowedPanics = new Set(errors.filter(allowed).map((error) => error.url));
      const unexpected = errors
        .filter((error) => !allowed(error) && !(error.message === 'unreachable' && pagesWithAllowedPanics.has(error.url)))
        .map((error) => `${error.url}: ${error.message}`);
      expect(unexpected, 'uncaught errors or panics in the pages this journey opened').toEqual([]);
    },
    { auto: true },
  ],
});

const ALLOWED_ERROR = 'allowed page error';

/** Lets the running journey cause page errors that match `pattern` (and only those). */
export function allowPageErrors(pattern: RegExp) {
  test.info().annotations.push({ type: ALLOWED_ERROR, description: pattern.source });
}

/** A fresh invite code, made with the real CLI against the server's database (or the second bar's). */
export function inviteCode(uses = 1, bar = { port, data: 'end2end/.data' }): string {
  const out = execFileSync(path.join(root, 'target/release/server'), ['invite', 'create', '--uses', String(uses), '--hours', '1'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `sqlite://${bar.data}/e2e.db`, BARBACK_ADDR: `127.0.0.1:${bar.port}`, RUST_LOG: 'warn' },
  }).toString();
  const match = /Invite code: (\w+)/.exec(out);
  if (!match) throw new Error(`no invite code in: ${out}`);
  return match[1];
}

/** A real PNG photo (a colour gradient), made here so no binary fixture is needed. */
export const pngPhoto: (width?: number, height?: number) => Buffer = require('../png.cjs').pngPhoto;

/** Joins the party with a fresh invite as `name`; the guest lands on the menu. */
export async function joinAs(page: Page, name: string) {
  await page.goto(`/join/${inviteCode()}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page).toHaveURL(`${baseURL}/`);
}

/** What the host reads and types on the admin pages, per language. */
export const hostWords = {
  en: { username: 'Username', password: 'Password', signIn: 'Sign in', note: 'Note', createInvite: 'Create invite', print: 'Print' },
  es: { username: 'Usuario', password: 'Contraseña', signIn: 'Entrar', note: 'Nota', createInvite: 'Crear invitación', print: 'Imprimir' },
};

/** Signs the host in; the host lands on the board. */
export async function signIn(page: Page, lang: keyof typeof hostWords = 'en') {
  const words = hostWords[lang];
  await page.goto('/admin/login');
  await page.getByLabel(words.username).fill(host.username);
  await page.getByLabel(words.password).fill(host.password);
  await page.getByRole('button', { name: words.signIn, exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/board$/);
}

/** A guest on the menu opens `drink` and taps Order (the order form as it comes, no choices). */
export async function orderFromMenu(guest: Page, drink: string) {
  await guest.getByTestId('drink-card').filter({ has: guest.getByRole('heading', { name: drink, exact: true }) }).click();
  await guest.getByRole('button', { name: 'Order', exact: true }).click();
}

/** Holds the page's requests to `url` (a slow network) until `release()`; `held()` counts them. */
export async function holdRequests(page: Page, url: string) {
  let held = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(url, async (route) => {
    held += 1;
    await released;
    await route.continue();
  });
  return { held: () => held, release };
}

/** A guest's phone and the host's laptop, side by side; `close` closes both. */
export async function phoneAndLaptop(browser: Browser) {
  const { defaultBrowserType: _, ...pixel } = devices['Pixel 7'];
  // As in playwright.config.ts: no service worker between a test and the network.
  const guestContext = await browser.newContext({ ...pixel, baseURL, serviceWorkers: 'block' });
  const hostContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL, serviceWorkers: 'block' });
  const guest = await guestContext.newPage();
  const bar = await hostContext.newPage();
  const close = async () => {
    await guestContext.close();
    await hostContext.close();
  };
  return { guest, bar, close };
}

// A phone on party Wi-Fi: the page is on screen long before its code has arrived. `slowCode` holds
// every WebAssembly file back, so a test acts at once, as a guest would, before the app has started.
export const HOLD_MS = 3_000;

export async function slowCode(page: Page) {
  let held = 0;
  await page.route(/\.wasm$/, async (route) => {
    held += 1;
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    await route.continue();
  });
  return () => held;
}

/** Collects the page's uncaught errors and console errors (a panic in the app is both), for a test
 * to expect none at its end. */
export function crashesOf(page: Page): string[] {
  const crashes: string[] = [];
  page.on('pageerror', (error) => crashes.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') crashes.push(message.text());
  });
  return crashes;
}

/** Remembers the page's form nodes (the form, its fields and buttons) as they are now; the function
 * it returns lists those no longer in the page (replaced, not taken over or updated in place). */
export async function formNodesKept(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    (window as unknown as { __formNodes: Element[] }).__formNodes = [...document.querySelectorAll('main form, main input, main select, main button')];
  });
  return () =>
    page.evaluate(() =>
      (window as unknown as { __formNodes: Element[] }).__formNodes.filter((node) => !node.isConnected).map((node) => node.outerHTML.slice(0, 80)),
    );
}

/** Resolves once the app has started (the early-input script is told so). */
export async function appStarted(page: Page) {
  await page.waitForFunction(() => (window as unknown as { __barbackLive?: boolean }).__barbackLive === true, null, {
    timeout: HOLD_MS + 15_000,
  });
}

/** axe's serious and critical findings on the page as it is now, one line each, and headings out of
 * order (a moderate finding, but one the bar promises: a screen reader user jumps by heading). */
export async function seriousFindings(page: Page): Promise<string[]> {
  const { violations, passes } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  // The totals, for the record: rules passed, and findings by impact.
  const impacts = violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`).join(', ') || 'none';
  console.log(`axe ${new URL(page.url()).pathname}: ${passes.length} rules passed; findings: ${impacts}`);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'heading-order')
    .flatMap((v) => v.nodes.map((node) => `${v.id}: ${node.target.join(' ')} — ${node.failureSummary?.split('\n').slice(1).join(' ')}`));
}

/** Opens `path` and waits until it is whole (the app started, nothing loading) before a check. */
export async function settle(page: Page, path: string) {
  await page.goto(path);
  await appStarted(page);
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}


/** What a guest reads and types on the way through the pages, per language. */
export const guestWords = {
  en: { name: 'Your name', join: 'Join', order: 'Order', message: 'Message', send: 'Send', taste: 'Your taste', ask: 'something fresh with lime', nothing: 'no+such+drink' },
  es: { name: 'Tu nombre', join: 'Entrar', order: 'Pedir', message: 'Mensaje', send: 'Enviar', taste: 'Tus gustos', ask: 'algo fresco con lima', nothing: 'nada+de+nada' },
};

/** axe over every guest page, as a first-time visitor and then as a guest `name` with an order on
 * the way and a conversation with the bartender: the serious and critical findings, one line each.
 * Every page must be in `lang`. */
export async function guestPageFindings(page: Page, lang: keyof typeof guestWords, name: string): Promise<string[]> {
  const words = guestWords[lang];
  const findings: string[] = [];
  const check = async (path: string) => {
    await settle(page, path);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    findings.push(...(await seriousFindings(page)).map((line) => `${path} ${line}`));
  };
  await check('/');
  const drink = await page.getByTestId('drink-card').first().getAttribute('href');
  await check(`/?q=${words.nothing}`);
  await check(drink!);
  await check('/join/NOSUCHCODE');
  await check('/offline');
  await check('/admin/login');
  await check(`/join/${inviteCode()}`);
  await page.getByLabel(words.name).fill(name);
  await page.getByRole('button', { name: words.join, exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await check('/');
  await check(drink!);
  await page.getByRole('button', { name: words.order, exact: true }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await check('/orders');
  await check('/bartender');
  await page.getByLabel(words.message).fill(words.ask);
  await page.getByRole('button', { name: words.send }).click();
  await expect(page.getByTestId('chat-card').first()).toBeVisible({ timeout: 15_000 });
  await page.getByText(words.taste, { exact: true }).click();
  findings.push(...(await seriousFindings(page)).map((line) => `/bartender (chat) ${line}`));
  await check('/nowhere');
  return findings;
}

/** axe over every admin page, signed in as the host (an invite made on the way, marked `note`): the
 * serious and critical findings, one line each. Every page must be in `lang`. */
export async function adminPageFindings(page: Page, lang: keyof typeof hostWords, note: string): Promise<string[]> {
  const words = hostWords[lang];
  await signIn(page, lang);
  const findings: string[] = [];
  const check = async (path: string) => {
    await settle(page, path);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    findings.push(...(await seriousFindings(page)).map((line) => `${path} ${line}`));
  };
  for (const path of ['/admin/board', '/admin/stats', '/admin/shopping-list', '/admin/screen', '/admin/menu', '/admin/menu/drinks/new', '/admin/ingredients', '/admin/invites', '/admin/guests', '/admin/wishes', '/admin/api-keys']) {
    await check(path);
  }
  await check('/admin/menu');
  const editor = await page.locator('a[href^="/admin/menu/drinks/"]:not([href$="/new"])').first().getAttribute('href');
  await check(editor!);
  await check('/admin/invites');
  await page.getByLabel(words.note, { exact: true }).fill(note);
  await page.getByRole('button', { name: words.createInvite }).click();
  const print = page.getByTestId('invite').filter({ hasText: note }).getByRole('link', { name: words.print });
  await check((await print.getAttribute('href'))!);
  return findings;
}
