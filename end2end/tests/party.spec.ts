import { expect, type Page } from '@playwright/test';
import { appStarted, baseURL, host, inviteCode, joinAs, phoneAndLaptop, secondBar, slowCode, test } from './helpers';

async function signIn(page: Page, password = host.password) {
  await page.goto('/admin/login');
  await page.getByLabel('Username').fill(host.username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a guest joins, orders, and watches the host make the drink, live', async ({ browser }) => {
  const { guest, bar, close } = await phoneAndLaptop(browser);
  await joinAs(guest, 'Ana');

  const mojito = guest.getByTestId('drink-card').filter({ has: guest.getByRole('heading', { name: 'Mojito', exact: true }) });
  await mojito.click();
  await expect(guest.getByRole('heading', { level: 1, name: 'Mojito' })).toBeVisible();
  await guest.getByLabel('Note for the bartender (optional)').fill('extra mint');
  await guest.getByRole('button', { name: 'Order', exact: true }).click();
  await expect(guest).toHaveURL(/\/orders$/);
  const status = guest.getByTestId('order-status');
  await expect(status).toHaveText('Queued');
  await expect(guest.getByTestId('order')).toContainText(/#\d+ in the queue/);
  // From here on the guest's page must update without reloading: a reload would drop this flag.
  await guest.waitForLoadState('networkidle');
  await guest.evaluate(() => ((window as unknown as { stay: boolean }).stay = true));

  await signIn(bar);
  await expect(bar).toHaveURL(/\/admin\/board$/);
  const card = bar.getByTestId('board-card').filter({ hasText: 'Ana' });
  await expect(card).toContainText('extra mint');
  await expect(card).toContainText('White rum');
  await expect(bar.getByTestId('column-queued')).toContainText('Mojito');
  await card.getByRole('button', { name: 'Start' }).click();
  await expect(bar.getByTestId('column-making')).toContainText('Ana');
  await expect(status).toHaveText('Making');

  await bar.getByTestId('board-card').filter({ hasText: 'Ana' }).getByRole('button', { name: 'Ready' }).click();
  await expect(status).toHaveText('Ready');
  await expect(guest.getByText('Ready! Pick it up at the bar.')).toBeVisible();
  expect(await guest.evaluate(() => (window as unknown as { stay?: boolean }).stay)).toBe(true);

  await bar.getByTestId('board-card').filter({ hasText: 'Ana' }).getByRole('button', { name: 'Collected' }).click();
  await expect(bar.getByRole('region', { name: 'History' })).toContainText('Mojito for Ana');
  await expect(status).toHaveText('Collected');

  await close();
});

async function orderDrink(guest: Page, drink: string) {
  await guest.goto('/');
  await guest.getByTestId('drink-card').filter({ has: guest.getByRole('heading', { name: drink, exact: true }) }).click();
  await expect(guest.getByRole('heading', { level: 1, name: drink })).toBeVisible();
  await guest.getByRole('button', { name: 'Order', exact: true }).click();
  await expect(guest).toHaveURL(/\/orders$/);
}

async function moveOn(bar: Page, guestName: string, steps: string[]) {
  for (const step of steps) {
    await bar.getByTestId('board-card').filter({ hasText: guestName }).getByRole('button', { name: step }).click();
  }
}

test('a ready drink finds the guest on every page until it is collected or dismissed', async ({ browser }) => {
  // Two orders through the board and four page loads: more than the default budget on a busy machine.
  test.setTimeout(60_000);
  const { guest, bar, close } = await phoneAndLaptop(browser);
  const name = `Rita ${Date.now() % 100000}`;
  await joinAs(guest, name);
  await orderDrink(guest, 'Negroni');
  // The guest goes back to the menu; the host makes the drink.
  await guest.getByRole('link', { name: 'Menu', exact: true }).click();
  await expect(guest).toHaveURL(`${baseURL}/`);
  await signIn(bar);
  await moveOn(bar, name, ['Start', 'Ready']);
  const alert = guest.getByTestId('ready-alert');
  await expect(alert).toHaveText(/Your Negroni is ready\s+Pick it up at the bar\./);

  // Missed on the menu, it is there on the next page, and after a reload.
  await guest.getByRole('link', { name: 'Bartender', exact: true }).click();
  await expect(guest).toHaveURL(/\/bartender$/);
  await guest.reload();
  await expect(alert).toContainText('Your Negroni is ready');
  // Collected: it goes, live.
  await moveOn(bar, name, ['Collected']);
  await expect(alert).toHaveCount(0);

  // Dismissed, it stays dismissed on the next page.
  await orderDrink(guest, 'Mojito');
  await moveOn(bar, name, ['Start', 'Ready']);
  await expect(alert).toContainText('Your Mojito is ready');
  await guest.getByRole('button', { name: 'Dismiss: Your Mojito is ready' }).click();
  await expect(alert).toHaveCount(0);
  const asked = guest.waitForResponse((response) => response.url().includes('ready_orders'));
  await guest.reload();
  await appStarted(guest);
  expect((await asked).ok()).toBe(true);
  await expect(guest.getByTestId('order-status')).toHaveText(['Ready', 'Collected']);
  await expect(alert).toHaveCount(0);

  await close();
});

test('the pickup screen calls a ready drink by name, live, and Remind calls the guest again', async ({ browser }) => {
  const { guest, bar, close } = await phoneAndLaptop(browser);
  const name = `Pia ${Date.now() % 100000}`;
  await joinAs(guest, name);
  await orderDrink(guest, 'Mojito');
  await guest.getByRole('link', { name: 'Menu', exact: true }).click();
  await expect(guest).toHaveURL(`${baseURL}/`);

  // The host makes a read-only link for the TV by the bar; the TV has no session of its own.
  await signIn(bar);
  await bar.getByRole('link', { name: 'Pickup', exact: true }).click();
  await bar.getByRole('button', { name: 'Make a TV link' }).click();
  const link = await bar.getByLabel('New screen link').inputValue();
  expect(link).toMatch(/\/screen\?key=[0-9a-f]{64}$/);
  const tvContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const tv = await tvContext.newPage();
  await tv.goto(link);
  await expect(tv.getByRole('heading', { name: 'Ready to pick up' })).toBeVisible();
  await appStarted(tv);

  await bar.goto('/admin/board');
  await moveOn(bar, name, ['Start', 'Ready']);
  const alert = guest.getByTestId('ready-alert');
  await expect(alert).toContainText('Your Mojito is ready');
  const call = tv.getByTestId('pickup-call').filter({ hasText: name });
  await expect(call).toContainText('Mojito');
  await expect(tv.getByTestId('pickup-call').first()).toContainText(name);

  // Dismissed on the phone; the host's Remind brings it back and flashes the name on the TV.
  await guest.getByRole('button', { name: 'Dismiss: Your Mojito is ready' }).click();
  await expect(alert).toHaveCount(0);
  await bar.getByTestId('board-card').filter({ hasText: name }).getByRole('button', { name: 'Remind' }).click();
  await expect(bar.getByRole('status').filter({ hasText: `Reminded ${name}` })).toBeVisible();
  await expect(alert).toContainText('Your Mojito is ready');
  await expect(call).toHaveAttribute('data-flash', 'true');

  // Collected: the name leaves the screen.
  await moveOn(bar, name, ['Collected']);
  await expect(call).toHaveCount(0);
  await tvContext.close();
  await close();
});

// Party Wi-Fi drops out: the order turns Ready while the guest's phone is offline.
test('patchy Wi-Fi: /orders keeps its list, says it is reconnecting, and catches up when the network returns', async ({
  browser,
}) => {
  const { guest, bar, close } = await phoneAndLaptop(browser);
  const name = `Otto ${Date.now() % 100000}`;
  await joinAs(guest, name);
  await orderDrink(guest, 'Paloma');
  await appStarted(guest);
  const status = guest.getByTestId('order-status');
  await expect(status).toHaveText('Queued');
  await guest.evaluate(() => ((window as unknown as { stay: boolean }).stay = true));
  const notice = guest.getByTestId('connection-notice');
  await expect(notice).toHaveCount(0);
  await signIn(bar);

  await guest.context().setOffline(true);
  await expect(notice).toContainText("You're offline");
  await moveOn(bar, name, ['Start', 'Ready']);
  // The phone is looked at again while still offline: its refetch fails, and the list stays.
  const failed = guest.waitForEvent('requestfailed', (request) => request.url().includes('my_orders'));
  await guest.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await failed;
  await expect(guest.getByTestId('order')).toHaveCount(1);
  await expect(guest.getByTestId('order')).toContainText('Paloma');
  await expect(guest.getByText('could not reach the bar')).toHaveCount(0);

  await guest.context().setOffline(false);
  await expect(status).toHaveText('Ready');
  await expect(notice).toHaveCount(0);
  await expect(guest.getByTestId('ready-alert')).toContainText('Your Paloma is ready');
  expect(await guest.evaluate(() => (window as unknown as { stay?: boolean }).stay)).toBe(true);
  await close();
});

test('the host signs in and out, and a wrong password is refused', async ({ page }) => {
  await signIn(page, 'not-the-password');
  await expect(page.getByRole('alert')).toContainText('Wrong username or password.');
  await expect(page).toHaveURL(/\/admin\/login/);

  await signIn(page);
  await expect(page).toHaveURL(/\/admin\/board$/);
  await expect(page.getByRole('region', { name: 'Queued' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.goto('/admin/board');
  await expect(page).toHaveURL(/\/admin\/login$/);
});

// Browsers keep cookies per host, not per port: a guest of two bars on one machine must stay signed
// in at both (#16: "Join the party to chat" after Forget me and a reload, with a session that held).
test('two bars on one host keep their own guests, through "Forget me" and a reload', async ({ page }) => {
  const tag = `${Date.now() % 100000}`;
  await joinAs(page, `Ana ${tag}`);
  await page.goto(`${secondBar.baseURL}/join/${inviteCode(1, secondBar)}`);
  await page.getByLabel('Your name').fill(`Bea ${tag}`);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page).toHaveURL(`${secondBar.baseURL}/`);

  await page.goto('/bartender');
  await expect(page.getByLabel('Message')).toBeVisible();
  await page.getByText('Your taste', { exact: true }).click();
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Forget me' }).click();
  await expect(page.getByTestId('chat-empty')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('chat-empty')).toBeVisible();
  await expect(page.getByText('Join the party to chat with the bartender.')).toHaveCount(0);

  await page.goto(`${secondBar.baseURL}/bartender`);
  await expect(page.getByLabel('Message')).toBeVisible();
  await page.goto('/orders');
  await expect(page.getByText('No orders yet.')).toBeVisible();
});

test('a used-up invite is refused with a clear message', async ({ page }) => {
  const code = inviteCode(1);
  await page.goto(`/join/${code}`);
  await page.getByLabel('Your name').fill('First');
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page).toHaveURL(`${baseURL}/`);
  await page.context().clearCookies();
  await page.goto(`/join/${code}`);
  await expect(page.getByRole('alert')).toContainText('This invite has been used up.');
  await expect(page.getByRole('button', { name: 'Join' })).toHaveCount(0);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a guest joins and orders with plain forms, and a double submit makes one order', async ({ page }) => {
    await page.goto(`/join/${inviteCode()}`);
    await page.getByLabel('Your name').fill('Noscript Nina');
    await page.getByRole('button', { name: 'Join' }).click();
    await expect(page).toHaveURL(`${baseURL}/`);

    await page.getByTestId('drink-card').filter({ has: page.getByRole('heading', { name: 'Paloma', exact: true }) }).click();
    await page.getByLabel('Quantity').selectOption('2');
    // The same form (same idempotency key) submitted twice, as a double tap or a retry would.
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Order', exact: true }) });
    const action = await form.getAttribute('action');
    const body = new URLSearchParams();
    for (const input of await form.locator('input, select').all()) {
      const name = await input.getAttribute('name');
      if (name) body.set(name, await input.inputValue());
    }
    const replay = await page.request.post(action!, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      data: body.toString(),
    });
    expect(replay.ok()).toBe(true);
    await page.getByRole('button', { name: 'Order', exact: true }).click();
    await expect(page).toHaveURL(/\/orders$/);
    await expect(page.getByTestId('order')).toHaveCount(1);
    await expect(page.getByTestId('order')).toContainText('2× Paloma');
    await expect(page.getByTestId('order-status')).toHaveText('Queued');
  });
});

