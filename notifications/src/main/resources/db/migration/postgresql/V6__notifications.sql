-- Significant-finding notices. Content and contact details live encrypted outside the immutable log, each record
-- under a data key of its own (wrapped by the master key), so that erasing the key erases the record (crypto-shredding).
CREATE TABLE vault_key (
    record_id   VARCHAR(120) PRIMARY KEY,
    wrapped_key BYTEA NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE vault_record (
    record_id  VARCHAR(120) PRIMARY KEY,
    nonce      BYTEA NOT NULL,
    ciphertext BYTEA NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    erased_at  TIMESTAMP WITH TIME ZONE
);
-- The facts the delivery needs of each finding (the person by pseudonym only).
CREATE TABLE notification_finding (
    finding_id VARCHAR(64)  PRIMARY KEY,
    project_id VARCHAR(64)  NOT NULL,
    person     VARCHAR(32)  NOT NULL,
    severity   VARCHAR(20)  NOT NULL,
    data_holder VARCHAR(200)
);
-- One row per finding and channel: written in the same transaction as the processor's token, so a crash neither
-- loses nor duplicates it; the worker sends what is due, with retries, and dead letters after the last attempt.
CREATE TABLE notification_outbox (
    finding_id      VARCHAR(64)  NOT NULL,
    channel         VARCHAR(20)  NOT NULL,
    recipient       VARCHAR(30)  NOT NULL,
    person          VARCHAR(32)  NOT NULL,
    status          VARCHAR(20)  NOT NULL,
    outcome         VARCHAR(20),
    attempts        INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_error      VARCHAR(500),
    recorded        BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (finding_id, channel)
);
CREATE INDEX notification_outbox_due ON notification_outbox (status, next_attempt_at);
-- The portal inbox: which notices reached whom (their text stays in the vault).
CREATE TABLE inbox_message (
    finding_id   VARCHAR(64)  PRIMARY KEY,
    person       VARCHAR(32)  NOT NULL,
    project_id   VARCHAR(64)  NOT NULL,
    severity     VARCHAR(20)  NOT NULL,
    delivered_at TIMESTAMP WITH TIME ZONE NOT NULL,
    read_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX inbox_message_by_person ON inbox_message (person, delivered_at);
