package eu.ehds.rights.anchoring.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import javax.security.auth.x500.X500Principal;
import org.hyperledger.fabric.contract.ClientIdentity;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

class AnchoringContractTest {

    private static final HexFormat HEX = HexFormat.of();

    private final AnchoringContract contract = new AnchoringContract();
    private final TreeMap<String, String> state = new TreeMap<>();
    private final ChaincodeStub stub = mock(ChaincodeStub.class);
    private final Context ctx = mock(Context.class);
    private final TestLog log = new TestLog("ledger.test/log").append(50);
    private int txCounter;

    /** A caller of that organisation, with that organisational unit in its certificate (as cryptogen's NodeOUs). */
    private static ClientIdentity caller(String msp, String unit) {
        ClientIdentity identity = mock(ClientIdentity.class);
        X509Certificate certificate = mock(X509Certificate.class);
        when(certificate.getSubjectX500Principal()).thenReturn(new X500Principal("CN=User1,OU=" + unit + ",O=org"));
        when(identity.getMSPID()).thenReturn(msp);
        when(identity.getX509Certificate()).thenReturn(certificate);
        return identity;
    }

    @BeforeEach
    void stubBackedByAMap() {
        when(ctx.getStub()).thenReturn(stub);
        ClientIdentity accessBody = caller("AccessBodyMSP", "client");
        when(ctx.getClientIdentity()).thenReturn(accessBody);
        when(stub.getStringState(anyString())).thenAnswer(a -> state.get(a.<String>getArgument(0)));
        Mockito.doAnswer(a -> state.put(a.getArgument(0), a.getArgument(1)))
                .when(stub).putStringState(anyString(), anyString());
        when(stub.getStateByRange(anyString(), anyString())).thenAnswer(a ->
                results(state.subMap(a.getArgument(0), true, a.getArgument(1), false)));
        when(stub.getTxId()).thenAnswer(a -> "tx" + (++txCounter));
        when(stub.getTxTimestamp()).thenReturn(Instant.parse("2026-11-23T10:00:00Z"));
    }

    private String anchor(long size, List<byte[]> proof) {
        return contract.anchorCheckpoint(ctx, log.origin, Long.toString(size), HEX.formatHex(log.root(size)),
                log.note(size), proofJson(proof));
    }

    private static String proofJson(List<byte[]> proof) {
        JSONArray array = new JSONArray();
        proof.forEach(h -> array.put(HEX.formatHex(h)));
        return array.toString();
    }

    @Nested
    class RegisterOrigin {

        @Test
        void given_a_new_origin_when_registered_then_its_key_is_stored() {
            contract.registerOrigin(ctx, log.origin, log.publicKey());

            assertThat(new JSONObject(state.get(AnchoringContract.originKey(log.origin))).getString("publicKey"))
                    .isEqualTo(log.publicKey());
        }

        @Test
        void given_a_registered_origin_when_the_same_key_is_registered_again_then_nothing_changes() {
            String first = contract.registerOrigin(ctx, log.origin, log.publicKey());

            assertThat(contract.registerOrigin(ctx, log.origin, log.publicKey())).isEqualTo(first);
        }

        @Test
        void given_a_registered_origin_when_another_key_is_registered_then_it_is_refused() {
            contract.registerOrigin(ctx, log.origin, log.publicKey());

            assertThatThrownBy(() -> contract.registerOrigin(ctx, log.origin, new TestLog("x").publicKey()))
                    .isInstanceOf(AnchorRefused.class).hasMessageContaining("already registered with another key");
        }

        @Test
        void given_a_user_of_another_organisation_when_it_registers_an_origin_then_it_is_refused() {
            ClientIdentity auditor = caller("AuditorMSP", "client");
            when(ctx.getClientIdentity()).thenReturn(auditor);

            assertThatThrownBy(() -> contract.registerOrigin(ctx, log.origin, log.publicKey()))
                    .isInstanceOf(AnchorRefused.class).hasMessageContaining("only identities of AccessBodyMSP");
            assertThat(state).isEmpty();
        }

        @Test
        void given_a_peer_of_the_access_body_when_it_registers_an_origin_then_it_is_refused() {
            ClientIdentity peer = caller("AccessBodyMSP", "peer");
            when(ctx.getClientIdentity()).thenReturn(peer);

            assertThatThrownBy(() -> contract.registerOrigin(ctx, log.origin, log.publicKey()))
                    .isInstanceOf(AnchorRefused.class).hasMessageContaining("client or admin");
            assertThat(state).isEmpty();
        }

