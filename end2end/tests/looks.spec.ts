import { devices, expect, type Page } from '@playwright/test';
import { adminPageFindings, appStarted, baseURL, guestPageFindings, host, inviteCode, joinAs, seriousFindings, settle, signIn, slowCode, test } from './helpers';

/** The body's background, as relative luminance (0 black, 1 white). */
async function backgroundLuminance(page: Page): Promise<number> {
  return page.evaluate(() => {
    const probe = document.createElement('canvas').getContext('2d')!;
    probe.fillStyle = getComputedStyle(document.body).backgroundColor;
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
    const linear = (c: number) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    test(`every guest page passes axe with no serious or critical finding (${scheme})`, async ({ page }) => {
      test.setTimeout(150_000);
      expect(await guestPageFindings(page, 'en', `Axe ${scheme}`)).toEqual([]);
    });

    test(`every admin page passes axe with no serious or critical finding (${scheme})`, async ({ browser }) => {
      test.setTimeout(150_000);
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL, colorScheme: scheme, serviceWorkers: 'block' });
      const page = await context.newPage();
      expect(await adminPageFindings(page, 'en', `axe ${scheme}`)).toEqual([]);
      await context.close();
    });
  });
}

test('dark mode follows the phone, and the switch overrides it from the first paint, remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  // The switch works before the app's code has arrived.
  await slowCode(page);
  await page.goto('/', { waitUntil: 'commit' });
  const toLight = page.getByRole('button', { name: 'Light mode' });
  await expect(toLight).toBeVisible();
  expect(await backgroundLuminance(page)).toBeLessThan(0.05);
  await toLight.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await backgroundLuminance(page)).toBeGreaterThan(0.9);
  await expect(page.getByRole('button', { name: 'Dark mode' })).toBeVisible();
  // Remembered on this browser: the next page starts light, whatever the phone prefers.
  await page.reload();
  await appStarted(page);
  expect(await backgroundLuminance(page)).toBeGreaterThan(0.9);
  await page.getByRole('link', { name: 'Bartender', exact: true }).click();
  await expect(page).toHaveURL(/\/bartender$/);
  expect(await backgroundLuminance(page)).toBeGreaterThan(0.9);
  await page.getByRole('button', { name: 'Dark mode' }).click();
  expect(await backgroundLuminance(page)).toBeLessThan(0.05);
  // A light phone with no choice made sees light.
  await page.evaluate(() => localStorage.removeItem('barback_theme'));
  await page.emulateMedia({ colorScheme: 'light' });
  await page.reload();
  expect(await backgroundLuminance(page)).toBeGreaterThan(0.9);
});

test('the shopping list, made to be printed, stays light on a dark laptop', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL, colorScheme: 'dark', serviceWorkers: 'block' });
  const page = await context.newPage();
  await signIn(page);
  expect(await backgroundLuminance(page)).toBeLessThan(0.05);
  await page.goto('/admin/shopping-list');
  await expect(page.getByRole('heading', { name: 'Shopping list' })).toBeVisible();
  expect(await backgroundLuminance(page)).toBeGreaterThan(0.9);
  await context.close();
});

