-- In-app notifications: one row per person and event, made by a `notify`
-- job. They name the request by its short reference only.

CREATE TABLE notifications (
    id         BLOB PRIMARY KEY,
    person_id  BLOB NOT NULL REFERENCES people (id),
    case_id    BLOB NOT NULL REFERENCES cases (id),
    event      TEXT NOT NULL,
    reference  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at    TEXT,
    source_job BLOB NOT NULL,                -- a job run twice notifies once
    UNIQUE (source_job, person_id)
);
CREATE INDEX notifications_by_person ON notifications (person_id, id);
