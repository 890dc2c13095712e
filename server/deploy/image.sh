#!/usr/bin/env bash
# `make image`: the release server (statically linked, musl) and its site files as a container
# image, assembled from nothing (FROM scratch) with buildah: no registry is pulled from, no shell or
# package manager ends up inside. Run it with a volume on /data (see the README, "Run it at home").
#
#   /app/server     the binary (entrypoint; `serve` is the default command)
#   /app/hash.txt   the bundle hashes the pages name (read from beside the binary)
#   /app/site       pkg/ and the public files (BARBACK_SITE_ROOT)
#   /data           the volume: the SQLite database, photos, the upload-signing key
#   /etc/ssl/certs  Debian's CA certificates (S3, Bedrock, Cognito, DSQL over TLS)
#
# It runs as barback (65532), answers its health check with `/app/server healthcheck`, and its
# files carry one fixed timestamp, so the same inputs give the same layer.
set -euo pipefail
cd "$(dirname "$0")/../.."
image="${IMAGE:-localhost/barback:latest}"
binary="${IMAGE_BINARY:-target/x86_64-unknown-linux-musl/release/server}"
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot BUILDAH_FORMAT=docker

for need in "$binary" target/release/hash.txt target/site/pkg; do
  [ -e "$need" ] || { echo "missing $need: run make build and the musl build first (make image does both)" >&2; exit 1; }
done
if readelf -l "$binary" | grep -q "program interpreter"; then
  echo "$binary is dynamically linked; the image needs a static binary" >&2
  exit 1
fi

root="$(mktemp -d /tmp/barback-image.XXXXXX)"
ctr=""
cleanup() {
  [ -n "$ctr" ] && buildah rm "$ctr" >/dev/null 2>&1 || true
  rm -rf "$root"
}
trap cleanup EXIT

mkdir -p "$root/app" "$root/etc/ssl/certs" "$root/data" "$root/tmp"
install -m 0755 "$binary" "$root/app/server"
strip "$root/app/server"
install -m 0644 target/release/hash.txt "$root/app/hash.txt"
cp -r target/site "$root/app/site"
install -m 0644 /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/sbin/nologin\nbarback:x:65532:65532:Barback:/data:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nbarback:x:65532:\n' >"$root/etc/group"
chmod -R u=rwX,go=rX "$root/app" "$root/etc"
chown -R 0:0 "$root"
chown 65532:65532 "$root/data"
chmod 0700 "$root/data"
chmod 1777 "$root/tmp"
find "$root" -exec touch -h -d @0 {} +

ctr="$(buildah from scratch)"
mnt="$(buildah mount "$ctr")"
cp -a "$root/." "$mnt/"
buildah umount "$ctr" >/dev/null

version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
revision="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
buildah config \
  --label org.opencontainers.image.title=Barback \
  --label "org.opencontainers.image.description=A self-hostable AI bartender" \
  --label "org.opencontainers.image.version=$version" \
  --label "org.opencontainers.image.revision=$revision" \
  --label org.opencontainers.image.licenses=MIT \
  --user 65532:65532 \
  --workingdir /data \
  --volume /data \
  --port 3000/tcp \
  --env BARBACK_ADDR=0.0.0.0:3000 \
  --env DATABASE_URL=sqlite:///data/barback.db \
  --env BARBACK_DATA_DIR=/data \
  --env BARBACK_SITE_ROOT=/app/site \
  --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
  --entrypoint '["/app/server"]' \
  --cmd serve \
  --stop-signal SIGTERM \
  --healthcheck 'CMD /app/server healthcheck' \
  --healthcheck-interval 30s \
  --healthcheck-timeout 5s \
  --healthcheck-start-period 10s \
  --healthcheck-retries 3 \
  "$ctr"
buildah commit --quiet --timestamp 0 --rm "$ctr" "$image" >/dev/null
ctr=""

size="$(buildah images --format '{{.Size}}' "$image" | head -n 1)"
echo "Built $image ($size; binary $(du -h "$root/app/server" | cut -f1), site $(du -sh "$root/app/site" | cut -f1))"
