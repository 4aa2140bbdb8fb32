#!/usr/bin/env bash
# Opt-outs at a fixed rate through HAProxy to two nodes while one of them is killed (SIGKILL) and started again: how
# the restarted node's first seconds weigh on the load, with HAProxy's slow start (its share rising over SLOWSTART
# seconds once its health check passes) or without (SLOWSTART=0). Everything on loopback.
#
#   LEDGER_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/ledger_bench LEDGER_DATABASE_USER=… LEDGER_DATABASE_PASSWORD=… \
#     SLOWSTART=30 bash benchmarks/node-restart.sh
#
# The database must be empty (a database of its own: the run adds opt-outs to it). Needs the built jar
# (mvn -B package -DskipTests), haproxy, go and curl. Both nodes are first warmed up through the balancer (a 30 s ramp,
# then WARM seconds at RATE); then RATE opt-outs/s for SECONDS, node 2 killed KILL_AT seconds in and started again at
# once. The load generator reports each WINDOW (10) seconds apart, by when its requests were due.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${LEDGER_DATABASE_URL:?a PostgreSQL database of its own for the benchmark}"
SLOWSTART=${SLOWSTART:-30}
RATE=${RATE:-2000}
WARM=${WARM:-60}
SECONDS_RUN=${SECONDS_RUN:-120}
KILL_AT=${KILL_AT:-10}
WINDOW=${WINDOW:-10}
work=$(mktemp -d /tmp/node-restart-bench.XXXXXX)
cleanup() {
  for p in $(cat "$work"/*.pid 2>/dev/null); do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

source benchmarks/nodes.sh
export_node_settings "$work"
ports=("$(free_port)" "$(free_port)")
for i in 1 2; do
  start_node "$work" "$i" "${ports[$((i - 1))]}"
  until node_ready "${ports[$((i - 1))]}"; do sleep 1; done # one after the other: the first creates the schema
done

lb=$(free_port)
slow=""
if [ "$SLOWSTART" -gt 0 ]; then slow="slowstart ${SLOWSTART}s"; fi
haproxy_config "$work/haproxy.cfg" "$lb" "$slow" "${ports[@]}"
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
echo $! >"$work/haproxy.pid"
await_balancer "$lb"

(cd benchmarks/loadgen && go build -o "$work/loadgen" .)
load() { "$work/loadgen" -url "http://127.0.0.1:$lb" -endpoint opt-outs -admin-password "$LEDGER_ADMIN_PASSWORD" "$@"; }
echo "warm-up through the balancer, both nodes:"
load -rate "$RATE" -ramp 30 -seconds "$WARM"

echo "$RATE opt-outs/s for $SECONDS_RUN s, node 2 killed at $KILL_AT s and started again (slowstart: ${SLOWSTART}s):"
load -rate "$RATE" -seconds "$SECONDS_RUN" -window "$WINDOW" >"$work/run.txt" &
loadgen=$!
t0=$(date +%s.%N)
since() { python3 -c "import sys; print(f'{float(sys.argv[1]) - float(sys.argv[2]):.1f}')" "$(date +%s.%N)" "$t0"; }
sleep "$KILL_AT"
kill -9 "$(cat "$work/node2.pid")"
echo "node 2 killed at $(since) s"
start_node "$work" 2 "${ports[1]}"
until node_ready "${ports[1]}"; do sleep 0.2; done
echo "node 2 ready again at $(since) s (HAProxy puts it back after 2 passing checks, 500 ms apart)"
wait "$loadgen"
cat "$work/run.txt"
