package eu.ehds.rights.portal.anchoring;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.InvalidKeyException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Hash;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.ProcessedTransaction;

/**
 * The anchoring chaincode and the peer's ledger query system chaincode ({@code qscc}), through one organisation's
 * Fabric Gateway peer. Every call has a deadline; failures surface as {@link AnchoringUnavailable} with the
 * network's own message.
 */
public final class FabricLedgerClient implements AutoCloseable {

    /** A committed anchoring transaction. */
    public record Committed(ChainAnchor anchor, String transactionId, long blockNumber) {
    }

    private final FabricConnection connection;
    private final ManagedChannel grpc;
    private final Gateway gateway;
    private final Contract anchoring;
    private final Contract qscc;

    public FabricLedgerClient(FabricConnection connection, Duration deadline) {
        this.connection = connection;
        try {
            ChannelCredentials tls = TlsChannelCredentials.newBuilder()
                    .trustManager(connection.tlsCaCertificate().toFile()).build();
            this.grpc = Grpc.newChannelBuilder(connection.peerEndpoint(), tls)
                    .overrideAuthority(connection.hostAlias()).build();
            X509Identity identity;
            try (Reader certificate = Files.newBufferedReader(connection.certificate())) {
                identity = new X509Identity(connection.mspId(), Identities.readX509Certificate(certificate));
            }
            org.hyperledger.fabric.client.identity.Signer signer;
            try (Reader key = Files.newBufferedReader(connection.privateKey())) {
                signer = Signers.newPrivateKeySigner(Identities.readPrivateKey(key));
            }
            long millis = deadline.toMillis();
            this.gateway = Gateway.newInstance().identity(identity).signer(signer).hash(Hash.SHA256).connection(grpc)
                    .evaluateOptions(options -> options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                    .endorseOptions(options -> options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                    .submitOptions(options -> options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                    .commitStatusOptions(options -> options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS))
                    .connect();
        } catch (IOException | CertificateException | InvalidKeyException e) {
            throw new IllegalArgumentException("cannot use the Fabric identity or TLS files of " + connection.mspId()
                    + ": " + e.getMessage(), e);
        }
        Network network = gateway.getNetwork(connection.channel());
        this.anchoring = network.getContract(connection.chaincode());
        this.qscc = network.getContract("qscc");
    }

    public FabricConnection connection() {
        return connection;
    }

    /** Registers the log's checkpoint key for its origin (write-once on the chain; the same key again is a no-op). */
    public void registerOrigin(String origin, byte[] publicKey) {
        submit("RegisterOrigin", origin, Base64.getEncoder().encodeToString(publicKey));
    }

    /** A key the chain holds for an origin: it verifies the origin's checkpoints from {@code firstTreeSize} on. */
    public record ChainKey(String publicKey, long firstTreeSize) {
    }

    /** The origin's keys on the chain, oldest first; empty when the origin is not registered. */
    public List<ChainKey> originKeys(String origin) {
        String json = evaluate(anchoring, "OriginKeys", origin);
        if (json.isEmpty()) {
            return List.of();
        }
        List<ChainKey> keys = new java.util.ArrayList<>();
        new tools.jackson.databind.ObjectMapper().readTree(json).path("keys").forEach(k -> keys.add(
                new ChainKey(k.path("publicKey").asString(), k.path("firstTreeSize").asLong())));
        return keys;
    }

    /**
     * Registers the origin's next key, which signs its checkpoints from {@code firstTreeSize} on (the access body's
     * identities only, like registration; the same rotation again is a no-op).
     */
    public void rotateOriginKey(String origin, byte[] publicKey, long firstTreeSize) {
        submit("RotateOriginKey", origin, Base64.getEncoder().encodeToString(publicKey), Long.toString(firstTreeSize));
    }

    public Optional<ChainAnchor> latest(String origin) {
        return optional(evaluate(anchoring, "LatestAnchor", origin));
    }

    public Optional<ChainAnchor> atOrAfter(String origin, long treeSize) {
        return optional(evaluate(anchoring, "AnchorAtOrAfter", origin, Long.toString(treeSize)));
    }

    /** Anchors a checkpoint, with the consistency proof from the last anchored one, and waits for its block. */
    public Committed anchor(String origin, long treeSize, byte[] rootHash, String note, List<byte[]> proof) {
        HexFormat hex = HexFormat.of();
        String proofJson = proof.stream().map(h -> "\"" + hex.formatHex(h) + "\"")
                .collect(Collectors.joining(",", "[", "]"));
        SubmittedResult result = submit("AnchorCheckpoint", origin, Long.toString(treeSize), hex.formatHex(rootHash),
                note, proofJson);
        return new Committed(ChainAnchor.parse(result.payload()), result.transactionId(), result.blockNumber());
    }

    /** The transaction as the peer's ledger holds it, with its validation code. */
    public ProcessedTransaction transaction(String transactionId) {
        try {
            return ProcessedTransaction.parseFrom(evaluateBytes(qscc, "GetTransactionByID", connection.channel(),
                    transactionId));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AnchoringUnavailable("qscc returned an unreadable transaction: " + e.getMessage());
        }
    }

    /** The number of the block holding a transaction. */
    public long blockNumber(String transactionId) {
        try {
            return Block.parseFrom(evaluateBytes(qscc, "GetBlockByTxID", connection.channel(), transactionId))
                    .getHeader().getNumber();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AnchoringUnavailable("qscc returned an unreadable block: " + e.getMessage());
        }
    }

    private record SubmittedResult(String payload, String transactionId, long blockNumber) {
    }

    private SubmittedResult submit(String transaction, String... arguments) {
        try {
            SubmittedTransaction submitted = anchoring.newProposal(transaction).addArguments(arguments).build()
                    .endorse().submitAsync();
            Status status = submitted.getStatus();
            if (!status.isSuccessful()) {
                throw new AnchoringUnavailable(transaction + " transaction " + status.getTransactionId()
                        + " was not committed: " + status.getCode());
            }
            return new SubmittedResult(new String(submitted.getResult(), StandardCharsets.UTF_8),
                    status.getTransactionId(), status.getBlockNumber());
        } catch (GatewayException e) {
            throw unavailable(transaction, e);
        } catch (io.grpc.StatusRuntimeException e) {
            throw new AnchoringUnavailable(transaction + " failed: " + e.getStatus());
        }
    }

    private static String evaluate(Contract contract, String transaction, String... arguments) {
        return new String(evaluateBytes(contract, transaction, arguments), StandardCharsets.UTF_8);
    }

    private static byte[] evaluateBytes(Contract contract, String transaction, String... arguments) {
        try {
            return contract.evaluateTransaction(transaction, arguments);
        } catch (GatewayException e) {
            throw unavailable(transaction, e);
        }
    }

    /** The chaincode's own refusal (e.g. a fork) travels in the error details; keep it readable. */
    private static AnchoringUnavailable unavailable(String transaction, GatewayException e) {
        StringBuilder message = new StringBuilder(transaction).append(" failed: ").append(e.getStatus().getCode());
        if (e.getStatus().getDescription() != null) {
            message.append(": ").append(e.getStatus().getDescription());
        }
        e.getDetails().forEach(d -> message.append(" [").append(d.getMspId()).append(": ").append(d.getMessage())
                .append("]"));
        return new AnchoringUnavailable(message.toString());
    }

    private static Optional<ChainAnchor> optional(String json) {
        return json.isEmpty() ? Optional.empty() : Optional.of(ChainAnchor.parse(json));
    }

    @Override
    public void close() {
        gateway.close();
        grpc.shutdownNow();
        try {
            grpc.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
