#!/usr/bin/env bash
# `make image-smoke` (part of `make test`): the image built by `make image`, exercised against a
# fresh SQLite database. Its configuration is checked (non-root user, health check, volume,
# entrypoint, a static binary); then its own binary and files serve the bar: with podman when
# podman can run containers here, otherwise straight from the image's root filesystem (mounted
# with buildah). Either way: `seed` on an empty volume, `/readyz`, the menu, a join page, the
# page's own hashed bundle, and the health check command.
set -euo pipefail
cd "$(dirname "$0")/../.."
image="${IMAGE:-localhost/barback:latest}"
port="${SMOKE_PORT:-3290}"
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot
work="$(mktemp -d /tmp/barback-smoke.XXXXXX)"
chmod 755 "$work"
server_pid=""
container=""
ctr=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$container" ] && "${podman[@]}" rm -f "$container" >/dev/null 2>&1 || true
  [ -n "$ctr" ] && buildah rm "$ctr" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "image smoke test FAILED: $*" >&2
  [ -f "$work/server.log" ] && tail -n 30 "$work/server.log" >&2
  exit 1
}

echo "== the image's configuration =="
buildah inspect --type image "$image" >"$work/inspect.json"
python3 - "$work/inspect.json" <<'PY' || fail "configuration"
import json, sys
info = json.load(open(sys.argv[1]))
config = info["Docker"]["config"]
checks = {
    "runs as a non-root user": config.get("User") == "65532:65532",
    "entrypoint is the server": config.get("Entrypoint") == ["/app/server"],
    "default command serves": config.get("Cmd") == ["serve"],
    "/data is a volume": "/data" in (config.get("Volumes") or {}),
    "port 3000 is exposed": "3000/tcp" in (config.get("ExposedPorts") or {}),
    "health check runs the server's own check": (config.get("Healthcheck") or {}).get("Test")
        == ["CMD", "/app/server", "healthcheck"],
    "the database is on the volume": "DATABASE_URL=sqlite:///data/barback.db" in config.get("Env", []),
    "one layer, built from scratch": len(info["Docker"]["rootfs"]["diff_ids"]) == 1,
}
for name, ok in checks.items():
    print(f"  {'ok' if ok else 'FAILED'}: {name}")
sys.exit(0 if all(checks.values()) else 1)
PY

# The image's files, as the container sees them.
ctr="$(buildah from --pull-never "$image")"
rootfs="$(buildah mount "$ctr")"
readelf -l "$rootfs/app/server" | grep -q "program interpreter" && fail "the binary is not static"
for path in app/hash.txt app/site/pkg etc/ssl/certs/ca-certificates.crt etc/passwd; do
  [ -e "$rootfs/$path" ] || fail "/$path is missing"
done
[ "$(stat -c %u "$rootfs/data")" = 65532 ] || fail "/data is not owned by the server's user"
echo "  ok: static binary, hash.txt, site, CA certificates, /data owned by 65532"

mkdir -p "$work/data"
chown 65532:65532 "$work/data"
url="http://127.0.0.1:$port"
mode=""
# On this kind of machine crun cannot run with the host's hybrid cgroups and podman's default
# limits exceed the host's: runc, with limits inside the host's, works.
podman=(podman)
command -v runc >/dev/null && podman+=(--runtime runc)
limits=(--ulimit "nofile=4096:4096" --ulimit "nproc=4096:4096")
if command -v podman >/dev/null &&
  "${podman[@]}" run --rm --pull=never --network none "${limits[@]}" "$image" --version >"$work/podman.log" 2>&1; then
  mode="podman"
  echo "== running the image with podman =="
  run_in_image() {
    "${podman[@]}" run --rm --pull=never --network host "${limits[@]}" -v "$work/data:/data" \
      -e "BARBACK_ADDR=127.0.0.1:$port" "$image" "$@"
  }
  run_in_image seed >"$work/seed.log" 2>>"$work/podman.log"
  container="barback-smoke-$$"
  "${podman[@]}" run -d --pull=never --name "$container" --network host "${limits[@]}" -v "$work/data:/data" \
    -e "BARBACK_ADDR=127.0.0.1:$port" "$image" >/dev/null 2>>"$work/podman.log"
  logs() { "${podman[@]}" logs "$container" >"$work/server.log" 2>&1 || true; }
  # What the image's HEALTHCHECK runs, inside the running container.
  # (Without systemd podman cannot schedule it, and says so in podman.log; run on demand, it works.)
  healthcheck() { "${podman[@]}" healthcheck run "$container"; }
else
  mode="root filesystem"
  echo "== podman cannot run containers here ($(tail -n 1 "$work/podman.log" 2>/dev/null)); running the image's files from its root filesystem =="
  # The same environment the image sets, with the paths moved under the mount.
  export BARBACK_ADDR="127.0.0.1:$port" DATABASE_URL="sqlite://$work/data/barback.db" \
    BARBACK_DATA_DIR="$work/data" BARBACK_SITE_ROOT="$rootfs/app/site" \
    SSL_CERT_FILE="$rootfs/etc/ssl/certs/ca-certificates.crt" RUST_LOG=warn
  run_in_image() { "$rootfs/app/server" "$@"; }
  run_in_image seed >"$work/seed.log" 2>"$work/seed-errors.log"
  "$rootfs/app/server" serve >"$work/server.log" 2>&1 &
  server_pid=$!
  logs() { :; }
  healthcheck() { "$rootfs/app/server" healthcheck; }
fi

for _ in $(seq 100); do curl -fs "$url/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
logs
curl -fs "$url/readyz" >/dev/null || fail "/readyz did not answer"
echo "  ok: /readyz"
grep -q "Seeded the demo bar" "$work/seed.log" || fail "seed did not seed a fresh database: $(cat "$work/seed.log")"
invite="$(sed -n 's#.*/join/\([A-Za-z0-9-]*\).*#\1#p' "$work/seed.log" | head -n 1)"
[ -n "$invite" ] || fail "seed printed no invite"

curl -fs "$url/" -o "$work/menu.html" || fail "the menu did not answer"
grep -q 'data-testid="drink-card"' "$work/menu.html" || fail "the menu lists no drinks"
build="$(sed -n 's#.*<meta name="barback-build" content="\([^"]*\)".*#\1#p' "$work/menu.html")"
[ -n "$build" ] && [ "$build" != dev ] || fail "the page names no hashed build (hash.txt not read?)"
echo "  ok: the menu, build $build"

bundle="$(grep -o '/pkg/barback\.[A-Za-z0-9_-]*\.js' "$work/menu.html" | head -n 1)"
[ -n "$bundle" ] || fail "the menu names no hashed script"
cache="$(curl -fsS -o /dev/null -D - "$url$bundle" | tr -d '\r' | sed -n 's/^cache-control: //Ip')"
[[ "$cache" == *immutable* ]] || fail "$bundle: cache-control $cache"
echo "  ok: $bundle ($cache)"

curl -fs "$url/join/$invite" | grep -q 'Join' || fail "the join page did not answer"
echo "  ok: /join/$invite"

healthcheck >/dev/null || fail "the health check command failed"
echo "  ok: /app/server healthcheck"
echo "Image smoke test passed ($mode)."
