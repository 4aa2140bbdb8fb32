-- What every node of this database must agree on, recorded by the first node to start (fingerprints of the keys,
-- never the keys; the log's origin and decision rule as they are).
CREATE TABLE shared_setting (
    name        VARCHAR(40)  PRIMARY KEY,
    fingerprint VARCHAR(128) NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
