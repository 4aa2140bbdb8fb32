-- What the node that anchors (one per database: see Leadership) last reported, so that every node shows the same
-- anchoring status: who anchors, when it last tried and what it waits for.
CREATE TABLE anchoring_report (
    origin       VARCHAR(300)  PRIMARY KEY,
    leader       VARCHAR(200)  NOT NULL,
    problem      VARCHAR(2000),
    -- the chain contradicts this log (a fork, or a restore to an older state): anchoring has stopped
    forked       BOOLEAN       NOT NULL DEFAULT FALSE,
    last_attempt TIMESTAMP WITH TIME ZONE,
    reported_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
