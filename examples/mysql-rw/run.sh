#!/usr/bin/env bash
# MySQL read/write split with haproxy in TCP mode (templates/haproxy-mysql.ctmpl),
# kept up to date by retmpl. Line-echo servers (backends.py --tcp-echo) stand in
# for MySQL: each answers "NAME: LINE", so every reply shows which database a
# connection reached. Writes go to the `primary`, reads balance over the
# `replica`s; the primary fails, a replica is promoted, a replica is added, the
# replicas fail. Everything on 127.0.0.1; Ctrl-C stops everything.
#
#   examples/mysql-rw/run.sh            # registry = a snapshot file
#   examples/mysql-rw/run.sh --consul   # registry = the fake Consul (HTTP API)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/examples/lib.sh"
need haproxy python3
build_retmpl

WRITE_PORT=${WRITE_PORT:-18306}
READ_PORT=${READ_PORT:-18307}
BASE=${BASE:-18311}          # db-1 on 18311 ... db-4 on 18314
CONSUL_PORT=${CONSUL_PORT:-18590}
WORK=$(mktemp -d /tmp/retmpl-mysql.XXXXXX)
REGISTRY=$WORK/registry.json
STAMPS=$WORK/reloads
CFG=$WORK/haproxy.cfg
trap cleanup EXIT INT TERM
[ "${1:-}" = --consul ] && start_consul

export RETMPL_MYSQL_WRITE_BIND="127.0.0.1:$WRITE_PORT" RETMPL_MYSQL_READ_BIND="127.0.0.1:$READ_PORT"

say "starting 4 TCP echo servers standing in for MySQL (db-1 ... db-4)"
for i in 1 2 3 4; do
    start "db-$i" python3 "$HELPERS/backends.py" --tcp-echo "db-$i=$((BASE + i - 1))"
    BACKEND_PID[i]=${PIDS[-1]}
done
for i in 1 2 3 4; do wait_port $((BASE + i - 1)); done

db() { printf 'db-%s=%s' "$1" $((BASE + $1 - 1)); }   # db N -> db-N=PORT

# query PORT TEXT...: one connection per line of TEXT (as a client pool
# opening fresh connections would); prints who answered.
query() {
    local port=$1 line reply t0 out=(); shift
    for line in "$@"; do
        t0=$EPOCHREALTIME
        if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
            printf '%s\n' "$line" >&3
            IFS= read -r -t 10 reply <&3 ||
                reply=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "(closed without an answer after %.2f s)", b - a }')
            exec 3<&- 3>&-
        else
            reply="(connection refused)"
        fi
        out+=("$reply")
    done 2>/dev/null
    printf '   %s\n' "${out[@]}"
}
writes() { note "writes -> 127.0.0.1:$WRITE_PORT"; query "$WRITE_PORT" "INSERT $1" "UPDATE $1" "DELETE $1"; }
reads() {
    local q=() i
    for i in $(seq "$1"); do q+=("SELECT $i"); done
    note "reads -> 127.0.0.1:$READ_PORT"; query "$READ_PORT" "${q[@]}"
}

# layout: the live haproxy.cfg's servers, e.g. "write: db-1 | read: db-2 db-3 db-1(backup)".
layout() {
    awk '/^listen /  { section = ($2 == "mysql-write") ? "write" : "read"; if (section == "read") out = out " | read:"; else out = out "write:" }
         /^ +server / { n = $2; sub(/^node-/, "", n); sub(/_.*/, "", n); out = out " " n ($4 == "backup" ? "(backup)" : "") }
         END { print out }' "$CFG"
}

