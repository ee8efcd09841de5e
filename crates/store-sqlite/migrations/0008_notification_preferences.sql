-- What each person wants by mail: every notification at once (default),
-- some events muted, or one daily summary instead.

CREATE TABLE notification_preferences (
    person_id    BLOB PRIMARY KEY REFERENCES people (id),
    muted_events TEXT NOT NULL DEFAULT '',            -- comma-separated events not mailed
    daily_digest INTEGER NOT NULL DEFAULT 0 CHECK (daily_digest IN (0, 1))
);
