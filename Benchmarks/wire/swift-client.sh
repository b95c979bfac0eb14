#!/usr/bin/env bash
# The Swift client against a local `adenv serve` (separate process), release build.
# Usage: Benchmarks/wire/swift-client.sh [ENV_ID] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
id="${1:-AdMarket-v0}"
seconds="${2:-3}"
swift build -c release --product adenv >/dev/null
bin=.build/release/adenv
ready=$(mktemp)
"$bin" serve --bind 'tcp://127.0.0.1:*' >"$ready" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$ready"' EXIT
until grep -q '^READY ' "$ready"; do sleep 0.05; done
endpoint=$(cut -d' ' -f2 "$ready")
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" perf-remote "$id" --endpoint "$endpoint" --envs 256 --seconds "$seconds"
