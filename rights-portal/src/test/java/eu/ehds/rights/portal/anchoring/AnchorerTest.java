package eu.ehds.rights.portal.anchoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import eu.ehds.rights.ledger.checkpoint.Checkpoint;
import eu.ehds.rights.ledger.checkpoint.NoteSigner;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import eu.ehds.rights.ledger.log.VerifiableLog;
import eu.ehds.rights.portal.cluster.Leadership;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerCommands;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The anchoring loop tick by tick, with the chain, the log and the ledger's commands standing aside. */
class AnchorerTest {

    private static final String ORIGIN = "rights-ledger.test/log";

    private final FabricLedgerClient chain = mock(FabricLedgerClient.class);
    private final VerifiableLog log = mock(VerifiableLog.class);
    private final LedgerCommands commands = mock(LedgerCommands.class);
    private final Leadership leadership = mock(Leadership.class);
    private final AnchoringReports reports = mock(AnchoringReports.class);
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-02T10:00:00Z"));
    private final Clock clock = mock(Clock.class);
    private Anchorer anchorer;

    @BeforeEach
    void givenALeadingNodeWithTwoEntriesWaitingAndAnEmptyChain() {
        when(clock.instant()).thenAnswer(call -> now.get());
        AnchoringProperties properties = new AnchoringProperties(Path.of("unused"), "accessbody", "auditor",
                Duration.ofSeconds(10), 1, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(20));
        NoteSigner signer = NoteSigner.fromSeed(ORIGIN, new byte[32]);
        anchorer = new Anchorer(chain, log, signer, () -> new NoteVerifier(ORIGIN, signer.publicKey()), commands,
                properties, clock, leadership, reports, "node-a");
        when(leadership.holds()).thenReturn(true);
        when(chain.connection()).thenReturn(new FabricConnection("ledger", "anchoring", "AccessBodyMSP",
                "127.0.0.1:7051", "peer0", Path.of("ca"), Path.of("cert"), Path.of("key")));
        when(chain.latest(ORIGIN)).thenReturn(Optional.empty());
        when(log.refresh()).thenReturn(2L);
        when(log.checkpoint()).thenReturn(new VerifiableLog.SignedCheckpoint(2, new byte[32], "note\n"));
        when(commands.submit(anyString(), any(), anyString(), any())).thenReturn(new CommandReceipt("a", 2, 3, false));
    }

    private void chainCommits(long treeSize, String txId) {
        when(chain.anchor(eq(ORIGIN), eq(treeSize), any(), anyString(), any())).thenReturn(
                new FabricLedgerClient.Committed(new ChainAnchor(ORIGIN, treeSize, "00", "note\n", 0, txId, "t"), txId,
                        7));
    }

    @Test
    void a_standby_node_reads_neither_the_log_nor_the_chain() {
        when(leadership.holds()).thenReturn(false);

        anchorer.tick();

        verifyNoInteractions(log, chain, commands, reports); // the leader reports, not the standby
    }

    @Test
    void the_first_leader_registers_the_origin_anchors_the_checkpoint_and_records_the_anchor_in_the_ledger() {
        chainCommits(2, "tx-1");

        anchorer.tick();

        verify(chain).registerOrigin(eq(ORIGIN), any());
        verify(chain).anchor(eq(ORIGIN), eq(2L), any(), eq("note\n"), eq(List.of()));
        verify(commands).submit(eq("anchors/record"), any(), anyString(), any());
        assertThat(anchorer.latestAnchor()).hasValueSatisfying(a -> {
            assertThat(a.treeSize()).isEqualTo(2);
            assertThat(a.blockNumber()).isEqualTo(7);
        });
        assertThat(anchorer.status().pendingEntries()).isZero();
        verify(reports).write(eq(ORIGIN), argThat(r -> r.leader().equals("node-a") && r.problem() == null
                && r.lastAttempt() != null));
    }

    @Test
    void a_network_failure_waits_out_its_backoff_then_resumes_from_what_the_chain_holds() {
        when(chain.anchor(any(), anyLong(), any(), anyString(), any())).thenThrow(new IllegalStateException("peer down"));

        anchorer.tick();
        assertThat(anchorer.status().problem()).isEqualTo("peer down");
        verify(reports).write(eq(ORIGIN), argThat(r -> "peer down".equals(r.problem()))); // every node can show it
        anchorer.tick(); // within the first second of backoff: nothing is tried
        verify(chain, times(1)).anchor(any(), anyLong(), any(), anyString(), any());

        org.mockito.Mockito.reset(chain);
        when(chain.connection()).thenReturn(new FabricConnection("ledger", "anchoring", "AccessBodyMSP",
                "127.0.0.1:7051", "peer0", Path.of("ca"), Path.of("cert"), Path.of("key")));
        when(chain.latest(ORIGIN)).thenReturn(Optional.empty());
        chainCommits(2, "tx-2");
        now.set(now.get().plusSeconds(2));
        anchorer.tick();

        verify(chain).latest(ORIGIN); // resumed from the chain, not from what this node believed
        assertThat(anchorer.status().problem()).isNull();
        assertThat(anchorer.latestAnchor()).hasValueSatisfying(a -> assertThat(a.transactionId()).isEqualTo("tx-2"));
    }

    @Test
    void a_chain_anchor_whose_root_this_log_contradicts_is_reported_as_a_fork_and_nothing_is_recorded() {
        // given the chain holds a checkpoint of this origin, signed with this log's key, at a size the log has
        NoteSigner signer = NoteSigner.fromSeed(ORIGIN, new byte[32]);
        byte[] anchoredRoot = new byte[32];
        anchoredRoot[0] = 1;
        String note = signer.sign(new Checkpoint(ORIGIN, 2, anchoredRoot).text());
        when(chain.latest(ORIGIN)).thenReturn(Optional.of(new ChainAnchor(ORIGIN, 2,
                java.util.HexFormat.of().formatHex(anchoredRoot), note, 0, "tx-old", "t")));
        when(log.root(2)).thenReturn(new byte[32]); // but the log's own root at that size is another

        anchorer.tick();
        now.set(now.get().plusSeconds(60));
        anchorer.tick();

        // then nothing is recorded or anchored, and the fork is the status, reported to every node, not a network wait
        verify(commands, never()).submit(anyString(), any(), anyString(), any());
        verify(chain, never()).anchor(any(), anyLong(), any(), anyString(), any());
        assertThat(anchorer.status().fork()).startsWith("fork: at tree size 2");
        verify(reports, atLeastOnce()).write(eq(ORIGIN), argThat(r -> r.forked() && r.problem().startsWith("fork")));
    }

    @Test
    void a_chain_anchor_beyond_this_log_is_reported_as_a_rollback() {
        NoteSigner signer = NoteSigner.fromSeed(ORIGIN, new byte[32]);
        String note = signer.sign(new Checkpoint(ORIGIN, 9, new byte[32]).text());
        when(chain.latest(ORIGIN)).thenReturn(Optional.of(new ChainAnchor(ORIGIN, 9, "00".repeat(32), note, 0,
                "tx-later", "t")));

        anchorer.tick();

        verify(commands, never()).submit(anyString(), any(), anyString(), any());
        assertThat(anchorer.status().fork()).startsWith("rollback").contains("only 2 entries");
    }
}
