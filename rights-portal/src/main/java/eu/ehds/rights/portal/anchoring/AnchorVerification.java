package eu.ehds.rights.portal.anchoring;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import eu.ehds.rights.ledger.checkpoint.Checkpoint;
import eu.ehds.rights.ledger.checkpoint.NoteVerifier;
import eu.ehds.rights.ledger.log.ProofVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProcessedTransaction;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * What an auditor checks, step by step, to trust an entry or a tree size of the log without trusting its
 * operator: the anchor covering it on the chain, the anchoring transaction as committed (read back through
 * {@code qscc}), the checkpoint's signature, the log's root at the anchored size, and the entry's inclusion
 * proof under the anchored root. Every step is reported; the verdict passes only if all do.
 */
public final class AnchorVerification {

    public record Step(String name, boolean passed, String detail) {
    }

    /** {@code passed} only if every step did. */
    public record Report(String subject, boolean passed, List<Step> steps) {
        static Report of(String subject, List<Step> steps) {
            return new Report(subject, !steps.isEmpty() && steps.stream().allMatch(Step::passed), List.copyOf(steps));
        }
    }

    /** The log as the auditor sees it (from the ledger's public API, or in process). */
    public interface LogView {
        String origin();

        /** The log's keys the auditor trusts, each for the tree sizes it signed. */
        NoteVerifier keys();

        /** The root of the log at a tree size, from a checkpoint the log signed for that size. */
        byte[] root(long treeSize);

        byte[] leafHash(long leafIndex);

        List<byte[]> inclusionProof(long leafIndex, long treeSize);
    }

    private static final HexFormat HEX = HexFormat.of();

    private final LogView log;
    private final FabricLedgerClient chain;

    public AnchorVerification(LogView log, FabricLedgerClient chain) {
        this.log = log;
        this.chain = chain;
    }

    public Report verifyEntry(long leafIndex) {
        return verify("entry " + leafIndex, leafIndex + 1, leafIndex);
    }

    public Report verifyTreeSize(long treeSize) {
        return verify("tree size " + treeSize, treeSize, -1);
    }

    private Report verify(String subject, long coveredSize, long leafIndex) {
        List<Step> steps = new ArrayList<>();
        ChainAnchor anchor;
        try {
            Optional<ChainAnchor> found = chain.atOrAfter(log.origin(), coveredSize);
            if (found.isEmpty()) {
                steps.add(new Step("anchor on the chain", false, "no anchor of " + log.origin()
                        + " covers tree size " + coveredSize + " yet"));
                return Report.of(subject, steps);
            }
            anchor = found.get();
            steps.add(new Step("anchor on the chain", true, "tree size " + anchor.treeSize() + ", root "
                    + anchor.rootHash() + ", transaction " + anchor.txId()));
        } catch (RuntimeException e) {
            steps.add(new Step("anchor on the chain", false, e.getMessage()));
            return Report.of(subject, steps);
        }
        ProcessedTransaction processed = null; // read once through qscc, checked by the next two steps
        String unreadable = null;
        try {
            processed = chain.transaction(anchor.txId());
        } catch (RuntimeException e) {
            unreadable = e.getMessage();
        }
        if (processed == null) {
            steps.add(new Step("transaction committed and valid", false, unreadable));
            steps.add(new Step("transaction writes this anchor", false, unreadable));
        } else {
            ProcessedTransaction transaction = processed;
            steps.add(step("transaction committed and valid", () -> committed(anchor, transaction)));
            steps.add(step("transaction writes this anchor", () -> writes(anchor, transaction)));
        }
        steps.add(step("checkpoint signed by the log", () -> signed(anchor)));
        steps.add(step("anchored root matches the log", () -> {
            byte[] root = log.root(anchor.treeSize());
            return check(HEX.formatHex(root).equals(anchor.rootHash()),
                    "the log's root at tree size " + anchor.treeSize() + " is " + HEX.formatHex(root));
        }));
        if (leafIndex >= 0) {
            steps.add(step("entry included under the anchored root", () -> {
                byte[] leafHash = log.leafHash(leafIndex);
                boolean ok = ProofVerifier.verifyInclusion(leafHash, leafIndex, anchor.treeSize(),
                        log.inclusionProof(leafIndex, anchor.treeSize()), HEX.parseHex(anchor.rootHash()));
                return check(ok, "leaf hash " + HEX.formatHex(leafHash) + ", inclusion proof to tree size "
                        + anchor.treeSize() + (ok ? " verifies" : " does not verify"));
            }));
        }
        return Report.of(subject, steps);
    }

