-- API keys of projects' data users (they report significant findings). Only a SHA-256 of each key is kept.
CREATE TABLE project_api_key (
    key_id     VARCHAR(16)  PRIMARY KEY,
    key_hash   VARCHAR(64)  NOT NULL UNIQUE,
    project_id VARCHAR(64)  NOT NULL,
    label      VARCHAR(200) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    revoked_at TIMESTAMP WITH TIME ZONE
);
