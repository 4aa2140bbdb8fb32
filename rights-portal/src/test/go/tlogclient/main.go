// Command tlogclient reads the ledger's log as an outside monitor would: with the transparency-dev modules' own
// tlog-tiles client (github.com/transparency-dev/tessera/client), from the checkpoint and tiles alone. It verifies the
// checkpoint's signature, builds inclusion proofs for sampled entries (their bytes from entry bundles) and a
// consistency proof from an earlier stored checkpoint, and checks them all. With -full it also recomputes the root
// from every leaf hash and times it. Exit code 0 only if everything verifies.
//
//	go run . -url http://127.0.0.1:8080/api/v1/log/ -vkey 'origin+1234abcd+AQ…' -auth 'Basic …' -old 10 -samples 20
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/tessera/client"
	"golang.org/x/mod/sumdb/note"
)

func main() {
	base := flag.String("url", "", "the log's tlog-tiles base URL, ending in /")
	vkey := flag.String("vkey", "", "the log's note verifier key")
	auth := flag.String("auth", "", "Authorization header for entry bundles (auditors only)")
	old := flag.Uint64("old", 0, "tree size of an earlier stored checkpoint, for a consistency proof")
	samples := flag.Int("samples", 20, "entries whose inclusion is proven")
	full := flag.Bool("full", false, "also recompute the root from all leaf hashes, timed")
	load := flag.Duration("load", 0, "then fetch random full hash tiles from 8 clients for this long, and print tiles/s")
	flag.Parse()
	if err := run(*base, *vkey, *auth, *old, *samples, *full, *load); err != nil {
		fmt.Fprintln(os.Stderr, "FAILED:", err)
		os.Exit(1)
	}
}

func run(base, vkey, auth string, old uint64, samples int, full bool, load time.Duration) error {
	ctx := context.Background()
	u, err := url.Parse(base)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost") {
		return fmt.Errorf("-url must be a server on loopback")
	}
	fetcher, err := client.NewHTTPFetcher(u, nil)
	if err != nil {
		return err
	}
	fetcher.SetAuthorizationHeader(auth)
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return fmt.Errorf("verifier key: %w", err)
	}
	cp, _, _, err := client.FetchCheckpoint(ctx, fetcher.ReadCheckpoint, verifier, verifier.Name())
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	builder, err := client.NewProofBuilder(ctx, cp.Size, fetcher.ReadTile)
	if err != nil {
		return err
	}
	hasher := rfc6962.DefaultHasher
	for s := 0; s < samples; s++ {
		index := rand.Uint64N(cp.Size)
		if s == 0 {
			index = cp.Size - 1 // the newest entry: its tiles are partial
		}
		bundle, err := client.GetEntryBundle(ctx, fetcher.ReadEntryBundle, index/256, cp.Size)
		if err != nil {
			return fmt.Errorf("entry bundle of %d: %w", index, err)
		}
		leaf := hasher.HashLeaf(bundle.Entries[index%256])
		path, err := builder.InclusionProof(ctx, index)
		if err != nil {
			return fmt.Errorf("inclusion proof of %d: %w", index, err)
		}
		if err := proof.VerifyInclusion(hasher, index, cp.Size, leaf, path, cp.Hash); err != nil {
			return fmt.Errorf("entry %d: %w", index, err)
		}
	}
	fmt.Printf("checkpoint of %s at size %d verified; %d inclusion proofs from tiles verified\n", cp.Origin,
		cp.Size, samples)
	if old > 0 {
		earlier, err := storedCheckpoint(u, old, verifier)
		if err != nil {
			return err
		}
		path, err := builder.ConsistencyProof(ctx, earlier.Size, cp.Size)
		if err != nil {
			return fmt.Errorf("consistency proof: %w", err)
		}
		if err := proof.VerifyConsistency(hasher, earlier.Size, cp.Size, path, earlier.Hash, cp.Hash); err != nil {
			return fmt.Errorf("consistency from %d to %d: %w", earlier.Size, cp.Size, err)
		}
		fmt.Printf("consistency proof from the stored checkpoint at size %d verified\n", earlier.Size)
	}
	if full {
		start := time.Now()
		hashes, err := client.FetchLeafHashes(ctx, fetcher.ReadTile, 0, cp.Size, cp.Size)
		if err != nil {
			return fmt.Errorf("leaf hashes: %w", err)
		}
		r := (&compact.RangeFactory{Hash: hasher.HashChildren}).NewEmptyRange(0)
		for _, h := range hashes {
			if err := r.Append(h, nil); err != nil {
				return err
			}
		}
		root, err := r.GetRootHash(nil)
		if err != nil {
			return err
		}
		if !bytes.Equal(root, cp.Hash) {
			return fmt.Errorf("the root recomputed from %d leaf hashes differs from the checkpoint's", len(hashes))
		}
		fmt.Printf("all %d leaf hashes fetched from tiles and the root recomputed in %v\n", len(hashes),
			time.Since(start).Round(time.Millisecond))
	}
	if load > 0 && cp.Size >= 256 {
		var fetched, failed atomic.Int64
		var wg sync.WaitGroup
		deadline := time.Now().Add(load)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Now().Before(deadline) {
					if _, err := fetcher.ReadTile(ctx, 0, rand.Uint64N(cp.Size/256), 0); err != nil {
						failed.Add(1)
					} else {
						fetched.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		fmt.Printf("%.0f full tiles/s over %v (%d failed)\n", float64(fetched.Load())/load.Seconds(), load,
			failed.Load())
	}
	return nil
}

// storedCheckpoint reads a checkpoint the log issued earlier (the log serves stored checkpoints only).
func storedCheckpoint(base *url.URL, size uint64, verifier note.Verifier) (*log.Checkpoint, error) {
	u, _ := base.Parse(fmt.Sprintf("checkpoint?treeSize=%d", size))
	resp, err := http.Get(u.String())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("checkpoint at %d: %d %s", size, resp.StatusCode, raw)
	}
	n, err := note.Open(raw, note.VerifierList(verifier))
	if err != nil {
		return nil, fmt.Errorf("checkpoint at %d: %w", size, err)
	}
	cp := &log.Checkpoint{}
	if _, err := cp.Unmarshal([]byte(n.Text)); err != nil {
		return nil, err
	}
	return cp, nil
}
