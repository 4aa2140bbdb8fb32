#!/usr/bin/env bash
# FHIR Consent searches for one person, as a data holder asks them (patient:identifier=<NIR>, for a project that names
# it): the most searches per second from one client core in a closed loop, then the latency at a fixed 500/s. The jar
# runs on its embedded default (H2) in a fresh data directory, everything on loopback.
#
#   bash benchmarks/fhir.sh            # needs the built jar (mvn -B package -DskipTests), go, curl
#
# The load generator is pinned to one core (taskset, GOMAXPROCS=1); the server has the machine's other core(s).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${SECONDS_EACH:-20}
WORKERS=${WORKERS:-16}
work=$(mktemp -d /tmp/fhir-bench.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export LEDGER_ADMIN_PASSWORD=bench-admin-password AXONIQ_UPDATE_CHECKER_DISABLED=true
others=$(seq -s, 1 $(( $(nproc) - 1 )))
LEDGER_DATA_DIR=$work/data PORT=$port taskset -c "$others" java -Xmx1g -jar rights-portal/target/rights-portal.jar \
  >"$work/server.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { echo "the server did not start: $work/server.log" >&2; exit 1; }
  sleep 1
done
base=http://127.0.0.1:$port
admin=(-u "admin:$LEDGER_ADMIN_PASSWORD")

project=$(curl -sf "${admin[@]}" -H 'Content-Type: application/json' "$base/api/v1/projects" -d '{"title":"FHIR bench",
  "controller":"Inserm","purposeCategory":"SCIENTIFIC_RESEARCH","dataHolders":["CNAM"],"datasets":["DCIR"],
  "plannedStart":"2026-01-01","plannedEnd":"2027-12-31","idempotencyKey":"fhir-bench-project"}' | jq -r .projectId)
key=$(curl -sf "${admin[@]}" -H 'Content-Type: application/json' "$base/api/v1/data-holders/CNAM/api-keys" -d '{}' \
  | jq -r .apiKey)
nir=185059912300174
# three opt-outs of the person, two of them in force for the project (global, scientific research), one withdrawn
for purpose in '' HRESCH PUBHLTH; do
  provision='"type":"deny"'
  [ -n "$purpose" ] && provision="$provision,\"purpose\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActReason\",\"code\":\"$purpose\"}]"
  curl -sf "${admin[@]}" -H 'Content-Type: application/fhir+json' -H "If-None-Exist: identifier=urn:bench|$purpose" \
    "$base/fhir/Consent" -d "{\"resourceType\":\"Consent\",\"status\":\"active\",
      \"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"research\"}]},
      \"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59284-0\"}]}],
      \"patient\":{\"identifier\":{\"system\":\"urn:oid:1.2.250.1.213.1.4.8\",\"value\":\"$nir\"}},
      \"provision\":{$provision}}" >"$work/created-$purpose.json"
done
withdrawn=$(jq -r .id "$work/created-PUBHLTH.json")
jq '.status="inactive"' "$work/created-PUBHLTH.json" | curl -sf "${admin[@]}" -X PUT \
  -H 'Content-Type: application/fhir+json' "$base/fhir/Consent/$withdrawn" -d @- >/dev/null
curl -sf -H "X-Api-Key: $key" "$base/fhir/Consent?patient:identifier=urn:oid:1.2.250.1.213.1.4.8%7C$nir&project=$project" \
  | jq -e '.total == 2' >/dev/null || { echo "the holder's search did not find the 2 opt-outs in force" >&2; exit 1; }

(cd benchmarks/loadgen && go build -o "$work/loadgen" .)
run() { GOMAXPROCS=1 taskset -c 0 "$work/loadgen" -url "$base" -endpoint fhir -project "$project" -api-key "$key" \
  -person "$nir" "$@"; }
run -workers 4 -seconds 15 >/dev/null # warm-up (JIT)
echo "== closed loop, $WORKERS clients on one core"
run -workers "$WORKERS" -seconds "$SECONDS_EACH"
echo "== fixed rate, 500 searches/s"
run -rate 500 -seconds "$SECONDS_EACH"
