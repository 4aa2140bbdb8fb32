package eu.ehds.rights.portal.admin;

import eu.ehds.rights.portal.ledger.CommandReceipt;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** The body of a recorded command: where its event sits in the log. */
record ReceiptResponse(long leafIndex, long treeSize) {

    /** 201 with the receipt; a retry gets the same body, marked with {@code Idempotent-Replayed: true}. */
    static <T> ResponseEntity<T> created(CommandReceipt receipt, T body) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .header("Idempotent-Replayed", Boolean.toString(receipt.replayed()))
                .body(body);
    }

    static ResponseEntity<ReceiptResponse> created(CommandReceipt receipt) {
        return created(receipt, new ReceiptResponse(receipt.leafIndex(), receipt.treeSize()));
    }
}
