-- The FHIR API. Each status-history line keeps the Task as that step left
-- it, so every version of a request reads back (vread, history); people
-- say when they last changed (deactivation); and a search's result list is
-- kept for a while, so that its pages stay put while data changes. Saved
-- searches expire.

ALTER TABLE case_events ADD COLUMN team_id UUID REFERENCES teams (id);
ALTER TABLE case_events ADD COLUMN owner_id UUID REFERENCES people (id);
ALTER TABLE case_events ADD COLUMN deadline TIMESTAMPTZ;
ALTER TABLE case_events ADD COLUMN answered BOOLEAN;
ALTER TABLE case_events ADD COLUMN status_reason TEXT;

ALTER TABLE people ADD COLUMN updated_at TIMESTAMPTZ;

CREATE TABLE saved_searches (
    id         UUID PRIMARY KEY,
    person_id  UUID NOT NULL REFERENCES people (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    kind       TEXT NOT NULL,           -- the resource type searched
    query      TEXT NOT NULL,           -- the normalised query, for links and includes
    total      BIGINT NOT NULL CHECK (total >= 0),
    results    TEXT NOT NULL            -- the matching ids in order, comma-separated
);
CREATE INDEX saved_searches_expiry ON saved_searches (expires_at);

-- SQLite's julianday(), so that the statements both backends share can
-- compare times stored as text of varying precision on SQLite.
CREATE FUNCTION julianday(t TIMESTAMPTZ) RETURNS DOUBLE PRECISION
    LANGUAGE sql IMMUTABLE STRICT
    AS 'SELECT extract(epoch FROM t)::double precision / 86400.0 + 2440587.5';
CREATE FUNCTION julianday(t TEXT) RETURNS DOUBLE PRECISION
    LANGUAGE sql STABLE STRICT
    AS 'SELECT julianday(t::timestamptz)';
