import { devices, expect } from '@playwright/test';
import { appStarted, baseURL, crashesOf, formNodesKept, HOLD_MS, holdRequests, inviteCode, joinAs, orderFromMenu, phoneAndLaptop, pngPhoto, secondBar, signIn, slowCode, test } from './helpers';

test('the host invites a guest and runs out of an ingredient while the guest watches the drink', async ({ browser }) => {
  const { defaultBrowserType: _, ...pixel } = devices['Pixel 7'];
  const hostContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL });
  const guestContext = await browser.newContext({ ...pixel, baseURL });
  const bar = await hostContext.newPage();
  const guest = await guestContext.newPage();

  // The host creates an invite from the admin app.
  await signIn(bar);
  await bar.getByRole('link', { name: 'Invites' }).click();
  await expect(bar).toHaveURL(/\/admin\/invites$/);
  await bar.getByLabel('Guests').fill('2');
  await bar.getByLabel('Note').fill('live stock test');
  await bar.getByRole('button', { name: 'Create invite' }).click();
  const card = bar.getByTestId('invite').filter({ hasText: 'live stock test' });
  await expect(card).toContainText('2 of 2 joins left');
  await expect(card.locator('svg')).toBeVisible();
  const code = (await card.getByTestId('invite-code').textContent())!.trim();

  // A new guest joins with it and opens a drink.
  await guest.goto(`/join/${code}`);
  await guest.getByLabel('Your name').fill('Stocky');
  await guest.getByRole('button', { name: 'Join' }).click();
  await expect(guest).toHaveURL(`${baseURL}/`);
  await guest.getByTestId('drink-card').filter({ has: guest.getByRole('heading', { name: 'Espresso Martini', exact: true }) }).click();
  await expect(guest.getByRole('button', { name: 'Order', exact: true })).toBeVisible();
  await guest.waitForLoadState('networkidle');
  await guest.evaluate(() => ((window as unknown as { stay: boolean }).stay = true));

  // The host runs out of coffee liqueur: the guest's open page turns unavailable by itself.
  await bar.getByRole('link', { name: 'Ingredients' }).click();
  const coffee = bar.getByRole('switch', { name: 'Coffee liqueur' });
  await expect(coffee).toHaveAttribute('aria-checked', 'true');
  await coffee.click();
  await expect(bar.getByRole('switch', { name: 'Coffee liqueur' })).toHaveAttribute('aria-checked', 'false');
  await expect(guest.getByText('Unavailable right now: the bar is out of Coffee liqueur.')).toBeVisible();
  await expect(guest.getByRole('button', { name: 'Order', exact: true })).toHaveCount(0);

  // Back on the shelf: the drink can be ordered again, still without a reload.
  await bar.getByRole('switch', { name: 'Coffee liqueur' }).click();
  await expect(bar.getByRole('switch', { name: 'Coffee liqueur' })).toHaveAttribute('aria-checked', 'true');
  await expect(guest.getByRole('button', { name: 'Order', exact: true })).toBeVisible();
  expect(await guest.evaluate(() => (window as unknown as { stay?: boolean }).stay)).toBe(true);

  // The guest shows up on the Guests page.
  await bar.getByRole('link', { name: 'Guests' }).click();
  await expect(bar.getByTestId('guest').filter({ hasText: 'Stocky' })).toBeVisible();

  await hostContext.close();
  await guestContext.close();
});

