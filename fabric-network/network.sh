#!/usr/bin/env bash
# The anchoring network, natively on loopback, no Docker: one single-node Raft orderer and two peers, of the
# health data access body and of an independent auditor, with TLS; the anchoring chaincode runs as a service,
# one process per organisation.
#
#   network.sh up              build what is missing, create the network on first use, start every process
#   network.sh down            stop every process (state is kept: `up` starts the same network again)
#   network.sh status          each process: running or stopped
#   network.sh stop NODE       stop one process (orderer, peer-accessbody, peer-auditor, cc-accessbody, cc-auditor)
#   network.sh start NODE      start it again
#   network.sh clean           stop everything and delete the network's state
#
# Fabric's binaries are built once with `go build` from the Go module proxy at the version pinned in
# fabric-build/go.mod (go.sum pins every hash) and cached in $FABRIC_BIN_CACHE. State lives in
# $FABRIC_STATE_DIR (default: fabric-network/.state, git-ignored).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")" && pwd)
FABRIC_VERSION=$(awk '/hyperledger\/fabric /{print $3}' "$ROOT/fabric-build/go.mod")
BIN_CACHE=${FABRIC_BIN_CACHE:-$HOME/.cache/rights-ledger/fabric-$FABRIC_VERSION}
BIN=$BIN_CACHE/bin
STATE=${FABRIC_STATE_DIR:-$ROOT/.state}
CRYPTO=$STATE/crypto
CHAINCODE_JAR=${ANCHORING_CHAINCODE_JAR:-$ROOT/chaincode/target/anchoring-chaincode.jar}

CHANNEL=anchors
CC_NAME=anchoring
CC_VERSION=1.0
CC_POLICY="AND('AccessBodyMSP.peer','AuditorMSP.peer')"

ORDERER_PORT=7050 ORDERER_ADMIN_PORT=7053 ORDERER_OPS_PORT=8443
declare -A PEER_PORT=([accessbody]=7051 [auditor]=9051)
declare -A PEER_CC_PORT=([accessbody]=7052 [auditor]=9052)
declare -A PEER_OPS_PORT=([accessbody]=9444 [auditor]=9445)
declare -A CC_PORT=([accessbody]=9999 [auditor]=9998)
declare -A MSP=([accessbody]=AccessBodyMSP [auditor]=AuditorMSP)
ORGS=(accessbody auditor)
NODES=(orderer peer-accessbody peer-auditor cc-accessbody cc-auditor)

