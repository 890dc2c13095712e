import { expect } from '@playwright/test';
import { adminPageFindings, appStarted, baseURL, guestPageFindings, inviteCode, signIn, slowCode, test } from './helpers';

// A Spanish phone: the browser asks for Spanish (Accept-Language), and every word the guest reads
// on the way from the invite to a drink is in Spanish. The code is held back (`slowCode`): the guest
// acts at once, as on party Wi-Fi.
test.describe('a Spanish phone', () => {
  test.use({ locale: 'es-ES' });

  test('joins, orders and asks the bartender in Spanish', async ({ page }) => {
    test.setTimeout(60_000);
    await slowCode(page);
    await page.goto(`/join/${inviteCode()}`, { waitUntil: 'commit' });
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Bienvenido');
    await page.getByLabel('Tu nombre').fill(`Lucía ${test.info().repeatEachIndex}`);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await expect(page).toHaveURL(/\/$/);

    // The menu and the navigation speak Spanish.
    const nav = page.getByRole('navigation', { name: 'Principal' });
    await expect(nav.getByRole('link', { name: 'Mis pedidos' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Carta' })).toBeVisible();
    await expect(page.getByRole('searchbox', { name: 'Busca bebidas o ingredientes' })).toBeVisible();
    await expect(page.getByText('Solo sin alcohol')).toBeVisible();

    // A drink, ordered with "Pedir".
    await page.getByTestId('drink-card').filter({ has: page.getByRole('heading', { name: 'Paloma', exact: true }) }).click();
    await expect(page.getByRole('heading', { name: 'Ingredientes' })).toBeVisible();
    await expect(page.getByText(/unos \d+(,\d+)? % vol\./)).toBeVisible();
    await page.getByLabel('Nota para el barman (opcional)').fill('con mucha sal');
    await page.getByRole('button', { name: 'Pedir', exact: true }).click();
    await expect(page).toHaveURL(/\/orders$/);
    await expect(page.getByRole('heading', { name: 'Mis pedidos' })).toBeVisible();
    await expect(page.getByTestId('order')).toHaveCount(1);
    await expect(page.getByTestId('order-status')).toHaveText('En cola');
    await expect(page.getByTestId('order')).toContainText('en la cola');

    // The bartender: only alcohol-free drinks, with reasons in Spanish, and "Pedir este".
    await page.goto('/bartender', { waitUntil: 'commit' });
    const message = page.getByLabel('Mensaje');
    await message.fill('algo sin alcohol, que conduzco');
    await message.press('Enter');
    await appStarted(page);
    await expect(page.getByTestId('chat-guest')).toHaveText('algo sin alcohol, que conduzco');
    const cards = page.getByTestId('chat-card');
    await expect(cards.first()).toBeVisible({ timeout: 15_000 });
    const count = await cards.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      await expect(cards.nth(i)).toContainText('Sin alcohol');
      await expect(cards.nth(i).getByText(/^Sin alcohol\./)).toBeVisible();
    }
    await expect(page.getByTestId('chat-bartender').last()).toContainText('sin alcohol');
    await expect(cards.first().getByRole('button', { name: 'Pedir este' })).toBeVisible();
    await expect(page.getByText('Made with')).toHaveCount(0);
  });

  // The bar's own refusals, written on the server deep in its rules, reach a Spanish guest in
  // Spanish: under the field, before the app has started (the form posts itself) and after.
  test('is told in Spanish, under the field, that a name is taken or missing', async ({ browser, page }) => {
    test.setTimeout(60_000);
    const name = `Marta ${test.info().repeatEachIndex}-${Date.now() % 100_000}`;
    const first = await browser.newPage({ locale: 'es-ES', baseURL });
    await first.goto(`/join/${inviteCode()}`);
    await first.getByLabel('Tu nombre').fill(name);
    await first.getByRole('button', { name: 'Entrar', exact: true }).click();
    await expect(first).toHaveURL(/\/$/);
    await first.close();

    await slowCode(page);
    await page.goto(`/join/${inviteCode(2)}`, { waitUntil: 'commit' });
    const field = page.getByLabel('Tu nombre');
    await field.fill(name);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await expect(page.locator('#name-error')).toHaveText(`Ya hay alguien llamado ${name}. Prueba con otro nombre.`);
    await expect(page.getByLabel('Tu nombre')).toHaveAttribute('aria-invalid', 'true');

    await appStarted(page);
    await page.getByLabel('Tu nombre').fill('   ');
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await expect(page.locator('#name-error')).toHaveText('Dinos tu nombre, por favor.');
    await expect(page.getByLabel('Tu nombre')).toBeFocused();
    await expect(page.getByText('Please tell us')).toHaveCount(0);
  });

  // Spanish words are longer and the page says `lang="es"`: the sweep runs again (dark, where
  // contrast is tightest) over every guest page.
  test('every guest page in Spanish passes axe with no serious or critical finding', async ({ page }) => {
    test.setTimeout(150_000);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await guestPageFindings(page, 'es', `Axe es ${test.info().repeatEachIndex}`)).toEqual([]);
  });
});

test('the language switch works before the app has started and is remembered', async ({ page }) => {
  await slowCode(page);
  await page.goto('/', { waitUntil: 'commit' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('button', { name: 'Español' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('link', { name: 'Mis pedidos' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Español' })).toHaveAttribute('aria-pressed', 'true');

  // Kept across pages and visits (a cookie), whatever the browser asks for.
  await page.goto('/orders');
  await expect(page.getByRole('heading', { name: 'Mis pedidos' })).toBeVisible();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');

  // Back to English, on the same page.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'My orders' })).toBeVisible();
});

test('every admin page in Spanish passes axe with no serious or critical finding', async ({ browser }) => {
  test.setTimeout(150_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL, locale: 'es-ES', colorScheme: 'dark', serviceWorkers: 'block' });
  const page = await context.newPage();
  expect(await adminPageFindings(page, 'es', 'axe es')).toEqual([]);
  await context.close();
});

test('the board speaks Spanish to a Spanish host, statuses and buttons included', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL, locale: 'es-ES', serviceWorkers: 'block' });
  const page = await context.newPage();
  await signIn(page, 'es');
  await expect(page.getByRole('heading', { name: 'Pedidos', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Anfitrión' }).getByRole('link', { name: 'Estadísticas' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pausar pedidos' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'En cola' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Historial' })).toBeVisible();
  await context.close();
});
