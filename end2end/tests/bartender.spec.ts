import { expect, test, type Page } from '@playwright/test';
import { joinAs as join } from './helpers';

async function openChat(page: Page) {
  await page.getByRole('link', { name: 'Bartender' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ask the bartender' })).toBeVisible();
  await page.waitForLoadState('networkidle');
}

test('a guest asks for an alcohol-free drink and orders it in one tap', async ({ page }) => {
  await join(page, `Driver ${test.info().repeatEachIndex}`);
  await openChat(page);
  await expect(page.getByTestId('chat-empty')).toBeVisible();

  // Enter sends.
  await page.getByLabel('Message').fill("No alcohol, I'm driving");
  await page.getByLabel('Message').press('Enter');
  await expect(page.getByTestId('chat-guest')).toHaveText("No alcohol, I'm driving");
  const cards = page.getByTestId('chat-card');
  await expect(cards).toHaveCount(3);
  for (const card of await cards.all()) {
    await expect(card).toContainText('Alcohol-free');
  }
  await expect(page.getByTestId('chat-bartender').last()).toContainText('alcohol-free');
  await expect(page.getByLabel('Message')).toHaveValue('');

  const first = cards.first();
  const name = (await first.getByRole('link').textContent())!.trim();
  await first.getByRole('button', { name: 'Order this' }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByTestId('order')).toContainText(`1× ${name}`);
  await expect(page.getByTestId('order-status')).toHaveText('Queued');
});

test('the bartender keeps the chat, learns a taste, and "Forget me" clears it all', async ({ page }) => {
  await join(page, `Smoky ${test.info().repeatEachIndex}`);
  await openChat(page);
  // An example request, one tap.
  await page.getByRole('button', { name: 'Something smoky, not too sweet' }).click();
  await expect(page.getByTestId('chat-card').first()).toBeVisible();
  await expect(page.getByTestId('chat-card').first()).toContainText(/Mezcal Negroni|Penicillin/);

  await page.getByLabel('Message').fill("I love gin and I'm allergic to nuts");
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('chat-guest')).toHaveCount(2);
  await expect(page.getByTestId('chat-bartender')).toHaveCount(2);
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);

  // The chat is still there after a reload, and the bartender learned from it.
  await expect(async () => {
    await page.reload();
    await page.getByText('Your taste', { exact: true }).click();
    await expect(page.getByTestId('taste-chip').filter({ hasText: 'nuts' })).toBeVisible({ timeout: 1000 });
  }).toPass();
  await expect(page.getByTestId('chat-guest')).toHaveCount(2);
  await expect(page.getByTestId('taste-chip').filter({ hasText: 'gin' })).toContainText('learned');

  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Forget me' }).click();
  await expect(page.getByTestId('chat-empty')).toBeVisible();
  await expect(page.getByTestId('chat-guest')).toHaveCount(0);
  await expect(page.getByTestId('taste-chip')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('chat-empty')).toBeVisible();
});

test('the taste profile form is respected by every answer', async ({ page }) => {
  await join(page, `Careful ${test.info().repeatEachIndex}`);
  await openChat(page);
  await page.getByText('Your taste', { exact: true }).click();
  await page.getByLabel('Allergies').fill('nuts');
  await page.getByLabel('Alcohol-free only').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('taste-chip').filter({ hasText: 'nuts' })).toBeVisible();

  await page.getByLabel('Message').fill('Like a Mai Tai but lighter');
  await page.getByLabel('Message').press('Enter');
  const cards = page.getByTestId('chat-card');
  await expect(cards.first()).toBeVisible();
  for (const card of await cards.all()) {
    await expect(card).toContainText('Alcohol-free');
    await expect(card.getByRole('link')).not.toHaveText('Mai Tai');
  }
});

test('without an invite the chat asks the visitor to join', async ({ page }) => {
  await page.goto('/bartender');
  await expect(page.getByText('Join the party to chat with the bartender.')).toBeVisible();
});