test('a guest typing an order note keeps it while the host changes the menu', async ({ browser }) => {
  const { guest, bar, close } = await phoneAndLaptop(browser);
  const crashes = crashesOf(guest);
  await joinAs(guest, 'Note Keeper');
  await guest.getByTestId('drink-card').filter({ has: guest.getByRole('heading', { name: 'Paloma', exact: true }) }).click();
  await appStarted(guest);
  await guest.waitForLoadState('networkidle');
  const note = guest.getByLabel('Note for the bartender (optional)');
  await note.click();
  await note.pressSequentially('half the salt');
  const replaced = await formNodesKept(guest);

  // A menu change the Paloma does not need: the guest's page refetches the drink, and redraws it in place.
  await signIn(bar);
  await bar.goto('/admin/ingredients');
  const orgeat = bar.getByRole('switch', { name: 'Orgeat' });
  const refetched = guest.waitForResponse((response) => response.url().includes('/menu/get_drink'));
  await orgeat.click();
  await expect(orgeat).toHaveAttribute('aria-checked', 'false');
  await refetched;
  const again = guest.waitForResponse((response) => response.url().includes('/menu/get_drink'));
  await orgeat.click();
  await expect(orgeat).toHaveAttribute('aria-checked', 'true');
  await again;
  await guest.waitForTimeout(100); // the redraw follows the answer by a tick

  expect(await replaced()).toEqual([]);
  await expect(note).toBeFocused();
  await expect(note).toHaveValue('half the salt');
  await guest.getByRole('button', { name: 'Order', exact: true }).click();
  await expect(guest).toHaveURL(/\/orders$/);
  await expect(guest.getByTestId('order').filter({ hasText: 'half the salt' })).toHaveCount(1);
  expect(crashes).toEqual([]);
  await close();
});

test('a menu change made before a guest\'s live stream opens still reaches the open menu', async ({ browser }) => {
  const { guest, bar, close } = await phoneAndLaptop(browser);
  // The guest's page is on screen and its app running, but its stream waits (a slow network).
  const stream = await holdRequests(guest, '**/events*');
  await guest.goto('/');
  await appStarted(guest);
  const mule = guest.getByTestId('drink-card').filter({ has: guest.getByRole('heading', { name: 'Moscow Mule', exact: true }) });
  await expect(mule).not.toContainText('Unavailable');

  // Meanwhile the host runs out of ginger beer; the guest's page has heard nothing of it.
  await signIn(bar);
  await bar.goto('/admin/ingredients');
  const ginger = bar.getByRole('switch', { name: 'Ginger beer' });
  await ginger.click();
  await expect(ginger).toHaveAttribute('aria-checked', 'false');
  await expect(mule).not.toContainText('Unavailable');

  // The stream opens: its greeting names a menu other than the page's, so the page refetches.
  const refetched = guest.waitForResponse((response) => response.url().includes('/menu/get_menu'));
  stream.release();
  await refetched;
  await expect(mule).toContainText('Unavailable');

  // Back on the shelf: told live, as any change is.
  await ginger.click();
  await expect(ginger).toHaveAttribute('aria-checked', 'true');
  await expect(mule).not.toContainText('Unavailable');
  await close();
});

