#!/usr/bin/env bash
# The Python client's tests in a fresh venv against the release adenv binary (built if missing).
# Usage: bash scripts/test-python.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv
    else
        echo "test-python: python3-venv is missing (run as root to install it)" >&2
        exit 1
    fi
fi

if [ -z "${ADENV_BINARY:-}" ]; then
    if [ ! -x .build/release/adenv ]; then
        source scripts/setup.sh
        swift build -c release --product adenv
    fi
    export ADENV_BINARY="$PWD/.build/release/adenv"
fi

venv="${ADENV_PYTHON_VENV:-$PWD/.venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r clients/python/requirements-test.txt
"$venv/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps ./clients/python

echo "== python client tests (ADENV_BINARY=$ADENV_BINARY)"
# Run from the tests directory so the installed package (not the source tree) is what gets imported.
cd clients/python/tests
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider "$@" .
