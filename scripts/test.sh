#!/usr/bin/env bash
# The whole test suite: set up, then the Swift tests in debug and in release (determinism and the
# golden digests must hold in both build modes), then the Python client's tests against a real
# server (the release `adenv` binary).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

echo "== swift build (warnings are errors)"
swift build --build-tests 2>&1 | tee /tmp/adenv-build.log
if grep -E "(Sources|Tests|Examples)/.*warning:" /tmp/adenv-build.log | grep -q .; then
    echo "test: the build printed warnings" >&2
    exit 1
fi

echo "== swift test (debug)"
swift test --skip-build
echo "== swift test (release)"
# `swift test` builds the library for testing (@testable); the command-line tests run the release
# `adenv` binary, built first.
swift build -c release --product adenv
swift test -c release

echo "== python client tests (pytest, against .build/release/adenv)"
ADENV_BINARY="$PWD/.build/release/adenv" bash scripts/test-python.sh