test('the host adds a drink and it appears on a guest\'s open menu without a reload', async ({ browser }) => {
  const { guest, bar, close } = await phoneAndLaptop(browser);
  await joinAs(guest, 'Menu Watcher');
  await guest.waitForLoadState('networkidle');
  await guest.evaluate(() => ((window as unknown as { stay: boolean }).stay = true));
  const newCard = guest.getByTestId('drink-card').filter({ has: guest.getByRole('heading', { name: 'Garden Spritz', exact: true }) });
  await expect(newCard).toHaveCount(0);

  await signIn(bar);
  await bar.goto('/admin/menu');
  await bar.getByRole('link', { name: 'New drink' }).click();
  await expect(bar.getByRole('heading', { name: 'New drink' })).toBeVisible();
  await bar.getByLabel('Name').fill('Garden Spritz');
  await bar.getByLabel('Section').selectOption({ label: 'Tall & Tropical' });
  await bar.getByLabel('Description').fill('Elderflower and soda over ice, with a sprig of mint.');
  await bar.getByLabel('ABV (%)').fill('0');
  await bar.getByLabel('Glass').selectOption('wine');
  await bar.getByLabel('Ingredient 1').fill('Elderflower cordial');
  await bar.getByLabel('Amount 1').fill('30');
  await bar.getByLabel('Unit 1').fill('ml');
  await bar.getByLabel('Ingredient 2').fill('Soda water');
  await bar.getByLabel('Amount 2').fill('120');
  await bar.getByLabel('Unit 2').fill('ml');
  await bar.getByLabel('Method (one step per line)').fill('Fill a glass with ice.\nAdd cordial, top with soda.');
  await bar.getByRole('button', { name: 'Save drink' }).click();
  await expect(bar).toHaveURL(/\/admin\/menu$/);
  await expect(bar.getByTestId('admin-drink').filter({ hasText: 'Garden Spritz' })).toBeVisible();

  await expect(newCard).toBeVisible();
  await expect(newCard).toContainText('Alcohol-free');

  // The host adds a photo: it uploads with a progress bar and replaces the illustration everywhere.
  await bar.getByTestId('admin-drink').filter({ hasText: 'Garden Spritz' }).getByRole('link').click();
  await bar.getByLabel('Photo (JPEG, PNG or WebP, up to 10 MB)').setInputFiles({ name: 'spritz.png', mimeType: 'image/png', buffer: pngPhoto() });
  await expect(bar.getByTestId('photo-preview')).toHaveAttribute('src', /\/images\/.+-640\.webp$/);
  await expect(newCard.locator('img')).toHaveAttribute('src', /\/images\/.+-640\.webp$/);
  await expect(newCard.locator('img')).toHaveAttribute('srcset', /-320\.webp 320w/);
  expect(await guest.evaluate(() => (window as unknown as { stay?: boolean }).stay)).toBe(true);

  // A file that is not a photo is refused with a clear message.
  await bar.getByLabel('Photo (JPEG, PNG or WebP, up to 10 MB)').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just text') });
  await expect(bar.getByRole('alert')).toContainText('not a JPEG, PNG or WebP');

  // A bad drink is refused with a message and not saved.
  await bar.goto('/admin/menu/drinks/new');
  await bar.getByLabel('Name').fill('Garden Spritz');
  await bar.getByLabel('Ingredient 1').fill('Soda water');
  await bar.getByLabel('Amount 1').fill('-3');
  await bar.getByRole('button', { name: 'Save drink' }).click();
  await expect(bar.getByRole('alert')).toContainText(/already a drink called Garden Spritz|must be more than 0/);

  await close();
});

test('a guest asks the bartender for a drink the bar does not have and the host sees the wish', async ({ browser }) => {
  const { guest, bar, close } = await phoneAndLaptop(browser);
  await joinAs(guest, 'Wishful');
  await guest.goto('/bartender');
  await guest.waitForLoadState('networkidle');
  await guest.getByLabel('Message').fill('Do you have an Aviation?');
  await guest.getByLabel('Message').press('Enter');
  await expect(guest.getByTestId('chat-bartender').last()).toContainText("Aviation is not on tonight's menu");

  await signIn(bar);
  await bar.getByRole('link', { name: 'Wishes' }).click();
  await expect(bar).toHaveURL(/\/admin\/wishes$/);
  await expect(async () => {
    await bar.reload();
    await expect(bar.getByTestId('wish').filter({ hasText: 'Aviation' })).toContainText('Wishful', { timeout: 1000 });
  }).toPass();
  await close();
});

test('the host creates an API key, an integration reads the menu with it, and revoking it shuts it out', async ({ browser, request }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const bar = await context.newPage();
  await signIn(bar);
  await bar.getByRole('link', { name: 'API keys' }).click();
  await expect(bar).toHaveURL(/\/admin\/api-keys$/);
  await expect(bar.getByTestId('key-mode')).toContainText('Calls without a key are served');
  await bar.getByLabel('Name').fill('Menu screen');
  await bar.getByLabel('Calls per day').fill('2');
  await bar.getByRole('button', { name: 'Create key' }).click();

  // Shown once, with a working Copy button.
  const shown = bar.getByTestId('new-key');
  await expect(shown).toContainText('Copy it now');
  const key = await shown.getByLabel('New API key').inputValue();
  expect(key).toMatch(/^bbk_[A-Za-z0-9_-]{32}$/);
  await shown.getByRole('button', { name: 'Copy' }).click();
  await expect(shown.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await bar.evaluate(() => navigator.clipboard.readText())).toBe(key);
  const row = bar.getByTestId('api-key').filter({ hasText: 'Menu screen' });
  await expect(row).toContainText('0 of 2 calls today');
  await expect(row).toContainText(key.slice(0, 10));

  // The integration's calls count against the quota, and the third is refused.
  const first = await request.get('/api/v1/drinks?alcohol_free=true', { headers: { 'x-api-key': key } });
  expect(first.status()).toBe(200);
  expect(first.headers()['x-ratelimit-remaining']).toBe('1');
  expect(((await first.json()).drinks as unknown[]).length).toBeGreaterThan(0);
  expect((await request.get('/api/v1/sections', { headers: { 'x-api-key': key } })).status()).toBe(200);
  const over = await request.get('/api/v1/sections', { headers: { 'x-api-key': key } });
  expect(over.status()).toBe(429);
  expect(await over.json()).toEqual({ message: 'Limit Exceeded' });
  await bar.reload();
  await expect(row).toContainText('2 of 2 calls today');

  // Revoked: the key is refused at once.
  bar.once('dialog', (dialog) => dialog.accept());
  await row.getByRole('button', { name: 'Revoke Menu screen' }).click();
  await expect(row).toContainText('Revoked');
  const revoked = await request.get('/api/v1/sections', { headers: { 'x-api-key': key } });
  expect(revoked.status()).toBe(401);
  // The API's description is public and names the key header.
  const doc = await (await request.get('/api/v1/openapi.json')).json();
  expect(doc.components.securitySchemes.api_key.name).toBe('x-api-key');
  await context.close();
});

