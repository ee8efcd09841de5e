-- The expert's side: who owns a request, its stopped clock, the thread
-- (questions, replies, advice), advice versions, appointments, reports and
-- the status history. Deadlines are whole seconds of RFC 3339 text in UTC,
-- so text order is time order and the queue sorts in SQL.

ALTER TABLE cases ADD COLUMN owner_id BLOB REFERENCES people (id);
ALTER TABLE cases ADD COLUMN hold_remaining_secs INTEGER;
ALTER TABLE cases ADD COLUMN answered INTEGER NOT NULL DEFAULT 0 CHECK (answered IN (0, 1));
ALTER TABLE cases ADD COLUMN status_reason TEXT;
ALTER TABLE cases ADD COLUMN priority TEXT NOT NULL DEFAULT 'routine' CHECK (priority IN ('routine', 'urgent'));
-- Bumped by every move, so that two concurrent moves cannot both win.
ALTER TABLE cases ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_queue ON cases (team_id, deadline);
CREATE INDEX cases_by_patient ON cases (patient_id);

CREATE TABLE case_events (
    id          BLOB PRIMARY KEY,          -- UUIDv7: time order
    case_id     BLOB NOT NULL REFERENCES cases (id),
    at          TEXT NOT NULL,
    actor_id    BLOB REFERENCES people (id),
    step        TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    detail      TEXT
);
CREATE INDEX case_events_by_case ON case_events (case_id, id);

CREATE TABLE case_messages (
    id              BLOB PRIMARY KEY,
    case_id         BLOB NOT NULL REFERENCES cases (id),
    author_id       BLOB NOT NULL REFERENCES people (id),
    kind            TEXT NOT NULL CHECK (kind IN ('question', 'reply', 'advice')),
    at              TEXT NOT NULL,
    body            TEXT NOT NULL,
    asks_photos     INTEGER NOT NULL DEFAULT 0 CHECK (asks_photos IN (0, 1)),
    idempotency_key TEXT
);
CREATE INDEX case_messages_by_case ON case_messages (case_id, id);
CREATE UNIQUE INDEX case_messages_idempotency ON case_messages (author_id, idempotency_key);

CREATE TABLE message_attachments (
    message_id BLOB NOT NULL REFERENCES case_messages (id),
    upload_id  BLOB NOT NULL REFERENCES uploads (id),
    PRIMARY KEY (message_id, upload_id)
);

CREATE TABLE advices (
    case_id    BLOB NOT NULL REFERENCES cases (id),
    version    INTEGER NOT NULL CHECK (version >= 1),
    message_id BLOB NOT NULL REFERENCES case_messages (id),
    author_id  BLOB NOT NULL REFERENCES people (id),
    signed_at  TEXT NOT NULL,
    hypothesis TEXT NOT NULL,
    icd10      TEXT,
    management TEXT NOT NULL,
    visit      TEXT NOT NULL CHECK (visit IN ('no', 'within_week', 'within_month', 'within_three_months')),
    note       TEXT NOT NULL,
    PRIMARY KEY (case_id, version)
);
-- Sent advice is immutable: a correction is a new version.
CREATE TRIGGER advices_no_update BEFORE UPDATE ON advices
BEGIN SELECT RAISE(ABORT, 'advices are immutable'); END;
CREATE TRIGGER advices_no_delete BEFORE DELETE ON advices
BEGIN SELECT RAISE(ABORT, 'advices are immutable'); END;

CREATE TABLE appointments (
    id           BLOB PRIMARY KEY,
    case_id      BLOB NOT NULL REFERENCES cases (id),
    proposed_by  BLOB NOT NULL REFERENCES people (id),
    proposed_at  TEXT NOT NULL,
    starts_at    TEXT NOT NULL,
    place        TEXT NOT NULL,
    instructions TEXT NOT NULL
);
CREATE INDEX appointments_by_case ON appointments (case_id, id);

CREATE TABLE reports (
    id             BLOB PRIMARY KEY,
    case_id        BLOB NOT NULL REFERENCES cases (id),
    version        INTEGER NOT NULL CHECK (version >= 1),
    advice_version INTEGER NOT NULL,
    blob_key       TEXT NOT NULL,
    size           INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (case_id, version)
);
