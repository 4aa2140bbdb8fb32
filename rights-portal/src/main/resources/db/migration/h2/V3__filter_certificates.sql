-- Signed certificates of filtered extracts, and the rows each filter could not read (line numbers and reasons,
-- never the identifiers).
CREATE TABLE filter_certificate (
    filter_id   VARCHAR(64)  PRIMARY KEY,
    data_holder VARCHAR(200) NOT NULL,
    project_id  VARCHAR(64)  NOT NULL,
    certificate CLOB         NOT NULL,
    error_report CLOB        NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX filter_certificate_by_holder ON filter_certificate (data_holder, created_at);
