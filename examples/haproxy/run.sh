#!/usr/bin/env bash
# haproxy in front of `web`, kept up to date by retmpl: scale 1 -> 5, instances
# leave, one fails, all fail (maintenance page), recovery. Hitless reloads in
# master-worker mode. Everything on 127.0.0.1; Ctrl-C stops everything.
#
#   examples/haproxy/run.sh            # registry = a snapshot file
#   examples/haproxy/run.sh --consul   # registry = the fake Consul (HTTP API)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/examples/lib.sh"
need haproxy curl python3
build_retmpl

PORT=${PORT:-18080}          # haproxy's HTTP front
BASE=${BASE:-18081}          # web-1 on 18081 ... web-5 on 18085
CONSUL_PORT=${CONSUL_PORT:-18500}
WORK=$(mktemp -d /tmp/retmpl-haproxy.XXXXXX)
REGISTRY=$WORK/registry.json
STAMPS=$WORK/reloads
trap cleanup EXIT INT TERM
[ "${1:-}" = --consul ] && start_consul

export RETMPL_HAPROXY_BIND="127.0.0.1:$PORT"

say "starting 5 backends (python3), each answers with its name"
for i in 1 2 3 4 5; do
    start "web-$i" python3 "$HELPERS/backends.py" "web-$i=$((BASE + i - 1))"
    BACKEND_PID[i]=${PIDS[-1]}
done
for i in 1 2 3 4 5; do wait_port $((BASE + i - 1)); done

instances() { for i in "$@"; do printf 'web-%s=%s ' "$i" $((BASE + i - 1)); done; }

say "registry: web has 1 instance (web-1), tagged http and host=localhost"
registry set web --tags http,host=localhost $(instances 1)
[ -z "${CONSUL_URL:-}" ] && note "registry file: $REGISTRY"

cat >"$WORK/retmpl.hcl" <<HCL
# retmpl's configuration (consul-template's HCL).
wait {
  min = "50ms"
  max = "250ms"
}
template {
  source      = "$ROOT/templates/haproxy.ctmpl"
  destination = "$WORK/haproxy.cfg"
  # The candidate is checked by haproxy itself before it replaces the live file.
  check_command = "haproxy -c -f \"\$RETMPL_CANDIDATE\""
  # Hitless reload through the master CLI; returns when the new worker runs.
  command = "python3 $HELPERS/reload.py haproxy --master-socket $WORK/master.sock --stamp $STAMPS"
  command_timeout = "15s"
  rollback_on_failure = true
}
HCL
source_flag=(-snapshot "$REGISTRY")
[ -n "${CONSUL_URL:-}" ] && source_flag=(-consul-addr "$CONSUL_URL")

say "first render (retmpl -once), then haproxy in master-worker mode (-W -S master.sock)"
"$RETMPL" "${source_flag[@]}" -template "$ROOT/templates/haproxy.ctmpl:$WORK/haproxy.cfg" -once 2>>"$WORK/retmpl.log"
haproxy -c -q -f "$WORK/haproxy.cfg"
start haproxy haproxy -W -S "$WORK/master.sock" -f "$WORK/haproxy.cfg" -p "$WORK/haproxy.pid"
wait_port "$PORT"
note "haproxy.cfg: $WORK/haproxy.cfg"

say "retmpl daemon watching the registry"
start retmpl "$RETMPL" -config "$WORK/retmpl.hcl" "${source_flag[@]}" -log-level info
ask 6

change "scale web 1 -> 5" set web --tags http,host=localhost $(instances 1 2 3 4 5)
ask 10

change "web-4 and web-5 leave the registry" set web --tags http,host=localhost $(instances 1 2 3)
ask 6

say "web-2 fails (its process dies; the registry has not noticed yet)"
kill -TERM -- "-${BACKEND_PID[2]}"
note "haproxy retries and redispatches to another server (retries 2, option redispatch):"
ask 6
change "the health check marks web-2 critical" set web --tags http,host=localhost $(instances 1) "web-2=$((BASE + 1))/critical" $(instances 3)
ask 6

change "all instances fail" set web --tags http,host=localhost "web-1=$BASE/critical" "web-2=$((BASE + 1))/critical" "web-3=$((BASE + 2))/critical"
note "no server left: haproxy answers the maintenance page, never a connection error"
ask 4
curl -s -H "Host: localhost" "http://127.0.0.1:$PORT/" | sed 's/^/   | /'; echo

say "web-2 restarts"
start web-2b python3 "$HELPERS/backends.py" "web-2=$((BASE + 1))"
wait_port $((BASE + 1))
change "recovery: web-1..3 passing again" set web --tags http,host=localhost $(instances 1 2 3)
ask 6

say "a registry value haproxy rejects: web-9 at no-such-host.invalid"
before=$(reloads)
registry set web --tags http,host=localhost $(instances 1 2 3) "web-9=no-such-host.invalid:8080"
for _ in $(seq 100); do grep -q "could not resolve" "$WORK/retmpl.log" && break; sleep 0.05; done
grep -m1 "could not resolve" "$WORK/retmpl.log" | sed 's/^/   retmpl: /' || true
note "the check failed: live haproxy.cfg untouched, no reload ($(reloads) reloads, was $before)"
ask 6

say "done: $(reloads) reloads; logs in $WORK (KEEP_WORK=1 keeps them)"
