import { expect } from '@playwright/test';
import { joinAs, test } from './helpers';

test('with the CSP in place the menu hydrates and an order goes through', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await joinAs(page, `Strict ${test.info().repeatEachIndex}`);
  const response = await page.goto('/');
  const policy = response!.headers()['content-security-policy'];
  expect(policy).toContain("'wasm-unsafe-eval'");
  expect(policy).toMatch(/'nonce-[A-Za-z0-9_-]+'/);
  await page.waitForLoadState('networkidle');

  // Filtering as you type only works once the WASM app has hydrated.
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm')));
  const reloads = page.waitForEvent('load', { timeout: 1_000 }).then(() => true, () => false);
  await page.getByRole('searchbox', { name: 'Search drinks or ingredients' }).pressSequentially('ginger', { delay: 30 });
  await expect(page).toHaveURL(/[?&]q=ginger/);
  await expect(page.getByTestId('drink-card').filter({ hasText: 'Negroni' })).toHaveCount(0);
  expect(await reloads).toBe(false);
  const card = page.getByTestId('drink-card').filter({ hasText: 'Moscow Mule' });
  await expect(card).toBeVisible();
  await card.click();
  await page.getByRole('button', { name: 'Order', exact: true }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByTestId('order')).toContainText('Moscow Mule');
  expect(violations).toEqual([]);
});
