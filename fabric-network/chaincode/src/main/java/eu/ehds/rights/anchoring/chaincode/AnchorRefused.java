package eu.ehds.rights.anchoring.chaincode;

import org.hyperledger.fabric.shim.ChaincodeException;

/** A transaction the chaincode refuses; the message says why and reaches the client in the endorsement error. */
final class AnchorRefused extends ChaincodeException {

    AnchorRefused(String message) {
        super(message);
    }
}