/** Clicks "Sign in"; before the app has started that is a plain form post, answered with a new page. */
async function signInClicked(page: Page, slow: boolean) {
  if (slow) expect(await page.evaluate(() => (window as unknown as { __barbackLive?: boolean }).__barbackLive)).not.toBe(true);
  const answered = slow ? page.waitForEvent('framenavigated') : Promise.resolve();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await answered;
}

// Each twice: as on a laptop, and on a slow phone whose code is held back while the person acts at once.
for (const slow of [false, true]) {
  const speed = slow ? ' (before the app has started)' : '';

  test(`a removed guest cannot come back under the same name until the host lets them back in${speed}`, async ({ browser }) => {
    const { guest, bar, close } = await phoneAndLaptop(browser);
    const name = `Pat ${slow ? 'Slow' : 'Quick'} ${test.info().repeatEachIndex}`;
    await joinAs(guest, name);
    await signIn(bar);
    await expect(bar).toHaveURL(/\/admin\/board$/);
    await bar.goto('/admin/guests');
    await bar.getByRole('button', { name: `Remove ${name}` }).click();
    const removed = bar.getByTestId('removed-guest').filter({ hasText: name });
    await expect(removed).toBeVisible();

    // Signed out, the guest tries again under the same name, even with a new invite.
    if (slow) await slowCode(guest);
    await guest.goto(`/join/${inviteCode()}`, { waitUntil: slow ? 'commit' : 'load' });
    await guest.getByLabel('Your name').fill(name);
    await guest.getByRole('button', { name: 'Join' }).click();
    await expect(guest.getByRole('alert')).toContainText(`The host asked ${name} to leave`);

    await bar.getByRole('button', { name: `Let ${name} back in` }).click();
    await expect(removed).toHaveCount(0);
    await guest.getByLabel('Your name').fill(name);
    await guest.getByRole('button', { name: 'Join' }).click();
    await expect(guest).toHaveURL(`${baseURL}/`);
    await close();
  });

  test(`guessing the host password is slowed down, and the form says how long to wait${speed}`, async ({ browser }) => {
    // Its own client address (the e2e server trusts X-Forwarded-For from this machine), so other
    // tests signing in meanwhile are not held up.
    const address = slow ? '198.51.100.24' : '198.51.100.23';
    const context = await browser.newContext({ baseURL, extraHTTPHeaders: { 'x-forwarded-for': address } });
    const page = await context.newPage();
    if (slow) await slowCode(page);
    await page.goto('/admin/login', { waitUntil: slow ? 'commit' : 'load' });
    // Without the app, a refused form comes back as a new page with the fields empty, so each try
    // types both, as a person would.
    for (let attempt = 1; attempt < 5; attempt++) {
      await page.getByLabel('Username').fill(host.username);
      await page.getByLabel('Password').fill(`guess-${attempt}`);
      await signInClicked(page, slow);
      await expect(page.getByRole('alert')).toContainText('Wrong username or password');
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
    }
    await page.getByLabel('Username').fill(host.username);
    await page.getByLabel('Password').fill('guess-5');
    await signInClicked(page, slow);
    await expect(page.getByRole('alert')).toHaveText(/Too many wrong tries\. Wait \d+ seconds? before you try again\./);
    // Once the wait is over, the right password signs the host in.
    await expect(async () => {
      await page.getByLabel('Username').fill(host.username);
      await page.getByLabel('Password').fill(host.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).toHaveURL(/\/admin\/board$/, { timeout: 1500 });
    }).toPass({ timeout: 15_000 });
    await context.close();
  });
}