        @Test
        void given_a_key_that_is_not_ed25519_then_it_is_refused() {
            assertThatThrownBy(() -> contract.registerOrigin(ctx, log.origin, "AAAA"))
                    .isInstanceOf(AnchorRefused.class).hasMessageContaining("Ed25519");
            assertThat(state).isEmpty();
        }
    }

    @Nested
    class AnchorCheckpoint {

        @BeforeEach
        void registered() {
            contract.registerOrigin(ctx, log.origin, log.publicKey());
        }

        @Test
        void given_no_anchor_yet_when_a_signed_checkpoint_is_anchored_then_it_is_stored_with_an_event() {
            AnchorRecord record = AnchorRecord.fromJson(anchor(10, List.of()));

            assertThat(record.treeSize()).isEqualTo(10);
            assertThat(record.previousTreeSize()).isZero();
            assertThat(record.txId()).isEqualTo("tx1");
            assertThat(record.timestamp()).isEqualTo("2026-11-23T10:00:00Z");
            assertThat(state).containsKey(AnchoringContract.anchorKey(log.origin, 10));
            verify(stub).setEvent(eq(AnchoringContract.ANCHORED_EVENT), any(byte[].class));
        }

        @Test
        void given_an_anchor_when_a_larger_checkpoint_comes_with_a_valid_consistency_proof_then_it_is_anchored() {
            anchor(10, List.of());

            AnchorRecord record = AnchorRecord.fromJson(anchor(37, log.consistencyProof(10, 37)));

            assertThat(record.previousTreeSize()).isEqualTo(10);
            assertThat(AnchorRecord.fromJson(contract.latestAnchor(ctx, log.origin)).treeSize()).isEqualTo(37);
        }

        @Test
        void given_an_anchor_when_a_forked_checkpoint_is_offered_then_it_is_refused_and_nothing_is_written() {
            anchor(10, List.of());
            TestLog fork = new TestLog(log.origin);
            fork.leaves.addAll(log.leaves);
            fork.leaves.set(5, log.leaves.get(40)); // history rewritten below the anchored size
            String forkNote = signedBy(log, fork, 20);
            int writes = state.size();

            assertThatThrownBy(() -> contract.anchorCheckpoint(ctx, log.origin, "20", HEX.formatHex(fork.root(20)),
                    forkNote, proofJson(fork.consistencyProof(10, 20))))
                    .isInstanceOf(AnchorRefused.class).hasMessageContaining("consistency proof rejected");
            assertThat(state).hasSize(writes);
            assertThat(AnchorRecord.fromJson(contract.latestAnchor(ctx, log.origin)).treeSize()).isEqualTo(10);
        }

        @Test
        void given_an_anchor_when_a_larger_checkpoint_comes_without_proof_then_it_is_refused() {
            anchor(10, List.of());

            assertThatThrownBy(() -> anchor(20, List.of()))
                    .isInstanceOf(AnchorRefused.class).hasMessageContaining("not proven to extend");
        }

        @Test
        void given_an_anchor_when_the_same_checkpoint_is_anchored_again_then_the_first_record_is_returned() {
            String first = anchor(10, List.of());

            assertThat(anchor(10, List.of())).isEqualTo(first);
            verify(stub, Mockito.times(1)).setEvent(anyString(), any(byte[].class));
        }

        @Test
        void given_an_anchor_when_a_different_root_at_the_same_size_or_a_smaller_size_comes_then_it_is_refused() {
            anchor(10, List.of());
            TestLog other = new TestLog(log.origin);
            other.leaves.addAll(log.leaves);
            other.leaves.set(0, log.leaves.get(1));

            assertThatThrownBy(() -> contract.anchorCheckpoint(ctx, log.origin, "10", HEX.formatHex(other.root(10)),
                    signedBy(log, other, 10), "[]")).hasMessageContaining("not larger than the last anchored size 10");
            assertThatThrownBy(() -> anchor(9, List.of())).hasMessageContaining("not larger");
        }

        @Test
        void given_a_note_signed_by_another_key_then_it_is_refused() {
            TestLog impostor = new TestLog(log.origin);
            impostor.leaves.addAll(log.leaves);

            assertThatThrownBy(() -> contract.anchorCheckpoint(ctx, log.origin, "10", HEX.formatHex(log.root(10)),
                    impostor.note(10), "[]")).isInstanceOf(AnchorRefused.class)
                    .hasMessageContaining("no signature by the key registered");
            verify(stub, never()).setEvent(anyString(), any(byte[].class));
        }