test('every control on the guest pages is a thumb-sized target (44 x 44 px or more)', async ({ page }) => {
  const small = async (path: string) => {
    await settle(page, path);
    return measure(path);
  };
  const measure = (path: string) =>
    page.evaluate((where) => {
      const found: string[] = [];
      for (const el of document.querySelectorAll<HTMLElement>('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
        // A checkbox is tapped through its label.
        const target = (el as HTMLInputElement).type === 'checkbox' ? el.closest('label') ?? el : el;
        const box = target.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue; // not shown (or screen-reader only)
        if (getComputedStyle(target).position === 'absolute' && box.width <= 1) continue;
        if (box.width < 44 || box.height < 44) {
          found.push(`${where} ${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || el.getAttribute('name') || '').trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
        }
      }
      return found;
    }, path);
  const found: string[] = [];
  found.push(...(await small('/')));
  found.push(...(await small('/?q=no+such+drink')));
  await joinAs(page, 'Thumb');
  const drink = await page.getByTestId('drink-card').first().getAttribute('href');
  found.push(...(await small(drink!)));
  await page.getByRole('button', { name: 'Order', exact: true }).click();
  await expect(page).toHaveURL(/\/orders$/);
  found.push(...(await small('/orders')));
  await settle(page, '/bartender');
  await page.getByLabel('Message').fill('something with gin');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('chat-card').first()).toBeVisible({ timeout: 15_000 });
  await page.getByText('Your taste', { exact: true }).click();
  await page.getByLabel('Likes', { exact: true }).fill('citrus');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('taste-chip').first()).toBeVisible();
  found.push(...(await measure('/bartender')));
  expect(found).toEqual([]);
});

test('the search finds whole words, and an empty search offers the bartender', async ({ page }) => {
  await settle(page, '/');
  const search = page.getByRole('searchbox', { name: 'Search drinks or ingredients' });
  await search.fill('gin');
  await expect(page).toHaveURL(/[?&]q=gin$/);
  await expect(page.getByTestId('drink-card').filter({ hasText: 'Negroni' }).first()).toBeVisible();
  // Gin is not in the Penicillin's ginger, nor the Moscow Mule's ginger beer.
  await expect(page.getByTestId('drink-card').filter({ hasText: 'Penicillin' })).toHaveCount(0);
  await expect(page.getByTestId('drink-card').filter({ hasText: 'Moscow Mule' })).toHaveCount(0);
  // A word half typed still finds.
  await search.fill('ging');
  await expect(page.getByTestId('drink-card').filter({ hasText: 'Penicillin' })).toBeVisible();
  await search.fill('long island iced tea');
  await expect(page.getByText('No drinks match your search.')).toBeVisible();
  await page.getByRole('link', { name: 'Ask the bartender' }).click();
  await expect(page).toHaveURL(/\/bartender$/);
});

test('a guest who has just joined is greeted by name with what to do next, once', async ({ page }) => {
  await page.goto(`/join/${inviteCode()}`);
  await page.getByLabel('Your name').fill('Mia');
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page).toHaveURL(`${baseURL}/`);
  const greeting = page.getByTestId('greeting');
  await expect(greeting).toContainText('Hi Mia!');
  await expect(greeting).toContainText('Tap a drink to order it');
  await greeting.getByRole('button', { name: 'Got it' }).click();
  await expect(greeting).toHaveCount(0);
  await page.reload();
  await appStarted(page);
  await page.waitForLoadState('networkidle');
  await expect(greeting).toHaveCount(0);
});

test('keyboard only: a visitor reaches the search and a drink with Tab, and sees where focus is', async ({ browser }) => {
  const { defaultBrowserType: _, ...pixel } = devices['Pixel 7'];
  const context = await browser.newContext({ ...pixel, hasTouch: false, isMobile: false, baseURL, serviceWorkers: 'block' });
  const page = await context.newPage();
  await settle(page, '/');
  const seen: string[] = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      const shadow = style.boxShadow !== 'none';
      return { name: (el.getAttribute('aria-label') || el.textContent || el.getAttribute('placeholder') || '').trim().slice(0, 40), visible: ring || shadow };
    });
    expect(focused.visible, `focus ring on "${focused.name}"`).toBe(true);
    seen.push(focused.name);
  }
  expect(seen).toContain('Menu');
  expect(seen).toContain('Search drinks or ingredients');
  await context.close();
});

/** Presses Tab until the focused control's name (its label, aria-label, text or placeholder) is
 * `name` (or contains it, with `partial`), checking on the way that every stop shows a focus ring. */
async function tabTo(page: Page, name: string, partial = false) {
  const passed: string[] = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement & { labels?: NodeListOf<HTMLLabelElement> };
      const style = getComputedStyle(el);
      const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      const label = el.labels?.[0]?.textContent ?? '';
      const name = (el.getAttribute('aria-label') || label || el.textContent || el.getAttribute('placeholder') || '').trim().replace(/\s+/g, ' ');
      return { name, visible: ring || style.boxShadow !== 'none', body: el === document.body };
    });
    if (!focused.body) expect(focused.visible, `focus ring on "${focused.name}"`).toBe(true);
    if (partial ? focused.name.includes(name) : focused.name === name) return;
    passed.push(focused.name);
  }
  throw new Error(`Tab never reached "${name}"; it passed ${passed.join(' | ')}`);
}

test('keyboard only: a guest joins, orders and asks the bartender without touching the screen', async ({ browser }) => {
  test.setTimeout(60_000);
  const { defaultBrowserType: _, ...pixel } = devices['Pixel 7'];
  const context = await browser.newContext({ ...pixel, hasTouch: false, isMobile: false, baseURL, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`/join/${inviteCode()}`);
  await appStarted(page);
  await tabTo(page, 'Your name');
  await page.keyboard.type(`Keys ${test.info().repeatEachIndex}`);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/$/);

  await tabTo(page, 'Search drinks or ingredients');
  await page.keyboard.type('Paloma');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/q=Paloma/);
  await expect(page.getByTestId('drink-card').first()).toContainText('Paloma');
  await tabTo(page, 'Paloma', true);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Paloma' })).toBeVisible();
  await appStarted(page);
  await tabTo(page, 'Order');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByTestId('order-status').first()).toHaveText('Queued');

  await tabTo(page, 'Bartender');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/bartender$/);
  await appStarted(page);
  await tabTo(page, 'Message');
  await page.keyboard.type('something fresh with lime');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('chat-card').first()).toBeVisible({ timeout: 15_000 });
  await tabTo(page, 'Order this');
  await context.close();
});

test('keyboard only: the host signs in and starts an order from the board', async ({ browser }) => {
  test.setTimeout(60_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL, serviceWorkers: 'block' });
  const page = await context.newPage();
  // A guest's order to start.
  const phone = await browser.newPage({ baseURL });
  await joinAs(phone, `Board keys ${test.info().repeatEachIndex}`);
  await phone.getByTestId('drink-card').filter({ hasText: 'Paloma' }).first().click();
  await phone.getByRole('button', { name: 'Order', exact: true }).click();
  await expect(phone).toHaveURL(/\/orders$/);
  await phone.close();

  await page.goto('/admin/login');
  await appStarted(page);
  await tabTo(page, 'Username');
  await page.keyboard.type(host.username);
  await tabTo(page, 'Password');
  await page.keyboard.type(host.password);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/admin\/board$/);
  await appStarted(page);
  await expect(page.getByTestId('board-card').first()).toBeVisible();
  await tabTo(page, 'Start');
  const orderId = await page.evaluate(
    () => (document.activeElement?.closest('form')?.querySelector('input[name=order_id]') as HTMLInputElement | null)?.value,
  );
  expect(orderId).toBeTruthy();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('column-making').locator(`input[name=order_id][value="${orderId}"]`).first()).toBeAttached();
  await context.close();
});

test('the order form says the limit before the tap, not after it', async ({ page }) => {
  await joinAs(page, 'Limit');
  const drink = await page.getByTestId('drink-card').first().getAttribute('href');
  for (let i = 0; i < 2; i++) {
    await page.goto(drink!);
    await page.getByRole('button', { name: 'Order', exact: true }).click();
    await expect(page).toHaveURL(/\/orders$/);
  }
  // Before the app's code has started, too: the page comes from the server that way.
  await slowCode(page);
  await page.goto(drink!, { waitUntil: 'commit' });
  await expect(page.getByTestId('order-refusal')).toHaveText('You have 2 drinks on the way — one more when one is collected.');
  await expect(page.getByRole('button', { name: 'Order', exact: true })).toBeDisabled();
  await appStarted(page);
  await expect(page.getByRole('button', { name: 'Order', exact: true })).toBeDisabled();
});

test('a wrong name is said under the field, which is marked and focused', async ({ page }) => {
  await page.goto(`/join/${inviteCode()}`);
  await appStarted(page);
  const name = page.getByLabel('Your name');
  // Spaces only: the browser's own check lets them through, the bar's does not.
  await name.fill('   ');
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#name-error')).toHaveText('Please tell us your name.');
  await expect(name).toHaveAttribute('aria-describedby', 'name-error');
  await expect(name).toBeFocused();
  await expect(page.getByText('name: Please')).toHaveCount(0);
});

test('an unavailable drink points to a close one the bar can make now', async ({ page }) => {
  await settle(page, '/');
  await page.getByTestId('drink-card').filter({ hasText: 'Sazerac' }).click();
  await expect(page.getByText('Unavailable right now: the bar is out of Absinthe.')).toBeVisible();
  const closest = page.getByTestId('closest-drink');
  const name = (await closest.textContent())!.trim();
  expect(name).not.toBe('Sazerac');
  await closest.click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText(/Unavailable right now/)).toHaveCount(0);
});

test('the host names the party, and the join page welcomes guests to it', async ({ browser, page }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL, serviceWorkers: 'block' });
  const bar = await context.newPage();
  await signIn(bar);
  await bar.goto('/admin/invites');
  await appStarted(bar);
  const party = bar.getByLabel('Party name');
  await party.fill("Mia's birthday");
  await bar.getByRole('button', { name: 'Save' }).click();
  await expect(bar.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.goto(`/join/${inviteCode()}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Welcome to Mia's birthday");
  // Taken away again: the bar's own welcome.
  await bar.reload();
  await appStarted(bar);
  await expect(bar.getByLabel('Party name')).toHaveValue("Mia's birthday");
  await bar.getByLabel('Party name').fill('');
  await bar.getByRole('button', { name: 'Save' }).click();
  await expect(bar.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome to the bar');
  await context.close();
});

test('at 320 px wide (400 % zoom on a laptop, or a small phone) no guest page scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  const wide: string[] = [];
  const check = async (path: string) => {
    await settle(page, path);
    const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth }));
    if (scroll > width) wide.push(`${path}: ${scroll} px in ${width}`);
  };
  await check('/');
  await check(`/join/${inviteCode()}`);
  await joinAs(page, 'Narrow');
  const drink = await page.getByTestId('drink-card').first().getAttribute('href');
  await check(drink!);
  await check('/orders');
  await check('/bartender');
  await expect(page.getByRole('link', { name: 'My orders' })).toBeVisible();
  await expect(page.getByRole('button', { name: /(Dark|Light) mode/ })).toBeVisible();
  expect(wide).toEqual([]);
});

test('a phone set to reduce motion gets no pulsing or sliding', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await settle(page, '/');
  const seconds = await page.evaluate(() => {
    const probe = document.createElement('div');
    probe.className = 'animate-pulse transition';
    document.body.append(probe);
    const style = getComputedStyle(probe);
    return [parseFloat(style.animationDuration), parseFloat(style.transitionDuration)];
  });
  expect(seconds[0]).toBeLessThan(0.001);
  expect(seconds[1]).toBeLessThan(0.001);
});
