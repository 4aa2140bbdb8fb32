// Command vectors writes test vectors for the ledger's Java code from the reference Go implementations: signed notes
// from golang.org/x/mod/sumdb/note, a witness's cosignature from github.com/transparency-dev/formats, Merkle roots and proofs from github.com/transparency-dev/merkle. Its output is
// checked in as ledger/src/test/resources/vectors/go-reference.json; run `go run .` here to write it again.
package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	f_note "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
)

type signedNote struct {
	Name        string `json:"name"`
	SeedHex     string `json:"seedHex"`
	VerifierKey string `json:"verifierKey"`
	Text        string `json:"text"`
	Signed      string `json:"signed"`
}

type inclusion struct {
	Index    uint64   `json:"index"`
	Size     uint64   `json:"size"`
	Path     []string `json:"path"`
	LeafHash string   `json:"leafHash"`
}

type consistency struct {
	First  uint64   `json:"first"`
	Second uint64   `json:"second"`
	Proof  []string `json:"proof"`
}

// cosigned is a log's signed note cosigned by a witness (C2SP tlog-cosignature, cosignature/v1), as
// transparency-dev's witness signs it.
type cosigned struct {
	WitnessKey string `json:"witnessVerifierKey"`
	Note       string `json:"note"`
}

type vectors struct {
	Notes        []signedNote  `json:"notes"`
	Cosigned     cosigned      `json:"cosigned"`
	Leaves       []string      `json:"leavesHex"`
	Roots        []string      `json:"rootsBySize"`
	Inclusions   []inclusion   `json:"inclusions"`
	Consistences []consistency `json:"consistencies"`
}

func main() {
	var v vectors
	for i, name := range []string{"rights-ledger.example/log", "example.org/other-log"} {
		seed := sha256.Sum256([]byte(fmt.Sprintf("note vector seed %d", i)))
		v.Notes = append(v.Notes, sign(name, seed[:], i))
	}

	v.Cosigned = cosign(v.Notes[0].Signed, v.Notes[0].VerifierKey)

	// Leaves of varied lengths, as the log's leaves are bytes of any length.
	var leaves [][]byte
	for i := 0; i < 37; i++ {
		leaves = append(leaves, []byte(strings.Repeat(fmt.Sprintf("leaf-%d;", i), i%5+1)))
		v.Leaves = append(v.Leaves, hex.EncodeToString(leaves[i]))
	}
	hasher := rfc6962.DefaultHasher
	var hashes [][]byte
	for _, l := range leaves {
		hashes = append(hashes, hasher.HashLeaf(l))
	}
	factory := compact.RangeFactory{Hash: hasher.HashChildren}
	for size := 0; size <= len(leaves); size++ {
		r := factory.NewEmptyRange(0)
		for _, h := range hashes[:size] {
			must(r.Append(h, nil))
		}
		root := hasher.EmptyRoot()
		if size > 0 {
			var err error
			root, err = r.GetRootHash(nil)
			must(err)
		}
		v.Roots = append(v.Roots, hex.EncodeToString(root))
	}
	nodes := func(n proof.Nodes) []string {
		var out []string
		for _, id := range n.IDs {
			out = append(out, hex.EncodeToString(node(hasher, hashes, id.Level, id.Index)))
		}
		// ephemeral node: the hash of the rightmost, incomplete subtree of the proof's tree
		rehashed, err := n.Rehash(decode(out), hasher.HashChildren)
		must(err)
		return encode(rehashed)
	}
	for _, size := range []uint64{1, 2, 3, 5, 7, 8, 13, 16, 31, 37} {
		for index := uint64(0); index < size; index += size/4 + 1 {
			n, err := proof.Inclusion(index, size)
			must(err)
			path := nodes(n)
			must(proof.VerifyInclusion(hasher, index, size, hashes[index], decode(path), decode(v.Roots[size:size+1])[0]))
			v.Inclusions = append(v.Inclusions, inclusion{index, size, path, hex.EncodeToString(hashes[index])})
		}
	}
	for _, pair := range [][2]uint64{{1, 2}, {1, 8}, {3, 7}, {4, 8}, {5, 13}, {7, 16}, {13, 31}, {16, 37}, {30, 37}} {
		n, err := proof.Consistency(pair[0], pair[1])
		must(err)
		p := nodes(n)
		must(proof.VerifyConsistency(hasher, pair[0], pair[1], decode(p), decode(v.Roots[pair[0]:pair[0]+1])[0],
			decode(v.Roots[pair[1]:pair[1]+1])[0]))
		v.Consistences = append(v.Consistences, consistency{pair[0], pair[1], p})
	}
	out, err := json.MarshalIndent(v, "", "  ")
	must(err)
	must(os.WriteFile("../../resources/vectors/go-reference.json", append(out, '\n'), 0o644))
}

// sign signs a checkpoint body with note.Sign under a key built from a fixed seed.
func sign(name string, seed []byte, i int) signedNote {
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	must(err)
	parts := strings.Split(vkey, "+") // name+hash+key
	skey := "PRIVATE+KEY+" + name + "+" + parts[1] + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, seed...))
	signer, err := note.NewSigner(skey)
	must(err)
	root := sha256.Sum256([]byte(fmt.Sprintf("root %d", i)))
	text := fmt.Sprintf("%s\n%d\n%s\n", name, 17+i*1000, base64.StdEncoding.EncodeToString(root[:]))
	signed, err := note.Sign(&note.Note{Text: text}, signer)
	must(err)
	return signedNote{name, hex.EncodeToString(seed), vkey, text, string(signed)}
}

// cosign adds a witness's cosignature/v1 to a signed note, the witness's key built from a fixed seed.
func cosign(signed, logKey string) cosigned {
	name := "witness.example"
	seed := sha256.Sum256([]byte("witness vector seed"))
	pub := ed25519.NewKeyFromSeed(seed[:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	must(err)
	parts := strings.Split(vkey, "+")
	skey := "PRIVATE+KEY+" + name + "+" + parts[1] + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, seed[:]...))
	witness, err := f_note.NewSignerForCosignatureV1(skey)
	must(err)
	cosigV1Key, err := f_note.VKeyToCosignatureV1(vkey)
	must(err)
	logVerifier, err := note.NewVerifier(logKey)
	must(err)
	n, err := note.Open([]byte(signed), note.VerifierList(logVerifier)) // keeps the log's signature in n.Sigs
	must(err)
	out, err := note.Sign(n, witness)
	must(err)
	return cosigned{cosigV1Key, string(out)}
}

// node is the hash of the subtree at a level and index, computed from the leaf hashes.
func node(h *rfc6962.Hasher, leaves [][]byte, level uint, index uint64) []byte {
	if level == 0 {
		return leaves[index]
	}
	return h.HashChildren(node(h, leaves, level-1, 2*index), node(h, leaves, level-1, 2*index+1))
}

func decode(in []string) [][]byte {
	var out [][]byte
	for _, s := range in {
		b, err := hex.DecodeString(s)
		must(err)
		out = append(out, b)
	}
	return out
}

func encode(in [][]byte) []string {
	out := []string{}
	for _, b := range in {
		out = append(out, hex.EncodeToString(b))
	}
	return out
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