log() { printf '%s network: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

domain() { echo "$1.ledger.test"; }
orderer_dir() { echo "$CRYPTO/ordererOrganizations/orderer.ledger.test"; }
orderer_ca() { echo "$(orderer_dir)/tlsca/tlsca.orderer.ledger.test-cert.pem"; }
peer_dir() { echo "$CRYPTO/peerOrganizations/$(domain "$1")/peers/peer0.$(domain "$1")"; }
org_tls_ca() { echo "$CRYPTO/peerOrganizations/$(domain "$1")/tlsca/tlsca.$(domain "$1")-cert.pem"; }

fabric_source() { echo "$(go env GOMODCACHE)/github.com/hyperledger/fabric@$FABRIC_VERSION"; }

# ---------------------------------------------------------------------------------------------------- build
build_binaries() {
  local tools=(peer orderer configtxgen cryptogen osnadmin) missing=0 t
  for t in "${tools[@]}"; do [ -x "$BIN/$t" ] || missing=1; done
  if [ "$missing" -eq 0 ] && [ -d "$(fabric_source)/sampleconfig" ]; then return; fi
  command -v go >/dev/null || die "Go is needed to build Fabric's binaries (see the README)"
  log "building Fabric $FABRIC_VERSION into $BIN (first time only)"
  # The release tags of Fabric are not valid module versions and the proxy refuses `go install` of this
  # module (its version list is not served), so the tools are built inside a small module that requires it.
  local work=$BIN_CACHE/module
  mkdir -p "$work" "$BIN"
  cp "$ROOT/fabric-build/go.mod" "$ROOT/fabric-build/go.sum" "$work/"
  local start=$SECONDS
  (cd "$work" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -o "$BIN/" \
      -ldflags "-X github.com/hyperledger/fabric/common/metadata.Version=$FABRIC_VERSION" \
      $(printf 'github.com/hyperledger/fabric/cmd/%s ' "${tools[@]}"))
  log "built Fabric's binaries in $((SECONDS - start)) s"
}

build_chaincode() {
  [ -f "$CHAINCODE_JAR" ] && return
  log "building the anchoring chaincode"
  (cd "$ROOT/.." && mvn -B -q -pl fabric-network/chaincode -am package -DskipTests)
}

# ---------------------------------------------------------------------------------------------------- processes
pid_file() { echo "$STATE/pids/$1.pid"; }

running() {
  local f; f=$(pid_file "$1")
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

wait_port() {
  local port=$1 what=$2 i
  for i in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return; fi
    sleep 0.2
  done
  die "$what did not open port $port (see $STATE/logs)"
}

launch() { # name, then the command; environment set by the caller
  local name=$1; shift
  mkdir -p "$STATE/pids" "$STATE/logs"
  setsid "$@" >>"$STATE/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$(pid_file "$name")"
}

orderer_env() {
  local o; o=$(orderer_dir)/orderers/orderer.orderer.ledger.test
  export FABRIC_CFG_PATH=$STATE/config/orderer
  export ORDERER_GENERAL_LISTENADDRESS=127.0.0.1 ORDERER_GENERAL_LISTENPORT=$ORDERER_PORT
  export ORDERER_GENERAL_LOCALMSPID=OrdererMSP ORDERER_GENERAL_LOCALMSPDIR=$o/msp
  export ORDERER_GENERAL_BOOTSTRAPMETHOD=none ORDERER_CHANNELPARTICIPATION_ENABLED=true
  export ORDERER_GENERAL_TLS_ENABLED=true ORDERER_GENERAL_TLS_PRIVATEKEY=$o/tls/server.key
  export ORDERER_GENERAL_TLS_CERTIFICATE=$o/tls/server.crt ORDERER_GENERAL_TLS_ROOTCAS="[$o/tls/ca.crt]"
  export ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE=$o/tls/server.crt
  export ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY=$o/tls/server.key ORDERER_GENERAL_CLUSTER_ROOTCAS="[$o/tls/ca.crt]"
  export ORDERER_ADMIN_LISTENADDRESS=127.0.0.1:$ORDERER_ADMIN_PORT ORDERER_ADMIN_TLS_ENABLED=true
  export ORDERER_ADMIN_TLS_CERTIFICATE=$o/tls/server.crt ORDERER_ADMIN_TLS_PRIVATEKEY=$o/tls/server.key
  export ORDERER_ADMIN_TLS_ROOTCAS="[$o/tls/ca.crt]" ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true
  export ORDERER_ADMIN_TLS_CLIENTROOTCAS="[$o/tls/ca.crt]"
  export ORDERER_FILELEDGER_LOCATION=$STATE/orderer/ledger
  export ORDERER_CONSENSUS_WALDIR=$STATE/orderer/etcdraft/wal ORDERER_CONSENSUS_SNAPDIR=$STATE/orderer/etcdraft/snap
  export ORDERER_OPERATIONS_LISTENADDRESS=127.0.0.1:$ORDERER_OPS_PORT ORDERER_METRICS_PROVIDER=disabled
}

peer_env() { # the peer process of an organisation
  local org=$1 p; p=$(peer_dir "$org")
  export FABRIC_CFG_PATH=$STATE/config/$org
  export CORE_PEER_ID=peer0.$(domain "$org") CORE_PEER_LOCALMSPID=${MSP[$org]} CORE_PEER_MSPCONFIGPATH=$p/msp
  export CORE_PEER_ADDRESS=127.0.0.1:${PEER_PORT[$org]} CORE_PEER_LISTENADDRESS=127.0.0.1:${PEER_PORT[$org]}
  export CORE_PEER_CHAINCODEADDRESS=127.0.0.1:${PEER_CC_PORT[$org]}
  export CORE_PEER_CHAINCODELISTENADDRESS=127.0.0.1:${PEER_CC_PORT[$org]}
  export CORE_PEER_GOSSIP_BOOTSTRAP=127.0.0.1:${PEER_PORT[$org]}
  export CORE_PEER_GOSSIP_EXTERNALENDPOINT=127.0.0.1:${PEER_PORT[$org]}
  # Loopback timings: a restarted peer is seen again by the other organisation in seconds, not a minute.
  export CORE_PEER_GOSSIP_ALIVETIMEINTERVAL=1s CORE_PEER_GOSSIP_ALIVEEXPIRATIONTIMEOUT=5s
  export CORE_PEER_GOSSIP_RECONNECTINTERVAL=2s
  export CORE_PEER_TLS_ENABLED=true CORE_PEER_TLS_CERT_FILE=$p/tls/server.crt CORE_PEER_TLS_KEY_FILE=$p/tls/server.key
  export CORE_PEER_TLS_ROOTCERT_FILE=$p/tls/ca.crt
  export CORE_PEER_FILESYSTEMPATH=$STATE/$org/data CORE_LEDGER_SNAPSHOTS_ROOTDIR=$STATE/$org/snapshots
  export CORE_OPERATIONS_LISTENADDRESS=127.0.0.1:${PEER_OPS_PORT[$org]} CORE_METRICS_PROVIDER=disabled
  export CORE_VM_ENDPOINT="" # no Docker: chaincode runs as a service, reached through the external builder
}

admin_env() { # the peer CLI, as an organisation's administrator
  local org=$1
  export FABRIC_CFG_PATH=$STATE/config/$org
  export CORE_PEER_LOCALMSPID=${MSP[$org]} CORE_PEER_ADDRESS=127.0.0.1:${PEER_PORT[$org]}
  export CORE_PEER_MSPCONFIGPATH=$CRYPTO/peerOrganizations/$(domain "$org")/users/Admin@$(domain "$org")/msp
  export CORE_PEER_TLS_ENABLED=true CORE_PEER_TLS_ROOTCERT_FILE=$(org_tls_ca "$org")
}

start_node() {
  local node=$1
  if running "$node"; then return; fi
  case $node in
    orderer)
      (orderer_env; launch orderer "$BIN/orderer")
      wait_port "$ORDERER_PORT" orderer ;;
    peer-*)
      local org=${node#peer-}
      (peer_env "$org"; launch "$node" "$BIN/peer" node start)
      wait_port "${PEER_PORT[$org]}" "$node" ;;
    cc-*)
      local org=${node#cc-}
      # A clean environment: the shim must not pick up the peer's TLS settings.
      # It runs from a copy, so rebuilding the module never rewrites a jar a running JVM reads.
      cp "$CHAINCODE_JAR" "$STATE/chaincode/$org.jar"
      # Small heap, C1 only: an anchor every few seconds needs little, and two of these share the machine.
      launch "$node" env -i PATH="$PATH" HOME="$HOME" \
        CHAINCODE_SERVER_ADDRESS=127.0.0.1:${CC_PORT[$org]} \
        CORE_CHAINCODE_ID_NAME="$(cat "$STATE/chaincode/$org.id")" \
        CORE_CHAINCODE_LOGGING_LEVEL=WARNING CORE_CHAINCODE_LOGGING_SHIM=WARNING \
        java -Xmx64m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m \
          -jar "$STATE/chaincode/$org.jar"
      wait_port "${CC_PORT[$org]}" "$node" ;;
    *) die "unknown node '$node' (one of: ${NODES[*]})" ;;
  esac
  log "$node started (pid $(cat "$(pid_file "$node")"))"
}

