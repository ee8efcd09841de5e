-- Sign-in, sessions, API tokens, throttling, cases (minimal), the audit trail.

CREATE TABLE credentials (
    person_id      UUID PRIMARY KEY REFERENCES people (id),
    password_hash  TEXT NOT NULL,
    totp_secret    TEXT,
    totp_last_step BIGINT,
    updated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    token_hash          TEXT PRIMARY KEY,
    person_id           UUID NOT NULL REFERENCES people (id),
    stage               TEXT NOT NULL CHECK (stage IN ('second_factor', 'enrolment', 'active')),
    pending_totp_secret TEXT,
    created_at          TIMESTAMPTZ NOT NULL,
    last_seen_at        TIMESTAMPTZ NOT NULL,
    client_addr         TEXT
);
CREATE INDEX sessions_by_person ON sessions (person_id);

CREATE TABLE api_tokens (
    id           UUID PRIMARY KEY,
    person_id    UUID NOT NULL REFERENCES people (id),
    token_hash   TEXT NOT NULL UNIQUE,
    label        TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_by_person ON api_tokens (person_id);

CREATE TABLE sign_in_counters (
    key               TEXT PRIMARY KEY,
    failures          INTEGER NOT NULL,
    window_started_at TIMESTAMPTZ NOT NULL,
    locked_until      TIMESTAMPTZ
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE cases (
    id           UUID PRIMARY KEY,
    reference    TEXT NOT NULL UNIQUE,
    patient_id   UUID NOT NULL REFERENCES patients (id),
    requester_id UUID NOT NULL REFERENCES people (id),
    site_id      UUID NOT NULL REFERENCES organizations (id),
    team_id      UUID NOT NULL REFERENCES teams (id),
    status       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX cases_by_requester ON cases (requester_id);
CREATE INDEX cases_by_site ON cases (site_id);
CREATE INDEX cases_by_team ON cases (team_id);

CREATE TABLE audit_log (
    seq             BIGINT PRIMARY KEY,
    at              TIMESTAMPTZ NOT NULL,
    actor_id        UUID,
    via             TEXT NOT NULL,
    organization_id UUID,
    patient_id      UUID,
    case_id         UUID,
    action          TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    client_addr     TEXT,
    request_id      TEXT,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE INDEX audit_by_organization ON audit_log (organization_id, seq);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL,
    mac  TEXT NOT NULL
);
