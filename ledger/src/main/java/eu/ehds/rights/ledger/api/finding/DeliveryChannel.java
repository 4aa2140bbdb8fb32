package eu.ehds.rights.ledger.api.finding;

/** How a notice reaches its recipient. */
public enum DeliveryChannel {
    /** The person's inbox on the rights portal. */
    PORTAL_INBOX,
    /** An e-mail inviting the recipient to sign in; it holds no health detail. */
    EMAIL
}
