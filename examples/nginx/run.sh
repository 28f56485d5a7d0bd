#!/usr/bin/env bash
# nginx in front of `web`, kept up to date by retmpl: scale 1 -> 5, instances
# leave, one drains, all fail (maintenance page), recovery, and a registry
# value nginx rejects. nginx runs unprivileged from a prefix directory under a
# temporary directory. Everything on 127.0.0.1; Ctrl-C stops everything.
#
#   examples/nginx/run.sh            # registry = a snapshot file
#   examples/nginx/run.sh --consul   # registry = the fake Consul (HTTP API)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/examples/lib.sh"
need nginx curl python3 realpath
build_retmpl

PORT=${PORT:-18280}          # nginx's HTTP front
BASE=${BASE:-18281}          # web-1 on 18281 ... web-5 on 18285
CONSUL_PORT=${CONSUL_PORT:-18580}
WORK=$(mktemp -d /tmp/retmpl-nginx.XXXXXX)
REGISTRY=$WORK/registry.json
STAMPS=$WORK/reloads
PREFIX=$WORK/prefix          # nginx -p: pid, logs, temp dirs, maintenance socket
trap cleanup EXIT INT TERM
mkdir -p "$PREFIX"
# Started as root, nginx's workers run as `nobody` and must reach the
# maintenance socket under $PREFIX (mktemp -d makes the directory 0700).
chmod 755 "$WORK" "$PREFIX"
[ "${1:-}" = --consul ] && start_consul

# Everything below runs in $WORK, and retmpl's destination is the relative
# path `nginx.conf`: RETMPL_CANDIDATE is then relative too (see the check).
cd "$WORK"
export RETMPL_NGINX_LISTEN="127.0.0.1:$PORT" NGINX_PREFIX="$PREFIX"
NGINX=(nginx -p "$PREFIX" -e "$PREFIX/error.log")

say "starting 5 backends (python3), each answers with its name"
for i in 1 2 3 4 5; do
    start "web-$i" python3 "$HELPERS/backends.py" "web-$i=$((BASE + i - 1))"
    BACKEND_PID[i]=${PIDS[-1]}
done
for i in 1 2 3 4 5; do wait_port $((BASE + i - 1)); done

instances() { for i in "$@"; do printf 'web-%s=%s ' "$i" $((BASE + i - 1)); done; }

# tally N: N fresh requests (client keep-alive is off in nginx.ctmpl), counted per answer.
tally() {
    local r
    for _ in $(seq "$1"); do
        if r=$(curl -s -m 5 -w '\n%{http_code}' -H "Host: localhost" "http://127.0.0.1:$PORT/"); then
            case ${r##*$'\n'} in 2*) echo "${r%%$'\n'*}" ;; *) echo "${r##*$'\n'}" ;; esac
        else
            echo connection-error
        fi
    done | sort | uniq -c | awk '{ printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1 } END { print "" }' >"$WORK/tally"
    note "curl x$1 -> $(cat "$WORK/tally")"
}

# servers: the instance ports in the live nginx.conf, sorted, one line.
servers() { grep -oE '^ +server 127\.0\.0\.1:[0-9]+' nginx.conf | grep -oE '[0-9]+$' | sort | tr '\n' ' ' || true; }

# step DESCRIPTION "WEB-NUMBERS" REGISTRY-ARGS...: change the registry, then wait
# until the live nginx.conf lists exactly those instances and nginx has been
# reloaded since it was written. (Waiting for one reload is not enough with
# --consul: registry.py registers instances one PUT at a time, and retmpl may
# render an intermediate state first.)
step() {
    local what=$1 names=$2 want="" i; shift 2
    local shown=""
    for i in $names; do want+="$((BASE + i - 1)) "; shown+="web-$i "; done
    local before; before=$(reloads)
    say "$what"
    registry "$@"
    for _ in $(seq 300); do
        [ "$(servers)" = "$want" ] && [ "$(reloads)" -gt "$before" ] && [ "$STAMPS" -nt nginx.conf ] && break
        sleep 0.05
    done
    [ "$(servers)" = "$want" ] && [ "$STAMPS" -nt nginx.conf ] || { echo "nginx.conf did not converge to: $want" >&2; exit 1; }
    note "nginx reloaded ($(( $(reloads) - before )) reload(s), $(reloads) in all); upstream: ${shown:-maintenance socket only}"
}

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
  source      = "$ROOT/templates/nginx.ctmpl"
  destination = "nginx.conf"
  # nginx tests the candidate before it replaces the live file. With -p, nginx
  # resolves a relative -c (and -e) against the prefix, not the working
  # directory, and RETMPL_CANDIDATE is relative when the destination is: hence
  # realpath.
  check_command = "nginx -t -q -p $PREFIX -e $PREFIX/error.log -c \"\$(realpath \"\$RETMPL_CANDIDATE\")\""
  # SIGHUP to the master (what \`nginx -s reload\` does); returns once the new
  # workers run and no old worker still accepts.
  command = "python3 $HELPERS/reload.py nginx --pid-file $PREFIX/nginx.pid --stamp $STAMPS"
  command_timeout = "15s"
  rollback_on_failure = true
}
HCL
source_flag=(-snapshot "$REGISTRY")
[ -n "${CONSUL_URL:-}" ] && source_flag=(-consul-addr "$CONSUL_URL")

