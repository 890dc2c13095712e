import { expect, type Page } from '@playwright/test';
import { appStarted, baseURL, HOLD_MS, inviteCode, joinAs as join, slowCode, test } from './helpers';

async function openChat(page: Page) {
  await page.getByRole('link', { name: 'Bartender' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ask the bartender' })).toBeVisible();
  await page.waitForLoadState('networkidle');
}

test('a guest asks for an alcohol-free drink and orders it in one tap', async ({ page }) => {
  await page.clock.install();
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
  // The order stays in the conversation, with a few seconds to take it back; then a way to it.
  await expect(first.getByTestId('ordered')).toContainText('Ordered');
  await expect(first.getByRole('button', { name: 'Undo' })).toBeVisible();
  await page.clock.fastForward(11_000);
  await expect(first.getByRole('button', { name: 'Undo' })).toHaveCount(0);
  await first.getByRole('link', { name: 'My orders' }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByTestId('order')).toContainText(`1× ${name}`);
  await expect(page.getByTestId('order-status')).toHaveText('Queued');
});

test('"Undo" right after ordering from the chat takes the order back', async ({ page }) => {
  await join(page, `Undo ${test.info().repeatEachIndex}`);
  await openChat(page);
  await say(page, 'something fizzy');
  const card = page.getByTestId('chat-card').first();
  await card.getByRole('button', { name: 'Order this' }).click();
  await card.getByRole('button', { name: 'Undo' }).click();
  await expect(card.getByTestId('ordered')).toHaveText('Taken back: the order is cancelled.');
  await page.goto('/orders');
  await expect(page.getByTestId('order')).toHaveCount(1);
  await expect(page.getByTestId('order-status')).toHaveText('Cancelled');
});

test('on a slow phone, "Order this" before the app has started still orders, and shows it on My orders', async ({ page }) => {
  await join(page, `Slow order ${test.info().repeatEachIndex}`);
  await openChat(page);
  await say(page, 'something sour');
  const held = await slowCode(page);
  await page.reload();
  await page.getByTestId('chat-card').first().getByRole('button', { name: 'Order this' }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByTestId('order')).toHaveCount(1);
  await expect(page.getByTestId('order-status')).toHaveText('Queued');
  expect(held()).toBeGreaterThan(0);
});

test('Cancel on My orders asks first', async ({ page }) => {
  await join(page, `Ask first ${test.info().repeatEachIndex}`);
  await page.getByTestId('drink-card').filter({ has: page.getByRole('heading', { name: 'Mojito', exact: true }) }).click();
  await page.getByRole('button', { name: 'Order', exact: true }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await appStarted(page);
  const questions: string[] = [];
  page.once('dialog', (dialog) => { questions.push(dialog.message()); void dialog.dismiss(); });
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect.poll(() => questions).toEqual(['Cancel your Mojito?']);
  await expect(page.getByTestId('order-status')).toHaveText('Queued');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Cancelled');
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

/** The drinks of the nth answer: (name, ABV as shown; 0 for alcohol-free). */
async function shown(page: Page, answer: number): Promise<{ name: string; abv: number }[]> {
  const cards = page.getByTestId('chat-bartender').nth(answer).getByTestId('chat-card');
  await expect(cards.first()).toBeVisible({ timeout: 15_000 });
  const out: { name: string; abv: number }[] = [];
  for (const card of await cards.all()) {
    const name = (await card.getByRole('link').first().textContent())!.trim();
    const abv = /(\d+(?:[.,]\d+)?)\s?%/.exec((await card.textContent()) ?? '');
    out.push({ name, abv: abv ? Number(abv[1].replace(',', '.')) : 0 });
  }
  return out;
}

/** Sends a message and waits for its whole answer (sent once the app has started, when typed before). */
async function say(page: Page, text: string) {
  const before = await page.getByTestId('chat-bartender').count();
  await page.getByLabel(/^(Message|Mensaje)$/).fill(text);
  await page.getByLabel(/^(Message|Mensaje)$/).press('Enter');
  await expect(page.getByTestId('chat-bartender')).toHaveCount(before + 1, { timeout: HOLD_MS + 12_000 });
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  // The finished answer is the server's rendering of its words (Markdown, a safe subset).
  await expect(page.getByTestId('chat-bartender').last().getByTestId('chat-answer')).toBeVisible();
}

for (const [lang, words] of [
  ['en', { first: 'something bitter', lighter: 'lighter than that', second: 'tell me about the second one', restart: 'New conversation', empty: 'What are you in the mood for?', have: "I'll have the first one", yes: 'Yes, order it', ordered: 'Ordered', queued: 'Queued', where: "where's my drink?", inQueue: 'in the queue' }],
  ['es', { first: 'algo amargo', lighter: 'algo más suave que eso', second: 'háblame de la segunda', restart: 'Nueva conversación', empty: '¿Qué te apetece?', have: 'quiero la primera', yes: 'Sí, pídelo', ordered: 'Pedido', queued: 'En cola', where: '¿dónde está mi bebida?', inQueue: 'de la cola' }],
] as const) {
  test.describe(`follow-ups (${lang})`, () => {
    test.use({ locale: lang === 'es' ? 'es-ES' : 'en-GB' });

    test(`the bartender follows up on its last answer, and "${words.restart}" starts afresh (${lang})`, async ({ page }) => {
      test.setTimeout(60_000);
      await page.goto(`/join/${inviteCode()}`);
      await page.getByLabel(/^(Your name|Tu nombre)$/).fill(`Follow ${lang} ${test.info().repeatEachIndex}`);
      await page.getByRole('button', { name: /^(Join|Entrar)$/ }).click();
      await expect(page).toHaveURL(`${baseURL}/`);
      // A slow phone: the first message is typed and sent before the app has started.
      const held = await slowCode(page);
      await page.goto('/bartender');
      await say(page, words.first);
      expect(held()).toBeGreaterThan(0);
      const first = await shown(page, 0);
      expect(first.length).toBeGreaterThan(0);
      const strongest = Math.max(...first.map((d) => d.abv));

      // "Lighter than that": only drinks under the last answer's strongest, none of them again.
      await say(page, words.lighter);
      const lighter = await shown(page, 1);
      expect(lighter.length).toBeGreaterThan(0);
      for (const drink of lighter) {
        expect(drink.abv, drink.name).toBeLessThanOrEqual(strongest);
        expect(first.map((d) => d.name), drink.name).not.toContain(drink.name);
      }

      // "The second one": the second drink of the last answer comes first.
      await say(page, words.second);
      const second = await shown(page, 2);
      expect(second[0].name).toBe(lighter[Math.min(1, lighter.length - 1)].name);

      // A new conversation: the chat starts empty, the taste profile stays, and the page says so
      // after a reload too.
      await page.getByRole('button', { name: words.restart }).click();
      await expect(page.getByTestId('chat-guest')).toHaveCount(0);
      await expect(page.getByText(words.empty)).toBeVisible();
      await page.reload();
      await expect(page.getByTestId('chat-guest')).toHaveCount(0);
      await expect(page.getByRole('button', { name: words.restart })).toHaveCount(0);
    });

    test(`ordering in the chat waits for "${words.yes}", and the bartender knows where the drink is (${lang})`, async ({ page }) => {
      test.setTimeout(60_000);
      await page.goto(`/join/${inviteCode()}`);
      await page.getByLabel(/^(Your name|Tu nombre)$/).fill(`Chat order ${lang} ${test.info().repeatEachIndex}`);
      await page.getByRole('button', { name: /^(Join|Entrar)$/ }).click();
      await expect(page).toHaveURL(`${baseURL}/`);
      // A slow phone: the first message is typed and sent before the app has started.
      const held = await slowCode(page);
      await page.goto('/bartender');
      await say(page, words.first);
      expect(held()).toBeGreaterThan(0);
      const first = (await shown(page, 0))[0].name;

      // Asked for, offered: one card with the drink and the confirmation, and nothing ordered yet.
      await say(page, words.have);
      const offer = page.getByTestId('chat-bartender').nth(1).getByTestId('chat-card');
      await expect(offer).toHaveCount(1);
      await expect(offer).toContainText(first);
      await page.goto('/orders');
      await expect(page.getByTestId('order')).toHaveCount(0);

      // The offer is still there; "Yes" orders through the same door as the drink page.
      await page.goto('/bartender');
      await appStarted(page);
      await page.getByRole('button', { name: words.yes }).click();
      await expect(page.getByTestId('ordered')).toContainText(words.ordered);
      await page.goto('/orders');
      await expect(page.getByTestId('order')).toHaveCount(1);
      await expect(page.getByTestId('order-status')).toHaveText(words.queued);

      await page.goto('/bartender');
      await say(page, words.where);
      await expect(page.getByTestId('chat-bartender').last()).toContainText(first);
      await expect(page.getByTestId('chat-bartender').last()).toContainText(words.inQueue);
    });
  });
}

test('a message that could not be sent stays in the box, and Retry sends it', async ({ page }) => {
  await join(page, `Retry ${test.info().repeatEachIndex}`);
  await openChat(page);
  // The party Wi-Fi drops the request.
  await page.route('**/api/bartender/ask_bartender', (route) => route.abort('internetdisconnected'));
  await page.getByLabel('Message').fill('something with ginger');
  await page.getByLabel('Message').press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Could not reach the bar' })).toBeVisible();
  await expect(page.getByLabel('Message')).toHaveValue('something with ginger');
  await page.unroute('**/api/bartender/ask_bartender');
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('chat-guest')).toHaveText('something with ginger');
  await expect(page.getByTestId('chat-card').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await expect(page.getByLabel('Message')).toHaveValue('');
});

test('without an invite the chat asks the visitor to join', async ({ page }) => {
  await page.goto('/bartender');
  await expect(page.getByText('Join the party to chat with the bartender.')).toBeVisible();
});
