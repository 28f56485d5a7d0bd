#!/usr/bin/env bash
# Differential testing: random templates rendered by retmpl and by a
# reference renderer with the same command-line contract (Go's text/template
# with consul-template's functions), compared by exit class and exact bytes.
#
#   scripts/differential/run.sh REFERENCE_RUN FROM TO [--safe]
#
# REFERENCE_RUN is the reference's `run TEMPLATE SNAPSHOT` command. Uses the
# release build (`swift build -c release --product retmpl`). Outputs that
# differ only in pointer addresses (`%v` of a pointer) count as equal.
# Differing templates and both outputs are kept in the work directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
reference="$1"; from="$2"; to="$3"; mode="${4:-}"
retmpl="$here/../../.build/release/retmpl"
work="$(mktemp -d)"
cp "$here/snapshot.json" "$work/"
cd "$work"
diffs=0; rendered=0; failed=0
for s in $(seq "$from" "$to"); do
  python3 "$here/generate.py" "$s" $mode > "t$s.ctmpl"
  set +e
  "$reference" "t$s.ctmpl" snapshot.json > ref.out 2> ref.err; a=$?
  "$retmpl" render -snapshot snapshot.json "t$s.ctmpl" > got.out 2> got.err; b=$?
  set -e
  if [ "$a" = "$b" ] && { [ "$a" != 0 ] || cmp -s ref.out got.out ||
      diff <(sed -E 's/0x[0-9a-f]+/PTR/g' ref.out) <(sed -E 's/0x[0-9a-f]+/PTR/g' got.out) > /dev/null; }; then
    if [ "$a" = 0 ]; then rendered=$((rendered + 1)); else failed=$((failed + 1)); fi
    rm "t$s.ctmpl"
  else
    diffs=$((diffs + 1))
    cp ref.out "t$s.ref"; cp got.out "t$s.got"; cp ref.err "t$s.referr"; cp got.err "t$s.goterr"
    echo "DIFF seed $s: exit $a (reference) vs $b (retmpl)"
  fi
done
echo "$((to - from + 1)) templates: $rendered rendered alike, $failed failed in both, $diffs differ (kept in $work)"
[ "$diffs" = 0 ]
