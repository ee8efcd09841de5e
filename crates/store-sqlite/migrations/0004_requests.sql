-- A case is a tele-expertise request: a draft while the requester fills it,
-- then submitted (Task status 'requested') with a deadline.

ALTER TABLE cases ADD COLUMN answers TEXT NOT NULL DEFAULT '{}';
ALTER TABLE cases ADD COLUMN consent_by BLOB REFERENCES people (id);
ALTER TABLE cases ADD COLUMN consent_at TEXT;
ALTER TABLE cases ADD COLUMN submitted_at TEXT;
ALTER TABLE cases ADD COLUMN deadline TEXT;
ALTER TABLE cases ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX cases_idempotency ON cases (requester_id, idempotency_key);

CREATE TABLE case_attachments (
    case_id    BLOB NOT NULL REFERENCES cases (id),
    upload_id  BLOB NOT NULL REFERENCES uploads (id),
    item       TEXT NOT NULL,            -- the questionnaire item: photos, ecg, documents
    body_site  TEXT,
    photo_kind TEXT CHECK (photo_kind IN ('overview', 'close_up', 'dermoscopic')),
    PRIMARY KEY (case_id, upload_id)
);
CREATE UNIQUE INDEX case_attachments_upload ON case_attachments (upload_id);
