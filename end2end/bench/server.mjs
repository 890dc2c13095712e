// The release server for a benchmark run: its own port and a fresh SQLite database with the demo
// bar, the CLI at hand (`cli`), stopped and cleaned up by `stop()`; and Debian's Chromium to load it.
import { chromium } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

export async function startServer(port) {
  const server = path.join(root, 'target', 'release', 'server');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'barback-bench-'));
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite://${work}/bench.db`,
    BARBACK_ADDR: `127.0.0.1:${port}`,
    BARBACK_DATA_DIR: `${work}/data`,
    RUST_LOG: 'warn',
  };
  const cli = (args, input) => execFileSync(server, args, { cwd: root, env, input }).toString();
  cli(['seed']);
  const child = spawn(server, ['serve'], { cwd: root, env, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    child.kill();
    fs.rmSync(work, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {}
    if (i === 200) {
      stop();
      throw new Error('the server did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const invite = () => /Invite code: (\w+)/.exec(cli(['invite', 'create', '--uses', '1', '--hours', '1']))[1];
  const firstDrink = async () => (await (await fetch(`${base}/api/v1/drinks`)).json()).drinks[0].id;
  return { base, cli, invite, firstDrink, stop };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// The cookies of a guest who joined with the invite `code`, for `browser.newContext({ storageState })`.
export async function guestSession(browser, base, code) {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto(`/join/${code}`);
  await page.getByLabel('Your name').fill('Bench');
  await page.getByRole('button', { name: 'Join' }).click();
  await page.waitForURL(`${base}/`);
  const state = await context.storageState();
  await context.close();
  return state;
}
