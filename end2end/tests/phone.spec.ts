import { expect, type Page } from '@playwright/test';
import { appStarted, crashesOf, formNodesKept, inviteCode, joinAs, slowCode, test } from './helpers';

// These tests hold every WebAssembly file back (`slowCode`) and act at once, as a guest would.

test('a message typed and sent before the app has started reaches the bartender', async ({ page }) => {
  await joinAs(page, `Early ${test.info().repeatEachIndex}`);
  const held = await slowCode(page);
  await page.goto('/bartender', { waitUntil: 'commit' });
  const message = page.getByLabel('Message');
  await message.fill("No alcohol, I'm driving");
  await message.press('Enter');
  expect(await page.evaluate(() => (window as unknown as { __barbackLive?: boolean }).__barbackLive)).not.toBe(true);
  await appStarted(page);
  expect(held()).toBeGreaterThan(0);
  await expect(page.getByTestId('chat-guest')).toHaveText("No alcohol, I'm driving");
  await expect(page.getByTestId('chat-card').first()).toContainText('Alcohol-free');
  await expect(message).toHaveValue('');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('words typed before the app has started stay in the box, and the chat sends them on Send', async ({ page }) => {
  await joinAs(page, `Typist ${test.info().repeatEachIndex}`);
  await slowCode(page);
  await page.goto('/bartender', { waitUntil: 'commit' });
  const message = page.getByLabel('Message');
  await message.fill('Something smoky, not too sweet');
  await appStarted(page);
  await expect(message).toHaveValue('Something smoky, not too sweet');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('chat-guest')).toHaveText('Something smoky, not too sweet');
  await expect(page.getByTestId('chat-card').first()).toBeVisible();
});

test('a search typed before the app has started filters the menu once it has', async ({ page }) => {
  await slowCode(page);
  await page.goto('/', { waitUntil: 'commit' });
  const search = page.getByRole('searchbox', { name: 'Search drinks or ingredients' });
  await search.fill('ginger');
  await appStarted(page);
  await expect(page).toHaveURL(/[?&]q=ginger/);
  await expect(search).toHaveValue('ginger');
  await expect(page.getByTestId('drink-card').filter({ hasText: 'Moscow Mule' })).toBeVisible();
  await expect(page.getByTestId('drink-card').filter({ hasText: 'Negroni' })).toHaveCount(0);
});

test('the order form the server sent stays when the app starts: what is typed keeps its focus', async ({ page }) => {
  const crashes = crashesOf(page);
  await joinAs(page, `Steady ${test.info().repeatEachIndex}`);
  const drink = await page.getByTestId('drink-card').first().getAttribute('href');
  await slowCode(page);
  await page.goto(drink!, { waitUntil: 'commit' });
  const note = page.getByLabel('Note for the bartender (optional)');
  await note.click();
  await note.pressSequentially('no ice');
  // Every node of the form as the server sent it: the app must take them over, not replace them.
  const replaced = await formNodesKept(page);
  await appStarted(page);
  expect(await replaced()).toEqual([]);
  await expect(note).toBeFocused();
  await expect(note).toHaveValue('no ice');
  // The page keeps working once the live stream opens and who is looking is asked again: the order goes.
  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'Order', exact: true }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByTestId('order').filter({ hasText: 'no ice' })).toHaveCount(1);
  expect(crashes).toEqual([]);
});

test('joining and ordering before the app has started go through, once each', async ({ page }) => {
  await slowCode(page);
  await page.goto(`/join/${inviteCode()}`, { waitUntil: 'commit' });
  await page.getByLabel('Your name').fill(`Quick ${test.info().repeatEachIndex}`);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page).toHaveURL(/\/$/);

  await page.getByTestId('drink-card').filter({ has: page.getByRole('heading', { name: 'Paloma', exact: true }) }).click();
  await page.getByLabel('Note for the bartender (optional)').fill('extra salt');
  await page.getByRole('button', { name: 'Order', exact: true }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByTestId('order')).toHaveCount(1);
  await expect(page.getByTestId('order')).toContainText('Paloma');
  await expect(page.getByTestId('order')).toContainText('extra salt');
});

test('a first-time visitor sees no console errors on any guest page', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  await page.goto('/');
  await appStarted(page);
  const drink = page.getByTestId('drink-card').first();
  const href = await drink.getAttribute('href');
  for (const path of ['/', href!, '/orders', '/bartender', `/join/${inviteCode()}`]) {
    await page.goto(path);
    await appStarted(page);
    await page.waitForLoadState('networkidle');
  }
  // Client-side navigation too: the menu, then a drink page loaded on demand.
  await page.goto('/');
  await appStarted(page);
  await page.getByTestId('drink-card').first().click();
  await expect(page.getByRole('button', { name: 'Order', exact: true }).or(page.getByText('Join the party to order'))).toBeVisible();
  expect(errors).toEqual([]);
});

test('a page whose code is older than the server offers a reload', async ({ page }) => {
  // The live stream greets with the server's build; here it names another one, as after an
  // update while the tab stayed open.
  await page.route('**/events', (route) =>
    route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
      body: 'event: hello\ndata: {"build":"a-newer-build"}\n\n',
    }),
  );
  await page.goto('/');
  const banner = page.getByRole('alert').filter({ hasText: 'A new version of the bar is ready' });
  await expect(banner).toBeVisible({ timeout: 15_000 });
  await page.unroute('**/events');
  const reloaded = page.waitForEvent('load');
  await banner.getByRole('button', { name: 'Reload' }).click();
  await reloaded;
  await appStarted(page);
  await expect(page.getByRole('alert').filter({ hasText: 'A new version' })).toHaveCount(0);
});

test('the code comes precompressed and is cached for a year; pages revalidate', async ({ page }) => {
  const bundles: string[] = [];
  page.on('response', (response) => {
    if (/\/pkg\/.+\.(js|wasm)$/.test(response.url())) bundles.push(response.url());
  });
  const response = await page.goto('/');
  expect(response!.headers()['etag']).toMatch(/^W\//);
  await appStarted(page);
  expect(bundles.length).toBeGreaterThan(1);
  for (const url of bundles) {
    const answer = await page.request.get(url, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(answer.status(), url).toBe(200);
    expect(answer.headers()['cache-control'], url).toBe('public, max-age=31536000, immutable');
    expect(answer.headers()['content-encoding'], url).toBe('br');
    expect(url).toMatch(/\.[A-Za-z0-9_-]{22}\.(js|wasm)$/);
  }
});

const firstDrink = async (page: Page) => {
  const { drinks } = await (await page.request.get('/api/v1/drinks')).json();
  return `/drinks/${drinks[0].id}`;
};

for (const { name, path, fetch, shown } of [
  { name: 'the menu', path: async () => '/', fetch: '/menu/get_menu', shown: (page: Page) => page.getByTestId('drink-card') },
  { name: 'a drink', path: firstDrink, fetch: '/menu/get_drink', shown: (page: Page) => page.getByRole('heading', { level: 1 }) },
]) {
  test(`opening ${name} downloads it once: its live stream finds the same menu and nothing is fetched again`, async ({ page }) => {
    const url = await path(page);
    const fetches: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes(fetch)) fetches.push(request.url());
    });
    const streamOpened = page.waitForResponse((response) => new URL(response.url()).pathname === '/events');
    await page.goto(url);
    await appStarted(page);
    expect((await streamOpened).status()).toBe(200);
    // The greeting is handled as soon as it arrives; a refetch would follow it at once.
    await page.waitForTimeout(1_000);
    expect(fetches).toEqual([]);
    await expect(shown(page).first()).toBeVisible();
  });
}