stop_node() {
  local node=$1 f pid i
  f=$(pid_file "$node")
  if ! running "$node"; then rm -f "$f"; return; fi
  pid=$(cat "$f")
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$f"
  log "$node stopped"
}

# ---------------------------------------------------------------------------------------------------- creation
create() {
  log "creating the network in $STATE"
  rm -rf "$STATE"
  mkdir -p "$STATE/config/orderer" "$STATE/chaincode"
  "$BIN/cryptogen" generate --config="$ROOT/config/crypto-config.yaml" --output="$CRYPTO" >/dev/null

  local sample; sample=$(fabric_source)/sampleconfig
  cp "$sample/orderer.yaml" "$STATE/config/orderer/"
  local org
  for org in "${ORGS[@]}"; do
    mkdir -p "$STATE/config/$org"
    # Fabric's sample core.yaml names a builder under /opt; point it at ours instead.
    sed -e "s|name: ccaas_builder|name: ccaas|" -e "s|path: /opt/hyperledger/ccaas_builder|path: $ROOT/builders/ccaas|" \
      "$sample/core.yaml" > "$STATE/config/$org/core.yaml"
  done
  sed -e "s|@CRYPTO@|$CRYPTO|g" -e "s|@ORDERER_PORT@|$ORDERER_PORT|g" \
      -e "s|@ACCESSBODY_PORT@|${PEER_PORT[accessbody]}|g" -e "s|@AUDITOR_PORT@|${PEER_PORT[auditor]}|g" \
      "$ROOT/config/configtx.yaml.template" > "$STATE/config/configtx.yaml"
  "$BIN/configtxgen" -configPath "$STATE/config" -profile AnchorsChannel -channelID "$CHANNEL" \
      -outputBlock "$STATE/$CHANNEL.block" 2>>"$STATE/create.log"

  start_node orderer
  local admin; admin=$(orderer_dir)/users/Admin@orderer.ledger.test/tls
  "$BIN/osnadmin" channel join --channelID "$CHANNEL" --config-block "$STATE/$CHANNEL.block" \
      -o 127.0.0.1:$ORDERER_ADMIN_PORT --ca-file "$(orderer_ca)" \
      --client-cert "$admin/client.crt" --client-key "$admin/client.key" >>"$STATE/create.log"

  for org in "${ORGS[@]}"; do
    start_node "peer-$org"
    (admin_env "$org"; retry 10 "$BIN/peer" channel join -b "$STATE/$CHANNEL.block") 2>>"$STATE/create.log"
  done

  install_chaincode
  for org in "${ORGS[@]}"; do start_node "cc-$org"; done
  wait_chaincode
  touch "$STATE/created"
}

