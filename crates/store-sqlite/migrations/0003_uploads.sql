-- Audit records may name an object other than a case (an upload, a token).
ALTER TABLE audit_log ADD COLUMN object_id BLOB;

-- Resumable uploads (tus). The bytes received so far are sealed chunks in the
-- blob store; this table is the offset every node agrees on.

CREATE TABLE uploads (
    id            BLOB PRIMARY KEY,
    owner_id      BLOB NOT NULL REFERENCES people (id),
    length        INTEGER NOT NULL CHECK (length >= 0),
    received      INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= length),
    metadata      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('receiving', 'complete', 'refused')),
    media_type    TEXT,
    blob_key      TEXT,
    key_id        TEXT,
    thumbnail_key TEXT,
    sha256        TEXT,
    width         INTEGER,
    height        INTEGER,
    sharpness     REAL,
    brightness    REAL,
    hint          TEXT,
    refusal       TEXT
);
CREATE INDEX uploads_by_owner ON uploads (owner_id);

CREATE TABLE upload_chunks (
    upload_id BLOB NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    start     INTEGER NOT NULL,
    length    INTEGER NOT NULL,
    blob_key  TEXT NOT NULL,
    PRIMARY KEY (upload_id, start)
);
