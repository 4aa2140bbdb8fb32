-- Rate limits and failed sign-in counts held for the whole service, not per node: one row per bucket or count
-- (a client address or a user name), the amount left or counted and since when.
CREATE TABLE throttle (
    name         VARCHAR(300)     PRIMARY KEY,
    amount       DOUBLE PRECISION NOT NULL,
    since_millis BIGINT           NOT NULL
);
CREATE INDEX throttle_by_age ON throttle (since_millis);
