package eu.ehds.rights.portal.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.optout.RegisterOptOutCommand;
import eu.ehds.rights.ledger.log.IdempotencyRecord;
import eu.ehds.rights.ledger.log.LogStore;
import eu.ehds.rights.ledger.store.LogAppendingStorageEngine;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/** Exactly once per idempotency key, without a database: the gateway and the log's request store stand aside. */
class LedgerCommandsTest {

    private static final String KEY = "optout-key-0001";
    private static final Map<String, String> REQUEST = Map.of("person", "a".repeat(32), "scope", "GLOBAL");

    private final GroupCommitter writer = mock(GroupCommitter.class);
    private final LogStore logStore = mock(LogStore.class);
    private final LedgerCommands commands = new LedgerCommands(writer, logStore);
    private final AtomicReference<CommandMessage<?>> sent = new AtomicReference<>();

    @BeforeEach
    void givenACitizenSignedIn() {
        SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("jean", null,
                "ROLE_CITIZEN"));
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    /** The writer records the command (or finds its key) and answers the record with this fingerprint. */
    private void writerAnswers(String fingerprint, boolean replayed) {
        org.mockito.Mockito.doAnswer(call -> {
            CommandMessage<?> command = call.getArgument(0);
            sent.set(command);
            String hash = fingerprint != null ? fingerprint
                    : (String) command.getMetaData().get(LogAppendingStorageEngine.REQUEST_HASH);
            return new GroupCommitter.Written(recorded(call.getArgument(1), hash), replayed);
        }).when(writer).write(any(), any());
    }

    private static RegisterOptOutCommand optOut() {
        return new RegisterOptOutCommand("a".repeat(32), OptOutScope.global(), Channel.PORTAL, "citizen",
                Instant.parse("2026-12-02T10:00:00Z"), KEY);
    }

    private static IdempotencyRecord recorded(String storedKey, String fingerprint) {
        return new IdempotencyRecord(storedKey, fingerprint, "a".repeat(32), 41, 41);
    }

    @Test
    void a_first_request_is_written_with_its_scoped_key_and_fingerprint_and_answers_its_leaf() {
        writerAnswers(null, false);

        CommandReceipt receipt = commands.submit("opt-outs/register", REQUEST, KEY, LedgerCommandsTest::optOut);

        assertThat(receipt).isEqualTo(new CommandReceipt("a".repeat(32), 41, 42, false));
        assertThat((String) sent.get().getMetaData().get(LogAppendingStorageEngine.IDEMPOTENCY_KEY))
                .endsWith("/" + KEY).isNotEqualTo(KEY);
        assertThat((String) sent.get().getMetaData().get(LogAppendingStorageEngine.REQUEST_HASH)).hasSize(64);
    }

    @Test
    void the_same_request_again_is_answered_as_a_replay_of_the_record() {
        writerAnswers(null, false);
        commands.submit("opt-outs/register", REQUEST, KEY, LedgerCommandsTest::optOut);
        String fingerprint = (String) sent.get().getMetaData().get(LogAppendingStorageEngine.REQUEST_HASH);
        writerAnswers(fingerprint, true);

        CommandReceipt replay = commands.submit("opt-outs/register", Map.of("scope", "GLOBAL", "person",
                "a".repeat(32)), KEY, LedgerCommandsTest::optOut);

        assertThat(replay.replayed()).isTrue();
        assertThat(replay.leafIndex()).isEqualTo(41);
        assertThat(sent.get().getMetaData().get(LogAppendingStorageEngine.REQUEST_HASH)).isEqualTo(fingerprint);
    }

    @Test
    void the_same_key_for_another_request_is_refused() {
        writerAnswers("0".repeat(64), true);

        assertThatThrownBy(() -> commands.submit("opt-outs/register", REQUEST, KEY, LedgerCommandsTest::optOut))
                .isInstanceOf(ConflictException.class).hasMessageContaining("already used for a different request");
    }

    @Test
    void a_retry_of_a_request_that_can_no_longer_be_built_is_answered_from_its_record() {
        writerAnswers(null, false);
        commands.submit("opt-outs/register", REQUEST, KEY, LedgerCommandsTest::optOut);
        String fingerprint = (String) sent.get().getMetaData().get(LogAppendingStorageEngine.REQUEST_HASH);
        when(logStore.findRequest(any())).thenAnswer(call -> Optional.of(recorded(call.getArgument(0), fingerprint)));

        CommandReceipt replay = commands.submit("opt-outs/register", REQUEST, KEY, () -> {
            throw new IllegalStateException("the project was closed since");
        });

        assertThat(replay.replayed()).isTrue();
        verify(writer, org.mockito.Mockito.times(1)).write(any(), any());
    }

    @Test
    void a_request_that_cannot_be_built_and_was_never_recorded_is_refused_with_its_reason() {
        when(logStore.findRequest(any())).thenReturn(Optional.empty());

        assertThatThrownBy(() -> commands.submit("opt-outs/register", REQUEST, KEY, () -> {
            throw new IllegalStateException("the project was closed");
        })).hasMessage("the project was closed");
        verify(writer, never()).write(any(), any());
    }

    @Test
    void a_concurrent_change_asks_the_client_to_send_it_again() {
        when(writer.write(any(), any())).thenThrow(new ConcurrencyException("sequence taken"));

        assertThatThrownBy(() -> commands.submit("opt-outs/register", REQUEST, KEY, LedgerCommandsTest::optOut))
                .isInstanceOf(ConflictException.class).hasMessageContaining("send it again");
    }

    @Test
    void two_callers_using_the_same_key_never_share_a_record() {
        String citizen = LedgerCommands.scoped(KEY);
        SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("cnam", null,
                "ROLE_DATA_HOLDER"));

        assertThat(LedgerCommands.scoped(KEY)).isNotEqualTo(citizen).endsWith("/" + KEY);
    }
}
