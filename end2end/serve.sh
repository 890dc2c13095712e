#!/usr/bin/env bash
# Starts the release server for Playwright on a fresh, seeded SQLite database with a known host
# account. Tests create their own invite codes with the CLI (see tests/helpers.ts). A second bar
# (E2E_DATA=end2end/.data-2, the next port) shares the machine, as two bars on one host would.
set -euo pipefail
data="${E2E_DATA:-end2end/.data}"
rm -rf "$data" && mkdir -p "$data"
export DATABASE_URL="sqlite://$data/e2e.db"
export BARBACK_ADDR="127.0.0.1:${E2E_PORT:-3100}"
# Every test guest joins from this machine's one address; a test that needs a client address of
# its own names it in X-Forwarded-For.
export BARBACK_JOINS_PER_10_MIN=1000
export BARBACK_TRUSTED_PROXIES=127.0.0.1
# The bar on Bedrock (E2E_BEDROCK: the stub's address, end2end/bedrock-stub.cjs): its background
# work embeds drinks and makes proposed photos there.
if [ -n "${E2E_BEDROCK:-}" ]; then
  export BARBACK_AI=bedrock BARBACK_BEDROCK_MODEL=amazon.nova-lite-v1:0 BARBACK_BEDROCK_ENDPOINT="$E2E_BEDROCK"
  export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=AKIDBARBACKE2E AWS_SECRET_ACCESS_KEY=barback-e2e-secret
  export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
fi
target/release/server seed >/dev/null
echo "e2e-host-password" | target/release/server admin create --username host >/dev/null
exec target/release/server serve
