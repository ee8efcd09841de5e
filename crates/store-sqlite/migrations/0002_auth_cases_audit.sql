-- Sign-in, sessions, API tokens, throttling, cases (minimal), the audit trail.
-- Times are compared in Rust, never in SQL (SQLite stores them as text).

CREATE TABLE credentials (
    person_id      BLOB PRIMARY KEY REFERENCES people (id),
    password_hash  TEXT NOT NULL,
    totp_secret    TEXT,                       -- base32; NULL until enrolled
    totp_last_step INTEGER,                    -- a TOTP step is accepted once
    updated_at     TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash          TEXT PRIMARY KEY,      -- SHA-256 of the cookie value
    person_id           BLOB NOT NULL REFERENCES people (id),
    stage               TEXT NOT NULL CHECK (stage IN ('second_factor', 'enrolment', 'active')),
    pending_totp_secret TEXT,
    created_at          TEXT NOT NULL,
    last_seen_at        TEXT NOT NULL,
    client_addr         TEXT
);
CREATE INDEX sessions_by_person ON sessions (person_id);

CREATE TABLE api_tokens (
    id           BLOB PRIMARY KEY,
    person_id    BLOB NOT NULL REFERENCES people (id),
    token_hash   TEXT NOT NULL UNIQUE,
    label        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_by_person ON api_tokens (person_id);

CREATE TABLE sign_in_counters (
    key               TEXT PRIMARY KEY,        -- 'account:<email>' or 'address:<ip>'
    failures          INTEGER NOT NULL,
    window_started_at TEXT NOT NULL,
    locked_until      TEXT
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE cases (
    id           BLOB PRIMARY KEY,
    reference    TEXT NOT NULL UNIQUE,
    patient_id   BLOB NOT NULL REFERENCES patients (id),
    requester_id BLOB NOT NULL REFERENCES people (id),
    site_id      BLOB NOT NULL REFERENCES organizations (id),
    team_id      BLOB NOT NULL REFERENCES teams (id),
    status       TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX cases_by_requester ON cases (requester_id);
CREATE INDEX cases_by_site ON cases (site_id);
CREATE INDEX cases_by_team ON cases (team_id);

CREATE TABLE audit_log (
    seq             INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    actor_id        BLOB,
    via             TEXT NOT NULL,
    organization_id BLOB,
    patient_id      BLOB,
    case_id         BLOB,
    action          TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    client_addr     TEXT,
    request_id      TEXT,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE INDEX audit_by_organization ON audit_log (organization_id, seq);

-- Append-only: the application never updates or deletes a record.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The chain's head, MAC-signed with a key kept outside the database, so that
-- a truncated tail is detected.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL,
    mac  TEXT NOT NULL
);
