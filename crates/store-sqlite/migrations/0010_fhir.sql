-- The FHIR API. Each status-history line keeps the Task as that step left
-- it, so every version of a request reads back (vread, history); people
-- say when they last changed (deactivation); and a search's result list is
-- kept for a while, so that its pages stay put while data changes. Saved
-- searches expire; times are whole seconds, so text order is time order.

ALTER TABLE case_events ADD COLUMN team_id BLOB REFERENCES teams (id);
ALTER TABLE case_events ADD COLUMN owner_id BLOB REFERENCES people (id);
ALTER TABLE case_events ADD COLUMN deadline TEXT;
ALTER TABLE case_events ADD COLUMN answered INTEGER CHECK (answered IN (0, 1));
ALTER TABLE case_events ADD COLUMN status_reason TEXT;

ALTER TABLE people ADD COLUMN updated_at TEXT;

CREATE TABLE saved_searches (
    id         BLOB PRIMARY KEY,
    person_id  BLOB NOT NULL REFERENCES people (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    kind       TEXT NOT NULL,           -- the resource type searched
    query      TEXT NOT NULL,           -- the normalised query, for links and includes
    total      INTEGER NOT NULL CHECK (total >= 0),
    results    TEXT NOT NULL            -- the matching ids in order, comma-separated
);
CREATE INDEX saved_searches_expiry ON saved_searches (expires_at);
