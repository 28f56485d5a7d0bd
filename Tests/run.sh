#!/usr/bin/env bash
# The whole test suite: installs what the end-to-end tests need (haproxy,
# nginx, wrk from Debian's packages) when missing, then runs the fake Consul's
# self-tests and every Swift test target.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v haproxy >/dev/null || ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt=(); else apt=(sudo); fi
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" apt-get install -y -qq haproxy nginx wrk
fi
python3 --version
(cd Tests/Support/fake-consul && python3 -m unittest -q test_fake_consul)
swift build --build-tests
swift test --skip-build