test('a drink that moves on while the guest\'s order list is still loading shows where it is now', async ({ browser }) => {
  const { guest, bar, close } = await phoneAndLaptop(browser);
  const name = `Vera ${Date.now() % 100000}`;
  await joinAs(guest, name);
  await orderFromMenu(guest, 'Paloma');
  await expect(guest).toHaveURL(/\/orders$/);
  await expect(guest.getByTestId('order-status')).toHaveText('Queued');
  await guest.getByRole('link', { name: 'Menu', exact: true }).click();
  await expect(guest).toHaveURL(`${baseURL}/`);

  // Back to My orders on a slow network: the list's fetch is held while the host makes the drink.
  const list = await holdRequests(guest, '**/api/orders/my_orders');
  await guest.getByRole('link', { name: 'My orders' }).click();
  await expect(guest).toHaveURL(/\/orders$/);
  await expect.poll(list.held).toBe(1);
  await signIn(bar);
  const card = bar.getByTestId('board-card').filter({ hasText: name });
  await card.getByRole('button', { name: 'Start' }).click();
  await card.getByRole('button', { name: 'Ready' }).click();
  // The stream told the page (the alert is its witness) while the list was still on its way.
  await expect(guest.getByTestId('ready-alert')).toContainText('Paloma');

  list.release();
  await expect(guest.getByTestId('order-status')).toHaveText('Ready');
  await expect(guest.getByTestId('order')).toContainText('Ready! Pick it up at the bar.');
  await close();
});

test('the host moves the pickup place and the guest and the screen read the new one at once', async ({ browser }) => {
  const { guest, bar, close } = await phoneAndLaptop(browser);
  const name = `Ugo ${Date.now() % 100000}`;
  await joinAs(guest, name);
  await orderFromMenu(guest, 'Paloma');
  await expect(guest).toHaveURL(/\/orders$/);
  await signIn(bar);
  const card = bar.getByTestId('board-card').filter({ hasText: name });
  await card.getByRole('button', { name: 'Start' }).click();
  await card.getByRole('button', { name: 'Ready' }).click();
  await expect(guest.getByTestId('order')).toContainText('Ready! Pick it up at the bar.');

  // The host's own session opens the pickup screen too.
  const screen = await bar.context().newPage();
  await screen.goto('/screen');
  await expect(screen.getByTestId('pickup-call').filter({ hasText: name })).toContainText('Paloma');
  await expect(screen.getByTestId('pickup-place')).toHaveText('Pick it up at the bar.');

  const place = async (text: string) => {
    await bar.goto('/admin/screen');
    await bar.getByLabel('Pick it up …').fill(text);
    await bar.getByRole('button', { name: 'Save' }).click();
  };
  await place('by the kitchen window.');
  await expect(bar.getByRole('status').filter({ hasText: 'Saved.' })).toContainText('Pick it up by the kitchen window.');
  await expect(guest.getByTestId('order')).toContainText('Ready! Pick it up by the kitchen window.');
  await expect(guest.getByTestId('ready-alert')).toContainText('Pick it up by the kitchen window.');
  await expect(screen.getByTestId('pickup-place')).toHaveText('Pick it up by the kitchen window.');

  await place('at the bar');
  await expect(screen.getByTestId('pickup-place')).toHaveText('Pick it up at the bar.');
  await close();
});

