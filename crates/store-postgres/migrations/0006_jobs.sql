-- Background jobs: enqueued in the same transaction as the change that
-- causes them (or scheduled with a due time), claimed with a lease by any
-- node, retried with backoff, failed after their last attempt. Times are
-- whole seconds, as on SQLite.

CREATE TABLE jobs (
    id           UUID PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    dedupe_key   TEXT UNIQUE,              -- the same key enqueues once
    due_at       TIMESTAMPTZ NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    lease_owner  TEXT,
    lease_until  TIMESTAMPTZ,
    last_error   TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ
);
CREATE INDEX jobs_due ON jobs (state, due_at);