        @Test
        void given_a_note_for_another_size_or_root_then_it_is_refused() {
            assertThatThrownBy(() -> contract.anchorCheckpoint(ctx, log.origin, "11", HEX.formatHex(log.root(11)),
                    log.note(10), "[]")).hasMessageContaining("not the origin, tree size and root hash given");
        }

        @Test
        void given_an_unregistered_origin_then_it_is_refused() {
            TestLog unknown = new TestLog("unknown.test/log").append(3);

            assertThatThrownBy(() -> contract.anchorCheckpoint(ctx, unknown.origin, "3",
                    HEX.formatHex(unknown.root(3)), unknown.note(3), "[]")).hasMessageContaining("is not registered");
        }

        @Test
        void given_a_first_anchor_with_a_proof_then_it_is_refused() {
            assertThatThrownBy(() -> anchor(10, log.consistencyProof(5, 10)))
                    .hasMessageContaining("first anchor of ledger.test/log takes no consistency proof");
        }

        @Test
        void given_malformed_arguments_then_each_is_named() {
            String root = HEX.formatHex(log.root(10));
            assertThatThrownBy(() -> contract.anchorCheckpoint(ctx, log.origin, "ten", root, log.note(10), "[]"))
                    .hasMessageContaining("treeSize must be a decimal number");
            assertThatThrownBy(() -> contract.anchorCheckpoint(ctx, log.origin, "10", "abc", log.note(10), "[]"))
                    .hasMessageContaining("rootHash must be 64 hexadecimal characters");
            assertThatThrownBy(() -> contract.anchorCheckpoint(ctx, log.origin, "10", root, log.note(10), "{"))
                    .hasMessageContaining("consistencyProof must be a JSON array");
            assertThatThrownBy(() -> contract.anchorCheckpoint(ctx, log.origin, "10", root, "no blank line", "[]"))
                    .hasMessageContaining("no blank line");
            assertThatThrownBy(() -> contract.anchorCheckpoint(ctx, "", "10", root, log.note(10), "[]"))
                    .hasMessageContaining("origin must be a non-empty single line");
        }

        private String signedBy(TestLog signer, TestLog tree, long size) {
            return signer.sign(signer.origin + "\n" + size + "\n"
                    + java.util.Base64.getEncoder().encodeToString(tree.root(size)) + "\n");
        }
    }

    @Nested
    class RotateOriginKey {

        private String firstKey;

        @BeforeEach
        void registeredAndAnchoredAt10() {
            contract.registerOrigin(ctx, log.origin, log.publicKey());
            anchor(10, List.of());
            firstKey = log.publicKey();
        }

        @Test
        void given_a_rotation_at_21_then_notes_from_21_verify_with_the_new_key_only_and_the_chain_lists_both_keys() {
            String oldNoteOf20 = log.note(20);
            log.rotate();

            contract.rotateOriginKey(ctx, log.origin, log.publicKey(), "21");

            assertThatThrownBy(() -> contract.anchorCheckpoint(ctx, log.origin, "20", HEX.formatHex(log.root(20)),
                    log.note(20), proofJson(log.consistencyProof(10, 20))))
                    .isInstanceOf(AnchorRefused.class); // the new key does not sign sizes before 21
            assertThat(AnchorRecord.fromJson(anchor(30, log.consistencyProof(10, 30))).treeSize()).isEqualTo(30);
            JSONArray keys = new JSONObject(contract.originKeys(ctx, log.origin)).getJSONArray("keys");
            assertThat(keys.length()).isEqualTo(2);
            assertThat(keys.getJSONObject(0).getString("publicKey")).isEqualTo(firstKey);
            assertThat(keys.getJSONObject(1).getLong("firstTreeSize")).isEqualTo(21);
            assertThat(oldNoteOf20).isNotEqualTo(log.note(20));
        }

        @Test
        void given_a_rotation_then_the_retired_key_cannot_anchor_a_later_size() {
            java.security.KeyPair retired = log.rotate();
            contract.rotateOriginKey(ctx, log.origin, log.publicKey(), "21");
            java.security.KeyPair current = log.keys;
            log.keys = retired;

            assertThatThrownBy(() -> anchor(30, log.consistencyProof(10, 30))).isInstanceOf(AnchorRefused.class);
            log.keys = current;
        }

