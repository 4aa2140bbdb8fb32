-- Opt-out snapshots issued to data holders for offline filtering; their reports are certified against them.
CREATE TABLE opt_out_snapshot (
    snapshot_id VARCHAR(64)  PRIMARY KEY,
    data_holder VARCHAR(200) NOT NULL,
    project_id  VARCHAR(64)  NOT NULL,
    dataset     VARCHAR(200) NOT NULL,
    permit_id   VARCHAR(100) NOT NULL,
    rule        VARCHAR(40)  NOT NULL,
    extract_at  VARCHAR(40)  NOT NULL,
    valid_until VARCHAR(40)  NOT NULL,
    tree_size   BIGINT       NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
