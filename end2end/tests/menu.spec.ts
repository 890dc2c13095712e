import { expect, type Page } from '@playwright/test';
import { test } from './helpers';

async function searchFor(page: Page, text: string) {
  await page.getByRole('searchbox', { name: 'Search drinks or ingredients' }).fill(text);
  await page.getByRole('button', { name: 'Search' }).click();
}

async function openDrinkAndSeeRecipe(page: Page) {
  await page.getByRole('link', { name: /Margarita/ }).click();
  await expect(page).toHaveURL(/\/drinks\//);
  await expect(page.getByRole('heading', { level: 1, name: 'Margarita' })).toBeVisible();
  const ingredients = page.getByRole('region', { name: 'Ingredients' });
  await expect(ingredients.getByRole('listitem').filter({ hasText: 'Blanco tequila' })).toContainText('50 ml');
  await expect(ingredients.getByRole('listitem').filter({ hasText: 'Lime juice' })).toContainText('15 ml');
  await expect(page.getByRole('region', { name: 'Method' }).getByRole('listitem')).toHaveCount(3);
  await expect(page.getByText('about 22% ABV')).toBeVisible();
}

/** Opens the menu; with JavaScript, waits until the app has hydrated, so that what the test does
 * next is handled by it rather than lost before it starts. */
async function openMenu(page: Page, javaScriptEnabled: boolean) {
  await page.goto('/');
  if (javaScriptEnabled) {
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm')));
    await page.waitForLoadState('networkidle');
  }
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('a guest opens the menu, searches an ingredient and opens a drink', async ({ page }) => {
      await openMenu(page, javaScriptEnabled);
      await expect(page.getByRole('heading', { name: 'Classics' })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Alcohol-free' })).toBeVisible();
      await expect(page.getByTestId('drink-card')).toHaveCount(30);

      await searchFor(page, 'tequila');
      await expect(page).toHaveURL(/[?&]q=tequila/);
      await expect(page.getByTestId('drink-card')).toHaveCount(2);
      await expect(page.getByTestId('drink-card').filter({ hasText: 'Paloma' })).toBeVisible();

      await openDrinkAndSeeRecipe(page);
    });

    test('the alcohol-free filter leaves only alcohol-free drinks', async ({ page }) => {
      await openMenu(page, javaScriptEnabled);
      await page.getByRole('checkbox', { name: 'Alcohol-free only' }).check();
      if (!javaScriptEnabled) await page.getByRole('button', { name: 'Search' }).click();
      await expect(page).toHaveURL(/alcohol_free=true/);
      await expect(page.getByTestId('drink-card')).toHaveCount(6);
      await expect(page.getByRole('heading', { name: 'Classics' })).toHaveCount(0);
    });

    test('a drink that needs an out-of-stock ingredient is shown greyed, not hidden', async ({ page }) => {
      await openMenu(page, javaScriptEnabled);
      const sazerac = page.getByTestId('drink-card').filter({ hasText: 'Sazerac' });
      await expect(sazerac).toContainText('Unavailable');
      await sazerac.click();
      await expect(page.getByText('Unavailable right now: the bar is out of Absinthe.')).toBeVisible();
    });
  });
}

test('once hydrated, the menu filters as you type without reloading', async ({ page }) => {
  await page.goto('/');
  // Wait for hydration: the WASM bundle has been fetched and run.
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm')));
  await page.waitForLoadState('networkidle');
  const reloads = page.waitForEvent('load', { timeout: 1_000 }).then(() => true, () => false);
  await page.getByRole('searchbox', { name: 'Search drinks or ingredients' }).pressSequentially('lime', { delay: 30 });
  await expect(page).toHaveURL(/q=lime/);
  await expect(page.getByTestId('drink-card').filter({ hasText: 'Negroni' })).toHaveCount(0);
  await expect(page.getByTestId('drink-card').filter({ hasText: 'Margarita' })).toHaveCount(1);
  expect(await reloads).toBe(false);
});