retry() {
  local n=$1 i; shift
  for i in $(seq 1 "$n"); do
    if "$@"; then return; fi
    sleep 1
  done
  die "failed $n times: $*"
}

install_chaincode() {
  local org dir id
  local orderer=(-o 127.0.0.1:$ORDERER_PORT --tls --cafile "$(orderer_ca)")
  local definition=(--channelID "$CHANNEL" --name "$CC_NAME" --version "$CC_VERSION" --sequence 1
                    --signature-policy "$CC_POLICY")
  for org in "${ORGS[@]}"; do
    # Each organisation runs its own chaincode service, so each package names its own address.
    dir=$STATE/chaincode/$org
    mkdir -p "$dir"
    printf '{"address":"127.0.0.1:%s","dial_timeout":"10s","tls_required":false}\n' "${CC_PORT[$org]}" \
      > "$dir/connection.json"
    printf '{"type":"ccaas","label":"%s_%s"}\n' "$CC_NAME" "$org" > "$dir/metadata.json"
    tar -C "$dir" -czf "$dir/code.tar.gz" connection.json
    tar -C "$dir" -czf "$STATE/chaincode/$org.tgz" metadata.json code.tar.gz
    (
      admin_env "$org"
      "$BIN/peer" lifecycle chaincode install "$STATE/chaincode/$org.tgz" 2>>"$STATE/create.log"
      id=$("$BIN/peer" lifecycle chaincode calculatepackageid "$STATE/chaincode/$org.tgz")
      echo "$id" > "$STATE/chaincode/$org.id"
      retry 10 "$BIN/peer" lifecycle chaincode approveformyorg "${orderer[@]}" "${definition[@]}" \
        --package-id "$id" 2>>"$STATE/create.log"
    )
  done
  (
    admin_env accessbody
    retry 10 "$BIN/peer" lifecycle chaincode commit "${orderer[@]}" "${definition[@]}" \
      --peerAddresses 127.0.0.1:${PEER_PORT[accessbody]} --tlsRootCertFiles "$(org_tls_ca accessbody)" \
      --peerAddresses 127.0.0.1:${PEER_PORT[auditor]} --tlsRootCertFiles "$(org_tls_ca auditor)" \
      2>>"$STATE/create.log"
  )
  log "chaincode $CC_NAME committed on channel $CHANNEL with endorsement policy $CC_POLICY"
}

