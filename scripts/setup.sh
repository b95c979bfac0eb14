#!/usr/bin/env bash
# Installs what AdEnv needs on a fresh Debian 12 machine (idempotent, quick when done before).
# The Swift 6 toolchain itself is expected at /opt/swift or on PATH.
set -euo pipefail

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
command -v swift >/dev/null 2>&1 || { echo "setup: no Swift toolchain found (expected /opt/swift/usr/bin/swift)" >&2; exit 1; }

# Debian packages the Swift toolchain and AdEnv need (libzmq3-dev for the server, python3-venv for the
# Python client's virtualenv).
packages=(binutils git libc6-dev libcurl4-openssl-dev libedit2 libgcc-12-dev libpython3-dev libsqlite3-0
          libstdc++-12-dev libxml2-dev libz3-dev libzmq3-dev pkg-config python3 python3-venv tzdata zlib1g-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "setup: installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        echo "setup: missing Debian packages (run as root to install): ${missing[*]}" >&2
    fi
fi
