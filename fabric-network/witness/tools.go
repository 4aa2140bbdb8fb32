//go:build tools

// Package tools pins the witness the auditor organisation runs: transparency-dev's omniwitness, which speaks C2SP
// tlog-witness and cosigns with tlog-cosignature, and its key generator. witness.sh builds both from this module.
package tools

import (
	_ "github.com/transparency-dev/witness/cmd/generate_keys"
	_ "github.com/transparency-dev/witness/cmd/omniwitness"
)