wait_chaincode() {
  local org i
  for org in "${ORGS[@]}"; do
    for i in $(seq 1 60); do
      if (admin_env "$org"; "$BIN/peer" chaincode query -C "$CHANNEL" -n "$CC_NAME" \
            -c '{"Args":["LatestAnchor","readiness-probe"]}' >/dev/null 2>&1); then
        continue 2
      fi
      sleep 0.5
    done
    die "the chaincode does not answer on the peer of $org (see $STATE/logs)"
  done
}

# Connection settings for the ledger and for auditors, read by the application and the tests.
write_connection() {
  local org users
  {
    echo "# Written by network.sh: where the anchoring network listens and the identities that may use it."
    echo "channel=$CHANNEL"
    echo "chaincode=$CC_NAME"
    for org in "${ORGS[@]}"; do
      users=$CRYPTO/peerOrganizations/$(domain "$org")/users/User1@$(domain "$org")/msp
      echo "$org.msp-id=${MSP[$org]}"
      echo "$org.peer-endpoint=127.0.0.1:${PEER_PORT[$org]}"
      echo "$org.peer-host-alias=peer0.$(domain "$org")"
      echo "$org.tls-ca-certificate=$(org_tls_ca "$org")"
      echo "$org.certificate=$users/signcerts/User1@$(domain "$org")-cert.pem"
      echo "$org.private-key=$users/keystore/priv_sk"
    done
  } > "$STATE/connection.properties"
}

# ---------------------------------------------------------------------------------------------------- commands
up() {
  local start=$SECONDS node
  build_binaries
  build_chaincode
  if [ ! -f "$STATE/created" ]; then
    create
  else
    for node in "${NODES[@]}"; do start_node "$node"; done
    wait_chaincode
  fi
  write_connection
  log "up in $((SECONDS - start)) s; connection settings in $STATE/connection.properties"
}

down() {
  local i
  for ((i = ${#NODES[@]} - 1; i >= 0; i--)); do stop_node "${NODES[$i]}"; done
}

status() {
  local node all=0
  for node in "${NODES[@]}"; do
    if running "$node"; then
      local pid; pid=$(cat "$(pid_file "$node")")
      echo "$node running (pid $pid, resident memory $(( $(ps -o rss= -p "$pid") / 1024 )) MB)"
    else
      echo "$node stopped"; all=1
    fi
  done
  return $all
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) status ;;
  stop) stop_node "${2:?which node}" ;;
  start) build_binaries; start_node "${2:?which node}" ;;
  clean) down; rm -rf "$STATE"; log "state deleted" ;;
  *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
