import { expect } from '@playwright/test';
import { appStarted, bedrockBar, inviteCode, signIn, test } from './helpers';

// The bar on Amazon Bedrock, through the stand-in for its runtime (end2end/bedrock-stub.cjs).
test.use({ baseURL: bedrockBar.baseURL });

test('with Bedrock, a new drink gets a proposed photo; guests see it only once the host approves it', async ({ page, browser }) => {
  test.setTimeout(60_000);
  await signIn(page);
  await page.goto('/admin/menu/drinks/new');
  await expect(page.getByRole('heading', { name: 'New drink' })).toBeVisible();
  await page.getByLabel('Name').fill('Sunset Fizz');
  await page.getByLabel('Description').fill('Bitter orange and bubbles.');
  await page.getByLabel('Ingredient 1').fill('Aperol');
  await page.getByLabel('Amount 1').fill('60');
  await page.getByLabel('Unit 1').fill('ml');
  await page.getByRole('button', { name: 'Save drink' }).click();
  await expect(page).toHaveURL(/\/admin\/menu$/);
  await page.getByTestId('admin-drink').filter({ hasText: 'Sunset Fizz' }).getByRole('link').click();

  // The prompt is written, then the image model makes a photo from it: it waits for the host.
  const panel = page.getByTestId('image-prompt');
  const proposed = panel.getByTestId('proposed-photo');
  await expect(async () => {
    await panel.getByRole('button', { name: 'Check again' }).click();
    await expect(proposed).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(panel.getByTestId('image-prompt-text')).toContainText('Sunset Fizz');
  await expect(proposed).toContainText('Amazon Nova Canvas');
  const image = proposed.getByRole('img', { name: 'Proposed photo' });
  await expect(image).toHaveAttribute('src', /\/images\/.+-640\.webp$/);
  const src = (await image.getAttribute('src'))!;
  expect(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

  // Guests still see the drawn illustration.
  const guest = await browser.newPage({ baseURL: bedrockBar.baseURL });
  const drinkImage = async () => {
    await guest.goto('/');
    const card = guest.getByTestId('drink-card').filter({ has: guest.getByRole('heading', { name: 'Sunset Fizz', exact: true }) });
    return card.locator('img').getAttribute('src');
  };
  expect(await drinkImage()).not.toBe(src);

  await proposed.getByRole('button', { name: 'Approve photo' }).click();
  await expect(proposed.getByRole('status')).toHaveText("Approved: it is the drink's photo now.");
  expect(await drinkImage()).toBe(src);

  // Nothing waits any more.
  await page.reload();
  await expect(page.getByTestId('image-prompt-text')).toBeVisible();
  await expect(page.getByTestId('proposed-photo')).toHaveCount(0);
  await guest.close();
});

test('a guest stops an answer half-way: the words so far stay, marked as stopped', async ({ page }) => {
  await page.goto(`/join/${inviteCode(1, bedrockBar)}`);
  await page.getByLabel('Your name').fill(`Stopper ${test.info().repeatEachIndex}`);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page).toHaveURL(`${bedrockBar.baseURL}/`);
  await page.goto('/bartender');
  await expect(page.getByText('Answers come from an AI model (Amazon Nova Lite)')).toBeVisible();
  await appStarted(page);
  await page.getByLabel('Message').fill('something smoky');
  await page.getByLabel('Message').press('Enter');

  // The model writes a few words, then takes its time: the guest has heard enough.
  const answer = page.getByTestId('chat-bartender');
  await expect(answer).toContainText('Let me think about something smoky for you');
  await expect(page.getByRole('button', { name: 'Send' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Stop the answer' }).click();
  await expect(answer.getByTestId('chat-note')).toHaveText('Stopped.');
  await expect(answer.getByTestId('chat-answer')).toHaveText('Let me think about something smoky for you');
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();

  // What was written is kept.
  await page.reload();
  await expect(page.getByTestId('chat-guest')).toHaveText('something smoky');
  await expect(answer.getByTestId('chat-note')).toHaveText('Stopped.');
  await expect(answer).toContainText('Let me think about something smoky for you');
});
