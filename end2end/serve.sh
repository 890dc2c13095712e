#!/usr/bin/env bash
# Starts the release server for Playwright on a fresh, seeded SQLite database with a known host
# account. Tests create their own invite codes with the CLI (see tests/helpers.ts).
set -euo pipefail
data="end2end/.data"
rm -rf "$data" && mkdir -p "$data"
export DATABASE_URL="sqlite://$data/e2e.db"
export BARBACK_ADDR="127.0.0.1:${E2E_PORT:-3100}"
target/release/server seed >/dev/null
echo "e2e-host-password" | target/release/server admin create --username host >/dev/null
exec target/release/server serve
