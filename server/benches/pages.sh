#!/usr/bin/env bash
# `make bench-pages`: the menu, a drink page and a static file from the release server against
# nginx serving the very same bytes on this machine. wrk, 2 threads, 32 connections,
# PAGES_SECONDS (10) per run, every request with its own X-Forwarded-For (the server trusts
# 127.0.0.1 as a proxy), so the per-client rate limit does not turn it into a 429 benchmark.
# Prints req/s, p50 and p99 and the ratio to nginx; any non-2xx answer fails the run, on either
# side (a fast 429 or 404 is not a fast page).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${PAGES_SECONDS:-10}"
port=3210
nginx_port=3211
work="$(mktemp -d /tmp/barback-pages.XXXXXX)"
# nginx drops root: its worker must be able to read what it serves.
chmod 755 "$work"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export DATABASE_URL="sqlite://$work/bench.db" BARBACK_ADDR="127.0.0.1:$port" BARBACK_DATA_DIR="$work/data"
export BARBACK_TRUSTED_PROXIES=127.0.0.1 RUST_LOG=warn
target/release/server seed >/dev/null
target/release/server serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 200); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

drink="$(curl -fs "http://127.0.0.1:$port/api/v1/drinks" | python3 -c 'import json, sys; print(json.load(sys.stdin)["drinks"][0]["id"])')"
www="$work/www"
mkdir -p "$www/drinks"
curl -fs "http://127.0.0.1:$port/" -o "$www/index.html"
curl -fs "http://127.0.0.1:$port/drinks/$drink" -o "$www/drinks/$drink.html"
cp target/site/favicon.svg "$www/favicon.svg"
find "$www" -type d -exec chmod 755 {} + && find "$www" -type f -exec chmod 644 {} +

cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $www;
    location = / { default_type text/html; try_files /index.html =404; }
    location /drinks/ { default_type text/html; try_files \$uri.html =404; }
  }
}
CONF
nginx -c "$work/nginx.conf"

# Each wrk thread numbers its requests; every request claims another client address.
cat >"$work/clients.lua" <<'LUA'
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = 0
function request()
  n = n + 1
  local ip = string.format("198.%d.%d.%d", 17 + tid, math.floor(n / 256) % 256, n % 256)
  return wrk.format(nil, nil, { ["X-Forwarded-For"] = ip })
end
LUA

# run URL → "req/s p50 p99" (latencies in ms); fails on any non-2xx answer.
run() {
  local out
  out="$(wrk -t2 -c32 -d"${seconds}s" --latency -s "$work/clients.lua" "$1")"
  if grep -q "Non-2xx" <<<"$out" || grep -q "Socket errors" <<<"$out"; then
    echo "$out" >&2
    echo "FAILED: $1 answered with errors (see above)" >&2
    exit 1
  fi
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
def ms(label):
    m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$" % label, out, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
print(f"{rps:.0f} {ms('50'):.2f} {ms('99'):.2f}")
PY
}

printf '%-22s %10s %8s %8s | %10s %8s %8s | %6s\n' "page ($seconds s each)" "barback/s" "p50 ms" "p99 ms" "nginx/s" "p50 ms" "p99 ms" "ratio"
for path in "/" "/drinks/$drink" "/favicon.svg"; do
  label="$path"
  [[ "$path" == /drinks/* ]] && label="/drinks/{id}"
  ours_run="$(run "http://127.0.0.1:$port$path")"
  nginx_run="$(run "http://127.0.0.1:$nginx_port$path")"
  read -r ours ours50 ours99 <<<"$ours_run"
  read -r theirs theirs50 theirs99 <<<"$nginx_run"
  ratio="$(python3 -c "print(f'{$ours / $theirs:.2f}x')")"
  printf '%-22s %10s %8s %8s | %10s %8s %8s | %6s\n' "$label" "$ours" "$ours50" "$ours99" "$theirs" "$theirs50" "$theirs99" "$ratio"
done
echo "bytes: / $(stat -c %s "$www/index.html"), drink page $(stat -c %s "$www/drinks/$drink.html"), favicon $(stat -c %s "$www/favicon.svg")"
