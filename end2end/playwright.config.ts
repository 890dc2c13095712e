import { defineConfig, devices } from '@playwright/test';
import path from 'node:path';

// Debian's Chromium: Playwright cannot download its own browser here.
const launchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

// The release build, on its own port and a fresh SQLite database seeded with the demo bar.
const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  workers: 2,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    // Route interception (slowCode) must see every request; app.spec.ts lets the worker in.
    serviceWorkers: 'block',
  },
  projects: [
    {
      // Guests are on their phones.
      name: 'guest',
      testIgnore: /bar\.spec\.ts/,
      use: { ...devices['Pixel 7'], launchOptions },
    },
    {
      // The host changes the menu and stock, so these run after the guest journeys that count drinks.
      name: 'host',
      testMatch: /bar\.spec\.ts/,
      dependencies: ['guest'],
      use: { ...devices['Pixel 7'], launchOptions },
    },
  ],
  // The bar under test, a second bar on the next port of the same host (browsers share cookies
  // across ports: the two must keep their own sessions), and a third on Amazon Bedrock, through a
  // stand-in for its runtime on the port after (end2end/bedrock-stub.cjs).
  webServer: [
    {
      command: 'node end2end/bedrock-stub.cjs',
      cwd: path.resolve(__dirname, '..'),
      url: `http://127.0.0.1:${port + 3}/health`,
      env: { E2E_STUB_PORT: String(port + 3) },
      reuseExistingServer: false,
      timeout: 10_000,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
    },
    ...[
      { data: 'end2end/.data', port, bedrock: '' },
      { data: 'end2end/.data-2', port: port + 1, bedrock: '' },
      { data: 'end2end/.data-3', port: port + 2, bedrock: `http://127.0.0.1:${port + 3}` },
    ].map((bar) => ({
      command: 'bash end2end/serve.sh',
      cwd: path.resolve(__dirname, '..'),
      url: `http://127.0.0.1:${bar.port}/readyz`,
      env: { E2E_PORT: String(bar.port), E2E_DATA: bar.data, E2E_BEDROCK: bar.bedrock },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
    })),
  ],
});
