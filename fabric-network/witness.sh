#!/usr/bin/env bash
# The auditor organisation's witness: transparency-dev's omniwitness (C2SP tlog-witness, cosigning with
# tlog-cosignature), built natively with `go build` at the version pinned in witness/go.mod (go.sum pins every
# hash) and cached in $WITNESS_BIN_CACHE, like Fabric's binaries.
#
#   witness.sh build     build omniwitness and generate_keys if missing; prints the directory holding them
#
# Running it (see the README, "Witnessed checkpoints"):
#   generate_keys --origin=witness.auditor.example --out_priv=witness.sec --out_pub=witness.vkey
#   omniwitness --listen=127.0.0.1:8090 --metrics_listen= --db_file=witness.db --private_key_path=witness.sec \
#               --additional_logs=logs.yaml      # the ledger's origin and verifier key
set -euo pipefail

ROOT=$(cd "$(dirname "$0")" && pwd)
VERSION=$(awk '/transparency-dev\/witness v/ {for (i = 1; i <= NF; i++) if ($i ~ /^v[0-9]/) {print $i; exit}}' \
  "$ROOT/witness/go.mod")
BIN=${WITNESS_BIN_CACHE:-$HOME/.cache/rights-ledger/witness-$VERSION}/bin

log() { printf '%s witness: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

case "${1:-}" in
  build)
    if [ ! -x "$BIN/omniwitness" ] || [ ! -x "$BIN/generate_keys" ]; then
      command -v go >/dev/null || { log "error: Go is needed to build the witness"; exit 1; }
      log "building transparency-dev/witness $VERSION into $BIN (first time only)"
      mkdir -p "$BIN"
      (cd "$ROOT/witness" && CGO_ENABLED=0 go build -trimpath -o "$BIN/" \
        github.com/transparency-dev/witness/cmd/omniwitness github.com/transparency-dev/witness/cmd/generate_keys)
    fi
    echo "$BIN"
    ;;
  *)
    echo "usage: witness.sh build" >&2
    exit 2
    ;;
esac
