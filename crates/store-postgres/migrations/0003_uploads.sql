-- Audit records may name an object other than a case (an upload, a token).
ALTER TABLE audit_log ADD COLUMN object_id UUID;

-- Resumable uploads (tus). The bytes received so far are sealed chunks in the
-- blob store; this table is the offset every node agrees on.

CREATE TABLE uploads (
    id            UUID PRIMARY KEY,
    owner_id      UUID NOT NULL REFERENCES people (id),
    length        BIGINT NOT NULL CHECK (length >= 0),
    received      BIGINT NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= length),
    metadata      TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('receiving', 'complete', 'refused')),
    media_type    TEXT,
    blob_key      TEXT,
    key_id        TEXT,
    thumbnail_key TEXT,
    sha256        TEXT,
    width         INTEGER,
    height        INTEGER,
    sharpness     DOUBLE PRECISION,
    brightness    DOUBLE PRECISION,
    hint          TEXT,
    refusal       TEXT
);
CREATE INDEX uploads_by_owner ON uploads (owner_id);

CREATE TABLE upload_chunks (
    upload_id UUID NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    start     BIGINT NOT NULL,
    length    BIGINT NOT NULL,
    blob_key  TEXT NOT NULL,
    PRIMARY KEY (upload_id, start)
);
