import { devices, expect } from '@playwright/test';
import { appStarted, baseURL, joinAs, test } from './helpers';

// The installable app. Every other test blocks service workers (playwright.config.ts), so that
// route interception sees every request; this one lets the worker in, as a guest's phone would.
test('the app installs: a valid manifest, a service worker in control, and the menu offline', async ({ browser }) => {
  const { defaultBrowserType: _, ...pixel } = devices['Pixel 7'];
  const context = await browser.newContext({ ...pixel, baseURL, serviceWorkers: 'allow' });
  const page = await context.newPage();

  // The manifest, named by every page, with what an install needs.
  for (const path of ['/', '/bartender', '/orders', '/admin/login']) {
    await page.goto(path);
    await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  }
  const response = await page.request.get('/manifest.webmanifest');
  expect(response.headers()['content-type']).toContain('application/manifest+json');
  const manifest = await response.json();
  expect(manifest).toMatchObject({ name: 'Barback', short_name: 'Barback', display: 'standalone', start_url: '/', scope: '/' });
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/);
  expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/);
  for (const [size, purpose] of [
    [192, 'any'],
    [512, 'any'],
    [512, 'maskable'],
  ] as const) {
    const icon = manifest.icons.find((i: { sizes: string; purpose: string }) => i.sizes === `${size}x${size}` && i.purpose === purpose);
    expect(icon, `${size} ${purpose}`).toBeTruthy();
    const png = await (await page.request.get(icon.src)).body();
    // The PNG header says how large the picture really is.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
  }

  // The worker takes control of the page.
  await joinAs(page, `Offline ${Date.now() % 100000}`);
  await appStarted(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '')).toContain('/sw.js');
  await page.getByTestId('drink-card').filter({ has: page.getByRole('heading', { name: 'Paloma', exact: true }) }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Paloma' })).toBeVisible();
  const drinkPage = page.url();
  await page.goto(drinkPage);
  await appStarted(page);

  // The network goes: the menu still shows, and says the phone is offline.
  await context.setOffline(true);
  await page.goto('/');
  await expect(page.getByTestId('drink-card').first()).toBeVisible();
  await appStarted(page);
  await expect(page.getByTestId('connection-notice')).toContainText("You're offline");
  // A drink seen before still shows; ordering says it needs the bar instead of failing silently.
  await page.goto(drinkPage);
  await appStarted(page);
  await page.getByRole('button', { name: 'Order', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Could not reach the bar; check your connection');
  // A page it has not kept says plainly that it needs the network.
  await page.goto('/orders');
  await expect(page).toHaveURL(/\/offline$/);
  await expect(page.getByRole('heading', { name: "You're offline" })).toBeVisible();

  // Back online, pages come from the bar again.
  await context.setOffline(false);
  await page.goto('/orders');
  await expect(page.getByRole('heading', { name: 'My orders' })).toBeVisible();
  await context.close();
});
