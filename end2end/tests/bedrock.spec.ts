import { expect, test } from '@playwright/test';
import { bedrockBar, signIn } from './helpers';

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
