package eu.ehds.rights.portal.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.IdempotentCommand;
import eu.ehds.rights.ledger.api.common.Require;
import eu.ehds.rights.ledger.crypto.Sha256;
import eu.ehds.rights.ledger.log.CanonicalJson;
import eu.ehds.rights.ledger.log.IdempotencyRecord;
import eu.ehds.rights.ledger.log.LogStore;
import eu.ehds.rights.ledger.store.DisjointBatches;
import eu.ehds.rights.ledger.store.LogAppendingStorageEngine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

/**
 * Sends commands to the ledger exactly once per idempotency key.
 *
 * <p>The request is fingerprinted (action + the client's request with identifiers already pseudonymised); the
 * key and fingerprint travel with the command into its events' metadata, and the log appender stores them with
 * the events' leaf indexes in the same transaction. A retry with the same key and fingerprint gets the original
 * receipt and records nothing; the same key with another request is refused. Commands are written by this node's
 * {@link GroupCommitter}: those that arrive together share one transaction.
 *
 * <pre>{@code
 * CommandReceipt receipt = commands.submit("opt-outs/register", pseudonymisedRequest, key,
 *         () -> new RegisterOptOutCommand(person, scope, channel, actor, clock.instant(), key));
 * }</pre>
 */
@Service
public class LedgerCommands {

    private final GroupCommitter writer;
    private final LogStore logStore;
    private final ObjectMapper mapper = LedgerConfiguration.storageMapper();

    public LedgerCommands(GroupCommitter writer, LogStore logStore) {
        this.writer = writer;
        this.logStore = logStore;
    }

    public CommandReceipt submit(String action, Object request, String clientKey,
                                 Supplier<? extends IdempotentCommand> command) {
        Require.idempotencyKey(clientKey);
        String idempotencyKey = scoped(clientKey);
        String fingerprint = fingerprint(action, request);
        IdempotentCommand built;
        try {
            built = command.get();
        } catch (RuntimeException e) { // a retry is answered even if the request would no longer be accepted
            return logStore.findRequest(idempotencyKey).map(r -> answer(r, true, clientKey, fingerprint))
                    .orElseThrow(() -> e);
        }
        GroupCommitter.Written written;
        try {
            written = writer.write(message(built, idempotencyKey, fingerprint), idempotencyKey);
        } catch (RuntimeException e) {
            if (StorageOutage.causedBy(e)) {
                throw e; // the client sends it again with the same key; whether it was committed is read then
            }
            if (e instanceof ConcurrencyException || e instanceof EventStoreException) {
                throw new ConflictException("the record changed while this request was processed; send it again");
            }
            throw e;
        }
        return answer(written.record(), written.replayed(), clientKey, fingerprint);
    }

    /**
     * A request of a bulk import: its key is the importer's own (derived from the row, so that a re-run of the file
     * finds it whoever runs it), not tagged by the caller.
     */
    public record Bulk(String action, Object request, String idempotencyKey, IdempotentCommand command) {
    }

    /**
     * Writes these requests (distinct keys) as one transaction and answers each, in order: its receipt (replayed when
     * an earlier run recorded it) or why it was refused. A failure of the whole batch is thrown.
     */
    public List<Answer> submitAll(List<Bulk> requests) {
        return submitAll(requests, null);
    }

    /**
     * {@link #submitAll(List)} for a batch written at the same time as others of {@code batches}, which touch none of
     * its persons or keys ({@link GroupCommitter#writeAll(List, List, DisjointBatches)}).
     */
    public List<Answer> submitAll(List<Bulk> requests, DisjointBatches batches) {
        List<CommandMessage<?>> messages = new ArrayList<>();
        List<String> fingerprints = new ArrayList<>();
        for (Bulk r : requests) {
            String fingerprint = fingerprint(r.action(), r.request());
            fingerprints.add(fingerprint);
            messages.add(message(r.command(), r.idempotencyKey(), fingerprint));
        }
        var futures = writer.writeAll(messages, requests.stream().map(Bulk::idempotencyKey).toList(), batches);
        List<Answer> answers = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            try {
                GroupCommitter.Written w = futures.get(i).join();
                answers.add(new Answer(answer(w.record(), w.replayed(), requests.get(i).idempotencyKey(),
                        fingerprints.get(i)), null));
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                if (StorageOutage.causedBy(cause) || cause instanceof EventStoreException) {
                    throw cause; // the batch was not written
                }
                answers.add(new Answer(null, cause));
            } catch (ConflictException e) {
                answers.add(new Answer(null, e));
            }
        }
        return answers;
    }

    /** Whether batches of bulk requests written at the same time overlap (else they would queue on the log's lock). */
    public boolean writesBatchesTogether() {
        return writer.writesBesideOthers();
    }

    /** A request's receipt, or why it was refused. */
    public record Answer(CommandReceipt receipt, RuntimeException refusal) {
    }

    /** The command with its key and fingerprint, which its events inherit and the log appender stores. */
    private static CommandMessage<?> message(IdempotentCommand command, String idempotencyKey, String fingerprint) {
        return GenericCommandMessage.asCommandMessage(command).andMetaData(Map.of(
                LogAppendingStorageEngine.IDEMPOTENCY_KEY, idempotencyKey,
                LogAppendingStorageEngine.REQUEST_HASH, fingerprint));
    }

    private static CommandReceipt answer(IdempotencyRecord record, boolean replayed, String clientKey,
                                         String fingerprint) {
        if (!record.requestHash().equals(fingerprint)) {
            throw new ConflictException("idempotencyKey '" + clientKey
                    + "' was already used for a different request; use a new key for a new request");
        }
        return CommandReceipt.of(record, replayed);
    }

    /**
     * The key as stored: under a tag of the caller (the signed-in person, staff member, data holder or project, or the
     * server's own workers), so that no caller can take, block or replay another's key.
     */
    static String scoped(String clientKey) {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        String who = caller == null || !caller.isAuthenticated() ? "system"
                : caller.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                        .filter(a -> a.startsWith("ROLE_")).sorted()
                        .collect(Collectors.joining(",")) + "|" + caller.getName();
        return HexFormat.of().formatHex(Sha256.of(who.getBytes(StandardCharsets.UTF_8)), 0, 8) + "/"
                + clientKey;
    }

    private String fingerprint(String action, Object request) {
        ObjectNode node = mapper.createObjectNode();
        node.put("action", action);
        node.set("request", mapper.valueToTree(request));
        return Sha256.hex(CanonicalJson.write(node));
    }
}
