#!/usr/bin/env bash
# Coverage-guided fuzzing of lex + parse + execute with libFuzzer.
#   Fuzz/run.sh [RUNS]        (default 1,000,000 executions)
# Seeds are the conformance cases' templates; crashes land in Fuzz/crashes/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-1000000}"
# gold trips over libFuzzer's debug info ("internal error in format_file_lineno"): link with lld.
swift build -c release --product retmpl-fuzz --scratch-path .build-fuzz \
  -Xswiftc -sanitize=fuzzer -Xswiftc -DRETMPL_FUZZ -Xswiftc -use-ld=lld
# Let libFuzzer handle traps (it saves the input); Swift's backtracer would take them first.
export SWIFT_BACKTRACE=enable=no
mkdir -p Fuzz/work Fuzz/crashes
for f in Tests/RetmplFunctionsTests/Cases/*/template.ctmpl; do
  cp "$f" "Fuzz/work/$(basename "$(dirname "$f")").ctmpl"
done
.build-fuzz/x86_64-unknown-linux-gnu/release/retmpl-fuzz -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix=Fuzz/crashes/ -print_final_stats=1 Fuzz/work
