#!/usr/bin/env bash
# Builds the Debian package, installs it, and checks what was installed: the
# units pass `systemd-analyze verify` (and are rated by `systemd-analyze
# security`), and the installed binary, started as broadsheet.socket starts
# it, serves the bundled example article. Run by .ci/run, as root, on a
# machine with Debian's systemd package (systemd need not be running).
set -euo pipefail
cd "$(dirname "$0")/.."

# cargo-deb from crates.io; a no-op when this version is installed already.
cargo install cargo-deb --locked --quiet
# The release binary, built exactly as bench/http.sh builds it (so in CI this
# is a no-op: building the binary alone resolves dependency features without
# the examples' dev-dependencies and compiles a third of the tree again),
# and packaged as it is: `cargo deb` would build it again with its own settings.
cargo build --release --quiet --bin broadsheet --example gen_corpus --example gen_photo
deb=$(cargo deb --no-build --quiet | tail -n 1)
dpkg -i "$deb"

units=/usr/lib/systemd/system
systemd-analyze verify "$units/broadsheet.socket" "$units/broadsheet.service"
# --offline: CI runs in a container where systemd is not PID 1.
systemd-analyze security --offline=true "$units/broadsheet.service" | tail -n 1

# The installed binary on a socket passed by systemd-socket-activate, as the
# unit runs it, with the articles the package ships.
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
systemd-socket-activate --listen "$work/broadsheet.sock" --setenv=RUST_LOG=warn \
  /usr/bin/broadsheet serve --listen systemd --cache-dir off --articles /usr/share/broadsheet/articles &
server=$!
get() { curl --silent --show-error --fail --max-time 30 --unix-socket "$work/broadsheet.sock" "http://localhost$1"; }
for _ in $(seq 100); do [[ -S $work/broadsheet.sock ]] && break; sleep 0.1; done
# The first request starts the server, which answers 503 until the articles are in.
for _ in $(seq 300); do get /readyz >/dev/null 2>&1 && break; sleep 0.1; done
get /readyz >/dev/null
# Into a file, not a pipe: `grep -q` stops reading at the first match, and
# curl, cut off, would fail the pipeline.
get /articles/000_3ea0f84f1e61d9e9 >"$work/article.html"
grep -q 'US, South Korea and Japan slam' "$work/article.html"
kill -TERM "$server"
wait "$server"
echo "package check: installed $deb; units verified; the installed binary served the example article"
