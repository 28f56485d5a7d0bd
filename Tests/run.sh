#!/usr/bin/env bash
# The whole test suite: installs what the build and the end-to-end tests need
# (haproxy, nginx, wrk, libssl-dev, openssl from Debian's packages) when
# missing, then runs the fake Consul's self-tests and every Swift test target.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# libssl-dev: the COpenSSL system library (HTTPS to Consul) builds against it;
# openssl: the TLS tests make their certificates with its CLI.
missing=()
command -v haproxy >/dev/null || missing+=(haproxy)
command -v nginx >/dev/null || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
[ -f /usr/include/openssl/ssl.h ] || missing+=(libssl-dev)
command -v openssl >/dev/null || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then apt=(); else apt=(sudo); fi
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" apt-get install -y -qq "${missing[@]}"
fi
python3 --version
(cd Tests/Support/fake-consul && python3 -m unittest -q test_fake_consul)
swift build --build-tests
swift test --skip-build
