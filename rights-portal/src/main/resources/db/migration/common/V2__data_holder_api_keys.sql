-- API keys of data holders. Only a SHA-256 of each key is kept; the key is shown once, when issued.
CREATE TABLE api_key (
    key_id      VARCHAR(16)  PRIMARY KEY,
    key_hash    VARCHAR(64)  NOT NULL UNIQUE,
    data_holder VARCHAR(200) NOT NULL,
    label       VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    revoked_at  TIMESTAMP WITH TIME ZONE
);