# step DESCRIPTION LAYOUT REGISTRY-ARGS...: change the registry, then wait until
# the live haproxy.cfg has LAYOUT and haproxy was reloaded after it was written
# (with --consul a change is several PUTs, which retmpl may render in steps).
step() {
    local what=$1 want=$2 before; shift 2
    before=$(reloads)
    say "$what"
    registry "$@"
    for _ in $(seq 300); do
        [ "$(layout)" = "$want" ] && [ "$(reloads)" -gt "$before" ] && [ "$STAMPS" -nt "$CFG" ] && break
        sleep 0.05
    done
    [ "$(layout)" = "$want" ] && [ "$STAMPS" -nt "$CFG" ] || { echo "haproxy.cfg did not converge to: $want (has: $(layout))" >&2; exit 1; }
    note "haproxy reloaded; servers now: $want"
}

say "registry: mysql = db-1 (primary), db-2 and db-3 (replicas)"
registry set mysql "$(db 1)+primary" "$(db 2)+replica" "$(db 3)+replica"
[ -z "${CONSUL_URL:-}" ] && note "registry file: $REGISTRY"

cat >"$WORK/retmpl.hcl" <<HCL
# retmpl's configuration (consul-template's HCL).
wait {
  min = "50ms"
  max = "250ms"
}
template {
  source        = "$ROOT/templates/haproxy-mysql.ctmpl"
  destination   = "$CFG"
  check_command = "haproxy -c -f \"\$RETMPL_CANDIDATE\""
  command       = "python3 $HELPERS/reload.py haproxy --master-socket $WORK/master.sock --stamp $STAMPS"
  command_timeout = "15s"
  rollback_on_failure = true
}
HCL
source_flag=(-snapshot "$REGISTRY")
[ -n "${CONSUL_URL:-}" ] && source_flag=(-consul-addr "$CONSUL_URL")

say "first render (retmpl -once), then haproxy in master-worker mode (-W -S master.sock)"
"$RETMPL" "${source_flag[@]}" -template "$ROOT/templates/haproxy-mysql.ctmpl:$CFG" -once 2>>"$WORK/retmpl.log"
haproxy -c -q -f "$CFG"
start haproxy haproxy -W -S "$WORK/master.sock" -f "$CFG" -p "$WORK/haproxy.pid"
wait_port "$WRITE_PORT"; wait_port "$READ_PORT"
note "haproxy.cfg: $CFG"
note "servers: $(layout)"

say "retmpl daemon watching the registry"
start retmpl "$RETMPL" -config "$WORK/retmpl.hcl" "${source_flag[@]}" -log-level info
writes "t1"
reads 4

say "db-1 (the primary) dies; the registry has not noticed yet"
kill -TERM -- "-${BACKEND_PID[1]}"
note "haproxy retries the connect (3 x 1 s), then closes the client, until its own check (inter 2s fall 3) marks db-1 down; reads are unaffected:"
writes "t2"
reads 2

step "the health check marks db-1 critical" "write: | read: db-2 db-3" \
    set mysql "$(db 1)/critical+primary" "$(db 2)+replica" "$(db 3)+replica"
note "no healthy primary: mysql-write has no server, and the rendered config says so:"
sed -n '/^listen mysql-write/,/^$/p' "$CFG" | sed 's/^/   haproxy.cfg| /'
note "writes are closed at once (no proxy-side queueing), reads still balance over the replicas:"
writes "t3"
reads 2

step "failover: db-2 promoted (tag primary), db-1 leaves" "write: db-2 | read: db-3 db-2(backup)" \
    set mysql "$(db 2)+primary" "$(db 3)+replica"
writes "t4"
reads 3

step "a new replica db-4 registers" "write: db-2 | read: db-3 db-4 db-2(backup)" \
    set mysql "$(db 2)+primary" "$(db 3)+replica" "$(db 4)+replica"
reads 4

step "both replicas fail: reads fall back to the primary" "write: db-2 | read: db-2(backup)" \
    set mysql "$(db 2)+primary" "$(db 3)/critical+replica" "$(db 4)/critical+replica"
reads 2

say "done: $(reloads) reloads; logs in $WORK (KEEP_WORK=1 keeps them)"
