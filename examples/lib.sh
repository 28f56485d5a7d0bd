# Shared by the example scripts: process bookkeeping, waiting, narration.
# Source it after setting ROOT (the repository root).
set -euo pipefail

HELPERS="$ROOT/Tests/EndToEnd"
RETMPL="${RETMPL:-$ROOT/.build/debug/retmpl}"
PIDS=()

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
note() { printf '   %s\n' "$*"; }

need() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y haproxy nginx wrk)" >&2; exit 1; }
    done
}

build_retmpl() {
    if [ ! -x "$RETMPL" ]; then
        say "building retmpl (swift build)"
        (cd "$ROOT" && swift build --product retmpl)
    fi
}

# start NAME CMD...: runs CMD in a session of its own, so cleanup can end its whole group.
start() {
    local name=$1; shift
    setsid "$@" >"$WORK/$name.log" 2>&1 &
    PIDS+=($!)
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for (( i=${#PIDS[@]}-1; i>=0; i-- )); do kill -TERM -- "-${PIDS[i]}" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
    exit "$status"
}

# wait_port PORT: until something listens on 127.0.0.1:PORT (bounded: 10 s).
wait_port() {
    for _ in $(seq 200); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}

# wait_lines FILE N: until FILE has at least N lines (bounded: 15 s). Used on
# the reload stamp file: retmpl's command appends a line per completed reload.
wait_lines() {
    for _ in $(seq 300); do
        [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
        sleep 0.05
    done
    echo "timed out waiting for $1 to reach $2 lines" >&2; return 1
}

reloads() { if [ -f "$STAMPS" ]; then wc -l <"$STAMPS"; else echo 0; fi; }

# registry ARGS...: change the registry (snapshot file or the fake Consul).
registry() {
    if [ -n "${CONSUL_URL:-}" ]; then
        python3 "$HELPERS/registry.py" --consul "$CONSUL_URL" "$@"
    else
        python3 "$HELPERS/registry.py" --snapshot "$REGISTRY" "$@"
    fi
}

# change DESCRIPTION REGISTRY-ARGS...: apply a registry change and wait for the reload it causes.
change() {
    local what=$1; shift
    local before; before=$(reloads)
    say "$what"
    registry "$@"
    wait_lines "$STAMPS" $((before + 1))
    note "proxy reloaded (reload #$((before + 1)))"
}

# ask N [HOST]: N requests through the proxy on port $PORT; prints who answered
# (the backend's name), 503:maintenance for the maintenance page, or connection-error.
ask() {
    local out=() r code
    for _ in $(seq "$1"); do
        if r=$(curl -s -m 5 -w '\n%{http_code}' -H "Host: ${2:-localhost}" "http://127.0.0.1:$PORT/"); then
            code=${r##*$'\n'}
            case $code in
                2*) out+=("${r%%$'\n'*}") ;;
                503) if grep -q Maintenance <<<"$r"; then out+=("503:maintenance"); else out+=("503"); fi ;;
                *) out+=("$code") ;;
            esac
        else
            out+=("connection-error")
        fi
    done
    note "curl x$1 -> ${out[*]}"
}

# start_consul: the fake Consul (Tests/Support/fake-consul), for --consul runs.
start_consul() {
    start consul python3 "$ROOT/Tests/Support/fake-consul/fake_consul.py" --port "$CONSUL_PORT" --no-jitter
    wait_port "$CONSUL_PORT"
    CONSUL_URL="http://127.0.0.1:$CONSUL_PORT"
}