        @Test
        void given_the_same_rotation_twice_then_nothing_changes_and_an_earlier_key_or_start_is_refused() {
            log.rotate();
            String first = contract.rotateOriginKey(ctx, log.origin, log.publicKey(), "21");

            assertThat(contract.rotateOriginKey(ctx, log.origin, log.publicKey(), "21")).isEqualTo(first);
            assertThatThrownBy(() -> contract.rotateOriginKey(ctx, log.origin, firstKey, "40"))
                    .isInstanceOf(AnchorRefused.class).hasMessageContaining("never signs again");
            String another = new TestLog("x").publicKey();
            assertThatThrownBy(() -> contract.rotateOriginKey(ctx, log.origin, another, "21"))
                    .isInstanceOf(AnchorRefused.class).hasMessageContaining("must start after tree size 21");
        }

        @Test
        void given_a_size_already_anchored_then_a_rotation_starting_there_is_refused() {
            log.rotate();

            assertThatThrownBy(() -> contract.rotateOriginKey(ctx, log.origin, log.publicKey(), "10"))
                    .isInstanceOf(AnchorRefused.class).hasMessageContaining("already anchored");
        }

        @Test
        void given_a_user_of_another_organisation_when_it_rotates_the_key_then_it_is_refused_and_nothing_changes() {
            ClientIdentity auditor = caller("AuditorMSP", "client");
            when(ctx.getClientIdentity()).thenReturn(auditor);
            String before = state.get(AnchoringContract.originKey(log.origin));

            assertThatThrownBy(() -> contract.rotateOriginKey(ctx, log.origin, new TestLog("x").publicKey(), "21"))
                    .isInstanceOf(AnchorRefused.class).hasMessageContaining("only identities of AccessBodyMSP");
            assertThat(state.get(AnchoringContract.originKey(log.origin))).isEqualTo(before);
        }
    }

    /** Three anchors of one origin, at tree sizes 10, 25 and 40. */
    private void threeAnchors() {
        contract.registerOrigin(ctx, log.origin, log.publicKey());
        anchor(10, List.of());
        anchor(25, log.consistencyProof(10, 25));
        anchor(40, log.consistencyProof(25, 40));
    }

    @Nested
    class LatestAnchor {

        @Test
        void given_three_anchors_then_the_latest_is_the_largest() {
            threeAnchors();

            assertThat(AnchorRecord.fromJson(contract.latestAnchor(ctx, log.origin)).treeSize()).isEqualTo(40);
        }

        @Test
        void given_an_origin_without_anchors_then_the_answer_is_empty() {
            assertThat(contract.latestAnchor(ctx, "other.test/log")).isEmpty();
        }
    }

    @Nested
    class AnchorAtOrAfter {

        @Test
        void given_three_anchors_then_the_first_covering_a_size_is_returned() {
            threeAnchors();

            assertThat(AnchorRecord.fromJson(contract.anchorAtOrAfter(ctx, log.origin, "1")).treeSize()).isEqualTo(10);
            assertThat(AnchorRecord.fromJson(contract.anchorAtOrAfter(ctx, log.origin, "10")).treeSize()).isEqualTo(10);
            assertThat(AnchorRecord.fromJson(contract.anchorAtOrAfter(ctx, log.origin, "11")).treeSize()).isEqualTo(25);
            assertThat(contract.anchorAtOrAfter(ctx, log.origin, "41")).isEmpty();
        }
    }

    @Nested
    class AnchorHistory {

        @Test
        void given_three_anchors_then_history_pages_in_order() {
            threeAnchors();

            JSONArray all = new JSONArray(contract.anchorHistory(ctx, log.origin, "1", "1000"));
            JSONArray page = new JSONArray(contract.anchorHistory(ctx, log.origin, "11", "1"));

            assertThat(all.length()).isEqualTo(3);
            assertThat(all.getJSONObject(2).getLong("previousTreeSize")).isEqualTo(25);
            assertThat(page.length()).isEqualTo(1);
            assertThat(page.getJSONObject(0).getLong("treeSize")).isEqualTo(25);
        }

        @Test
        void given_a_limit_out_of_range_then_it_is_refused() {
            assertThatThrownBy(() -> contract.anchorHistory(ctx, log.origin, "1", "1001"))
                    .hasMessageContaining("limit must be between 1 and 1000");
        }
    }

    private static QueryResultsIterator<KeyValue> results(java.util.SortedMap<String, String> entries) {
        List<KeyValue> values = entries.entrySet().stream().<KeyValue>map(e -> new KeyValue() {
            @Override
            public String getKey() {
                return e.getKey();
            }

            @Override
            public byte[] getValue() {
                return e.getValue().getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String getStringValue() {
                return e.getValue();
            }
        }).toList();
        return new QueryResultsIterator<>() {
            @Override
            public Iterator<KeyValue> iterator() {
                return values.iterator();
            }

            @Override
            public void close() {
            }
        };
    }
}
