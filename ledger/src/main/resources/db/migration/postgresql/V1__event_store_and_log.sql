-- Axon's JDBC event storage (default EventSchema names), plus the verifiable log beside it.
CREATE TABLE domain_event_entry (
    global_index         BIGSERIAL    PRIMARY KEY,
    event_identifier     VARCHAR(255) NOT NULL UNIQUE,
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    type                 VARCHAR(255),
    time_stamp           VARCHAR(255) NOT NULL,
    payload_type         VARCHAR(255) NOT NULL,
    payload_revision     VARCHAR(255),
    payload              BYTEA        NOT NULL,
    meta_data            BYTEA,
    UNIQUE (aggregate_identifier, sequence_number)
);

CREATE TABLE snapshot_event_entry (
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    type                 VARCHAR(255) NOT NULL,
    event_identifier     VARCHAR(255) NOT NULL UNIQUE,
    time_stamp           VARCHAR(255) NOT NULL,
    payload_type         VARCHAR(255) NOT NULL,
    payload_revision     VARCHAR(255),
    payload              BYTEA        NOT NULL,
    meta_data            BYTEA,
    PRIMARY KEY (aggregate_identifier, sequence_number)
);

CREATE TABLE token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER      NOT NULL,
    token          BYTEA,
    token_type     VARCHAR(255),
    timestamp      VARCHAR(255),
    owner          VARCHAR(255),
    PRIMARY KEY (processor_name, segment)
);

-- One row per event, in commit order. leaf_index is dense: appends lock log_head.
CREATE TABLE log_leaf (
    leaf_index       BIGINT       PRIMARY KEY,
    event_identifier VARCHAR(255) NOT NULL UNIQUE,
    leaf_hash        BYTEA        NOT NULL
);

CREATE TABLE log_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    tree_size BIGINT  NOT NULL
);
INSERT INTO log_head (id, tree_size) VALUES (1, 0);

-- Every checkpoint ever issued, as signed.
CREATE TABLE log_checkpoint (
    tree_size BIGINT      PRIMARY KEY,
    root_hash BYTEA       NOT NULL,
    note      TEXT        NOT NULL,
    issued_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- The first answer to each idempotency key, so a retried request records nothing twice.
CREATE TABLE idempotency_record (
    idempotency_key VARCHAR(128) PRIMARY KEY,
    request_hash    VARCHAR(64)  NOT NULL,
    aggregate_id    VARCHAR(255) NOT NULL,
    first_leaf      BIGINT       NOT NULL,
    last_leaf       BIGINT       NOT NULL,
    recorded_at     TIMESTAMPTZ  NOT NULL DEFAULT CURRENT_TIMESTAMP
);
