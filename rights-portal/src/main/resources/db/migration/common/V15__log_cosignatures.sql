-- Witnesses' cosignatures (C2SP tlog-cosignature lines) on stored checkpoints, stored once verified.
CREATE TABLE log_cosignature (
    tree_size   BIGINT        NOT NULL,
    witness     VARCHAR(255)  NOT NULL,
    signature   VARCHAR(1000) NOT NULL,
    cosigned_at BIGINT        NOT NULL,
    PRIMARY KEY (tree_size, witness)
);
