#!/usr/bin/env bash
# Decisions per second through HAProxy with one, two and three nodes of the jar on one PostgreSQL database, and the
# cross-node lag (an opt-out acknowledged by one node, answered at its tree size by another). Everything on loopback.
#
#   LEDGER_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/ledger_bench LEDGER_DATABASE_USER=… LEDGER_DATABASE_PASSWORD=… \
#     bash benchmarks/several-nodes.sh
#
# The database must be empty (a database of its own: the run adds a project and opt-outs to it). Needs the built jar
# (mvn -B package -DskipTests), haproxy, go and curl. The three nodes run during every step (the idle ones only poll
# the store), and they share this machine's cores with HAProxy, PostgreSQL and the load generator.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${LEDGER_DATABASE_URL:?a PostgreSQL database of its own for the benchmark}"
SECONDS_EACH=${SECONDS_EACH:-20}
WORKERS=${WORKERS:-16}
work=$(mktemp -d /tmp/several-nodes-bench.XXXXXX)
cleanup() {
  for p in $(cat "$work"/*.pid 2>/dev/null); do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

source benchmarks/nodes.sh
export_node_settings "$work"
ports=()
for i in 1 2 3; do
  port=$(free_port); ports+=("$port")
  start_node "$work" "$i" "$port"
  until node_ready "$port"; do sleep 1; done # one after the other: the first creates the schema
done

(cd benchmarks/loadgen && go build -o "$work/loadgen" .)
admin=(-u "admin:$LEDGER_ADMIN_PASSWORD" -H 'Content-Type: application/json')
base=http://127.0.0.1:${ports[0]}
project=$(curl -sf "${admin[@]}" "$base/api/v1/projects" -d '{"title":"Benchmark","controller":"Bench",
  "purposeCategory":"SCIENTIFIC_RESEARCH","dataHolders":["CNAM"],"datasets":["DCIR"],"plannedStart":"2026-01-01",
  "plannedEnd":"2030-01-01","idempotencyKey":"bench-project"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["projectId"])')
curl -sf "${admin[@]}" "$base/api/v1/projects/$project/permit" -d '{"permitId":"B-1","idempotencyKey":"bench-permit"}' >/dev/null
apikey=$(curl -sf "${admin[@]}" "$base/api/v1/data-holders/CNAM/api-keys" -d '{}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])')

balancer() { # $1: how many nodes
  local lb=$(free_port) cfg=$work/haproxy-$1.cfg
  haproxy_config "$cfg" "$lb" "" "${ports[@]:0:$1}"
  haproxy -f "$cfg" -db >"$work/haproxy-$1.log" 2>&1 &
  echo $! >"$work/haproxy-$1.pid"
  await_balancer "$lb"
  echo "$lb"
}

for n in 1 2 3; do
  lb=$(balancer "$n")
  "$work/loadgen" -url "http://127.0.0.1:$lb" -project "$project" -api-key "$apikey" -workers "$WORKERS" -seconds 5 >/dev/null
  printf '%d node(s): ' "$n"
  "$work/loadgen" -url "http://127.0.0.1:$lb" -project "$project" -api-key "$apikey" -workers "$WORKERS" \
    -seconds "$SECONDS_EACH"
  kill "$(cat "$work/haproxy-$n.pid")"
done

echo "cross-node lag (write on node 1, read on node 2):"
"$work/loadgen" -endpoint lag -url "http://127.0.0.1:${ports[0]}" -read-url "http://127.0.0.1:${ports[1]}" \
  -project "$project" -admin-password "$LEDGER_ADMIN_PASSWORD" -rate 20 -seconds "$SECONDS_EACH"