// On the second bar, one after the other: a paused or closed bar would refuse the other journeys'
// orders on the first.
test.describe.serial('the second bar', () => {
  test('the host pauses orders, a guest is told why before and after tapping Order, and resuming lets the order through', async ({ browser }) => {
    const { defaultBrowserType: _, ...pixel } = devices['Pixel 7'];
    const hostContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: secondBar.baseURL, serviceWorkers: 'block' });
    const phoneContext = await browser.newContext({ ...pixel, baseURL: secondBar.baseURL, serviceWorkers: 'block' });
    const bar = await hostContext.newPage();
    const guest = await phoneContext.newPage();
    const name = `Pia ${Date.now() % 100000}`;

    await guest.goto(`/join/${inviteCode(2, secondBar)}`);
    await guest.getByLabel('Your name').fill(name);
    await guest.getByRole('button', { name: 'Join' }).click();
    await expect(guest).toHaveURL(`${secondBar.baseURL}/`);
    await guest.getByTestId('drink-card').filter({ has: guest.getByRole('heading', { name: 'Paloma', exact: true }) }).click();
    const order = guest.getByRole('button', { name: 'Order', exact: true });
    await expect(order).toBeEnabled();
    const drinkPage = guest.url();
    await appStarted(guest);

    await signIn(bar);
    await bar.getByLabel('Message for guests (optional)').fill('Ice run, back in 5');
    await bar.getByRole('button', { name: 'Pause orders' }).click();
    await expect(bar.getByTestId('paused')).toHaveText('Orders are paused: Ice run, back in 5');

    // The open drink page says so at once, and its Order button cannot be used.
    await expect(guest.getByTestId('bar-notice')).toHaveText('Orders are paused: Ice run, back in 5');
    await expect(guest.getByTestId('order-refusal')).toHaveText('Orders are paused: Ice run, back in 5');
    await expect(order).toBeDisabled();

    // A slow phone taps Order before its code has started: the server refuses, in the same words.
    const slow = await phoneContext.newPage();
    await slowCode(slow);
    await slow.goto(drinkPage, { waitUntil: 'commit' });
    await slow.getByRole('button', { name: 'Order', exact: true }).click();
    await expect(slow.getByText('Orders are paused: Ice run, back in 5').first()).toBeVisible({ timeout: HOLD_MS + 10_000 });
    await slow.close();
    await guest.goto('/orders');
    await expect(guest.getByText('No orders yet.')).toBeVisible();

    // Resumed: the notice goes and the order goes through.
    await bar.getByRole('button', { name: 'Resume orders' }).click();
    await expect(bar.getByRole('button', { name: 'Pause orders' })).toBeVisible();
    await guest.goto(drinkPage);
    await expect(guest.getByTestId('bar-notice')).toHaveCount(0);
    await guest.getByRole('button', { name: 'Order', exact: true }).click();
    await expect(guest).toHaveURL(/\/orders$/);
    await expect(guest.getByTestId('order')).toContainText('Paloma');
    await expect(bar.getByTestId('board-card').filter({ hasText: name })).toContainText('Paloma');

    // Last call: guests see the minutes left; calling it off clears it.
    await bar.getByLabel('Orders close in').selectOption('15');
    await bar.getByRole('button', { name: 'Last call' }).click();
    await expect(bar.getByTestId('last-call')).toHaveText('Last call: orders close in 15 minutes.');
    await expect(guest.getByTestId('bar-notice')).toHaveText('Last call: orders close in 15 minutes.');
    await bar.getByRole('button', { name: 'Call off last call' }).click();
    await expect(guest.getByTestId('bar-notice')).toHaveCount(0);
    await hostContext.close();
    await phoneContext.close();
  });

  test('after a few orders the host reads the night on /admin/stats, prints the shopping list, and closes the party', async ({ browser }) => {
    const { defaultBrowserType: _, ...pixel } = devices['Pixel 7'];
    const hostContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: secondBar.baseURL, serviceWorkers: 'block' });
    const phoneContext = await browser.newContext({ ...pixel, baseURL: secondBar.baseURL, serviceWorkers: 'block' });
    const bar = await hostContext.newPage();
    const guest = await phoneContext.newPage();
    await guest.goto(`/join/${inviteCode(1, secondBar)}`);
    await guest.getByLabel('Your name').fill(`Stat ${Date.now() % 100000}`);
    await guest.getByRole('button', { name: 'Join' }).click();
    await expect(guest).toHaveURL(`${secondBar.baseURL}/`);
    await guest.getByTestId('drink-card').filter({ has: guest.getByRole('heading', { name: 'Negroni', exact: true }) }).click();
    await guest.getByLabel('Quantity').selectOption('3');
    await guest.getByRole('button', { name: 'Order', exact: true }).click();
    await expect(guest).toHaveURL(/\/orders$/);

    await signIn(bar);
    await bar.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Stats' }).click();
    await expect(bar).toHaveURL(/\/admin\/stats$/);
    await expect(bar.getByRole('heading', { level: 1, name: 'Tonight' })).toBeVisible();
    const orders = bar.getByTestId('chart-orders').getByRole('img');
    const drinks = bar.getByTestId('chart-drinks').getByRole('img');
    await expect(orders).toHaveAttribute('aria-label', /^Orders per 15 minutes: \d\d:\d\d \d/);
    await expect(drinks).toHaveAttribute('aria-label', /^Most ordered drinks: Negroni 3/);
    await expect(bar.getByTestId('chart-guests').getByRole('img')).toHaveAttribute('aria-label', /^Drinks per guest: Stat \d+ 3/);
    await expect(bar.getByTestId('chart-drinks').getByText('Negroni').first()).toBeVisible();
    await expect(bar.getByTestId('used').filter({ hasText: 'Campari' })).toContainText('90 ml');

    // Who answers guests: offline, the house recommender is the one choice; no model has used tokens.
    const panel = bar.getByTestId('bartender-panel');
    await expect(panel.getByRole('heading', { level: 2, name: 'Bartender' })).toBeVisible();
    await expect(panel.getByLabel('Who answers guests')).toHaveValue('house');
    await expect(panel).toContainText('Only the house recommender is set up');
    await expect(panel.getByTestId('token-use')).toHaveText('No model has been asked anything yet.');
    await panel.getByRole('button', { name: 'Switch' }).click();
    await expect(panel.getByRole('status')).toHaveText('From the next message, House recommender (rules, no AI model) answers guests.');

    // Live while open: another order shows up without a reload.
    await guest.goto('/');
    await orderFromMenu(guest, 'Mojito');
    await expect(guest).toHaveURL(/\/orders$/);
    await expect(drinks).toHaveAttribute('aria-label', /Mojito 1/);

    // The shopping list: a CSV and a page to print.
    await expect(bar.getByRole('link', { name: 'Download CSV' })).toHaveAttribute('href', '/admin/shopping-list.csv');
    await bar.getByRole('link', { name: 'Printable list' }).click();
    await expect(bar.getByRole('heading', { level: 1, name: 'Shopping list' })).toBeVisible();
    await expect(bar.getByTestId('used').filter({ hasText: 'White rum' })).toContainText('45 ml');
    await expect(bar.getByRole('button', { name: 'Print' })).toBeVisible();

    // Close the party: the guest is signed out, the board starts empty, the night stays in the stats.
    await bar.goto('/admin/board');
    bar.once('dialog', (dialog) => dialog.accept());
    await bar.getByRole('button', { name: 'Close the party' }).click();
    await expect(bar.getByRole('status').filter({ hasText: 'The party is closed' })).toBeVisible();
    await expect(bar.getByTestId('board-card')).toHaveCount(0);
    await guest.goto('/orders');
    await expect(guest.getByText('Join the party', { exact: false }).first()).toBeVisible();
    await bar.goto('/admin/stats');
    await expect(bar.getByLabel('Night', { exact: true })).toContainText('Closed ');
    await hostContext.close();
    await phoneContext.close();
  });
});

