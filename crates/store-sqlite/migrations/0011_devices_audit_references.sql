-- Browsers that completed a sign-in (password and second factor) to an
-- account: their failures do not lock the account's owner out (ADR 0015).
CREATE TABLE known_devices (
    token_hash   TEXT PRIMARY KEY,      -- SHA-256 of the cookie value
    person_id    BLOB NOT NULL REFERENCES people (id),
    created_at   TEXT NOT NULL,
    last_used_at TEXT NOT NULL
);
CREATE INDEX known_devices_by_person ON known_devices (person_id);

-- Every patient a search returned (matches and includes), beyond the one
-- `patient_id` names; space-separated ids, in the record's hash when present.
ALTER TABLE audit_log ADD COLUMN patients TEXT;

-- Request references are a per-year sequence (TE-2026-0042), unique by
-- construction and readable over the phone.
CREATE TABLE reference_counters (
    prefix TEXT NOT NULL,
    year   INTEGER NOT NULL,
    last   BIGINT NOT NULL,
    PRIMARY KEY (prefix, year)
);