say "first render (retmpl -once), then nginx unprivileged: ${NGINX[*]} -c $WORK/nginx.conf"
"$RETMPL" "${source_flag[@]}" -template "$ROOT/templates/nginx.ctmpl:nginx.conf" -once 2>>"$WORK/retmpl.log"
"${NGINX[@]}" -t -q -c "$WORK/nginx.conf"
start nginx "${NGINX[@]}" -c "$WORK/nginx.conf" -g "daemon off;"
wait_port "$PORT"
note "nginx.conf: $WORK/nginx.conf (listen 127.0.0.1:$PORT; pid, logs, temp and maintenance socket in $PREFIX)"

say "retmpl daemon watching the registry"
start retmpl "$RETMPL" -config "$WORK/retmpl.hcl" "${source_flag[@]}" -log-level info
ask 6

step "scale web 1 -> 5" "1 2 3 4 5" set web --tags http,host=localhost $(instances 1 2 3 4 5)
ask 10
grep -E '^\s+server 127' nginx.conf | sed 's/^ */   nginx.conf| /'

step "web-4 and web-5 leave the registry" "1 2 3" set web --tags http,host=localhost $(instances 1 2 3)
ask 6

step "web-2 is tagged drain (maintenance): left out of the upstream" "1 3" \
    set web --tags http,host=localhost $(instances 1) "web-2=$((BASE + 1))+drain" $(instances 3)
tally 20
if grep -q web-2 "$WORK/tally"; then echo "web-2 was drained but answered" >&2; exit 1; fi
note "web-2 (still running, still registered) received none of the 20 requests"

step "web-2 back in service (drain tag removed)" "1 2 3" set web --tags http,host=localhost $(instances 1 2 3)
ask 6

step "all instances fail" "" set web --tags http,host=localhost "web-1=$BASE/critical" "web-2=$((BASE + 1))/critical" "web-3=$((BASE + 2))/critical"
note "no instance left: the upstream's only server is the maintenance socket"
ask 4
curl -s -H "Host: localhost" "http://127.0.0.1:$PORT/" | sed 's/^/   | /'; echo

step "recovery: web-1..3 passing again" "1 2 3" set web --tags http,host=localhost $(instances 1 2 3)
ask 6

say "a registry value nginx rejects: web-9 at no-such-host.invalid"
before=$(reloads)
live=$(sha256sum <nginx.conf)
registry set web --tags http,host=localhost $(instances 1 2 3) "web-9=no-such-host.invalid:8080"
for _ in $(seq 200); do grep -q "host not found" "$WORK/retmpl.log" && break; sleep 0.05; done
grep -m1 "host not found" "$WORK/retmpl.log" | sed 's/^/   retmpl: /' || { echo "the check did not reject the candidate" >&2; exit 1; }
[ "$(sha256sum <nginx.conf)" = "$live" ] || { echo "the live nginx.conf changed" >&2; exit 1; }
note "the check failed: live nginx.conf untouched (same sha256), no reload ($(reloads) reloads, was $before)"
ask 6

say "done: $(reloads) reloads; logs in $WORK (KEEP_WORK=1 keeps them)"
