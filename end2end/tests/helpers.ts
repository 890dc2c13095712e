import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const root = path.resolve(__dirname, '..', '..');
export const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://127.0.0.1:${port}`;
export const host = { username: 'host', password: 'e2e-host-password' };

/** A fresh invite code, made with the real CLI against the server's database. */
export function inviteCode(uses = 1): string {
  const out = execFileSync(path.join(root, 'target/release/server'), ['invite', 'create', '--uses', String(uses), '--hours', '1'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: 'sqlite://end2end/.data/e2e.db', BARBACK_ADDR: `127.0.0.1:${port}`, RUST_LOG: 'warn' },
  }).toString();
  const match = /Invite code: (\w+)/.exec(out);
  if (!match) throw new Error(`no invite code in: ${out}`);
  return match[1];
}