    private String committed(ChainAnchor anchor, ProcessedTransaction processed) {
        TxValidationCode code = TxValidationCode.forNumber(processed.getValidationCode());
        long block = chain.blockNumber(anchor.txId());
        return check(code == TxValidationCode.VALID, "validation code " + code + ", block " + block);
    }

    private String writes(ChainAnchor anchor, ProcessedTransaction processed) throws InvalidProtocolBufferException {
        Payload payload = Payload.parseFrom(processed.getTransactionEnvelope().getPayload());
        ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
        String chaincode = chain.connection().chaincode();
        boolean written = false;
        List<String> endorsers = new ArrayList<>();
        for (TransactionAction action : Transaction.parseFrom(payload.getData()).getActionsList()) {
            ChaincodeActionPayload actionPayload = ChaincodeActionPayload.parseFrom(action.getPayload());
            for (Endorsement endorsement : actionPayload.getAction().getEndorsementsList()) {
                endorsers.add(SerializedIdentity.parseFrom(endorsement.getEndorser()).getMspid());
            }
            ChaincodeAction result = ChaincodeAction.parseFrom(ProposalResponsePayload
                    .parseFrom(actionPayload.getAction().getProposalResponsePayload()).getExtension());
            for (NsReadWriteSet ns : TxReadWriteSet.parseFrom(result.getResults()).getNsRwsetList()) {
                if (!ns.getNamespace().equals(chaincode)) {
                    continue;
                }
                for (KVWrite write : KVRWSet.parseFrom(ns.getRwset()).getWritesList()) {
                    written |= holds(write.getValue(), anchor);
                }
            }
        }
        boolean sameTransaction = header.getTxId().equals(anchor.txId())
                && header.getChannelId().equals(chain.connection().channel());
        return check(sameTransaction && written, "channel " + header.getChannelId() + ", "
                + (written ? "writes" : "does not write") + " the anchor of tree size " + anchor.treeSize()
                + ", endorsed by " + endorsers);
    }

    private static boolean holds(ByteString value, ChainAnchor anchor) {
        try {
            ChainAnchor written = ChainAnchor.parse(value.toString(StandardCharsets.UTF_8));
            return written.origin().equals(anchor.origin()) && written.treeSize() == anchor.treeSize()
                    && written.rootHash().equals(anchor.rootHash()) && written.txId().equals(anchor.txId());
        } catch (RuntimeException e) {
            return false; // another key of the chaincode
        }
    }

    private String signed(ChainAnchor anchor) {
        Checkpoint checkpoint = log.keys().verify(anchor.checkpointNote());
        boolean same = checkpoint.treeSize() == anchor.treeSize()
                && MessageDigest.isEqual(checkpoint.rootHash(), HEX.parseHex(anchor.rootHash()));
        return check(same, "the anchored note verifies with the log's key " + log.origin()
                + (same ? " and states the anchored size and root" : " but states another size or root"));
    }

    private interface Check {
        String run() throws Exception;
    }

    /** Runs a check; an exception or a failed check becomes a failed step with its message. */
    private static Step step(String name, Check check) {
        try {
            return new Step(name, true, check.run());
        } catch (Failed e) {
            return new Step(name, false, e.getMessage());
        } catch (Exception e) {
            return new Step(name, false, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String check(boolean ok, String detail) {
        if (!ok) {
            throw new Failed(detail);
        }
        return detail;
    }

    private static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }
    }
}