for (const width of [1024, 1280]) {
  test(`the board fills a ${width} px tablet, with big buttons and Remove guest out of the way`, async ({ browser }) => {
    const { guest, bar, close } = await phoneAndLaptop(browser);
    await bar.setViewportSize({ width, height: 800 });
    const name = `Tab ${width} ${Date.now() % 100000}`;
    await joinAs(guest, name);
    await orderFromMenu(guest, 'Mojito');
    await expect(guest).toHaveURL(/\/orders$/);

    await signIn(bar);
    await expect(bar.getByRole('heading', { level: 1, name: 'Board' })).toBeVisible();
    await expect(bar.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Board' })).toHaveAttribute('aria-current', 'page');
    // Admin pages carry the admin navigation only.
    await expect(bar.getByRole('link', { name: 'My orders' })).toHaveCount(0);
    const columns = bar.locator('[data-testid^="column-"]');
    await expect(columns).toHaveCount(3);
    const first = (await columns.nth(0).boundingBox())!;
    const last = (await columns.nth(2).boundingBox())!;
    expect(last.x + last.width - first.x).toBeGreaterThan(width * 0.85);

    const card = bar.getByTestId('board-card').filter({ hasText: name });
    await expect(card.getByTestId('age')).toHaveText('just now');
    const start = card.getByRole('button', { name: 'Start' });
    expect((await start.boundingBox())!.height).toBeGreaterThanOrEqual(48);
    await expect(card.getByRole('button', { name: 'Remove guest' })).toBeHidden();
    await card.getByLabel(`More for ${name}`).click();
    await expect(card.getByRole('button', { name: 'Remove guest' })).toBeVisible();
    await start.click();
    const making = bar.getByTestId('column-making').getByTestId('board-card').filter({ hasText: name });
    await making.getByRole('button', { name: 'Ready' }).click();
    const ready = bar.getByTestId('column-ready').getByTestId('board-card').filter({ hasText: name });
    await ready.getByRole('button', { name: 'Collected' }).click();
    await expect(ready).toHaveCount(0);

    // Collected by mistake: Recall from the history puts it back among the ready drinks.
    await bar.getByTestId('history-order').filter({ hasText: name }).getByRole('button', { name: 'Recall' }).click();
    await expect(ready).toBeVisible();
    await close();
  });
}

test('the host offers ice choices with a drink, a guest on a slow phone picks one, and the board shows it', async ({ browser }) => {
  const { guest, bar, close } = await phoneAndLaptop(browser);
  const name = `Ice ${Date.now() % 100000}`;
  await joinAs(guest, name);
  await guest.getByTestId('drink-card').filter({ has: guest.getByRole('heading', { name: 'Daiquiri', exact: true }) }).click();
  await expect(guest).toHaveURL(/\/drinks\/[^/]+$/);
  const drinkPage = guest.url();
  const id = drinkPage.split('/drinks/')[1];

  await signIn(bar);
  await bar.goto(`/admin/menu/drinks/${id}`);
  await bar.getByLabel('Options guests choose from (one per line, the usual choice first)').fill('Ice: cubed, none, crushed');
  await bar.getByRole('button', { name: 'Save drink' }).click();
  await expect(bar).toHaveURL(/\/admin\/menu$/);

  // The guest's phone has not started its code yet: the plain form sends the choice.
  await slowCode(guest);
  await guest.goto(drinkPage, { waitUntil: 'commit' });
  await guest.getByLabel('Ice', { exact: true }).selectOption('none');
  await guest.getByRole('button', { name: 'Order', exact: true }).click();
  await expect(guest).toHaveURL(/\/orders$/);
  await expect(guest.getByTestId('order').first()).toContainText('Ice: none');

  await bar.goto('/admin/board');
  const card = bar.getByTestId('board-card').filter({ hasText: name });
  await expect(card.getByTestId('choice')).toHaveText('Ice: none');
  await expect(card.getByTestId('choice')).toHaveClass(/bg-amber-200/);
  await close();
});
