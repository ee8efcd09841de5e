-- Dashboards. One row of facts per sent request (month sent in Paris time,
-- status, first answer, response time without hold time, visit asked),
-- rewritten in the same transaction as every change of the request; and
-- monthly totals per team, site and status, moved by the same code, so a
-- dashboard reads a few thousand rows however many requests there are.
-- Declines are kept apart with their coded reason. Synthetic demo history
-- is flagged.

ALTER TABLE cases ADD COLUMN synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1));
-- Load: the open requests, among a million closed ones.
CREATE INDEX cases_by_status ON cases (status, team_id);

CREATE TABLE case_facts (
    case_id         BLOB PRIMARY KEY REFERENCES cases (id),
    month           TEXT NOT NULL,              -- YYYY-MM, Europe/Paris
    team_id         BLOB NOT NULL REFERENCES teams (id),
    site_id         BLOB NOT NULL REFERENCES organizations (id),
    status          TEXT NOT NULL,
    patient_id      BLOB NOT NULL REFERENCES patients (id),
    requester_id    BLOB NOT NULL REFERENCES people (id),
    expert_id       BLOB REFERENCES people (id),
    first_answer_at TEXT,                       -- whole seconds, UTC
    response_secs   INTEGER,
    within_target   INTEGER CHECK (within_target IN (0, 1)),
    visit           INTEGER CHECK (visit IN (0, 1)),
    synthetic       INTEGER NOT NULL CHECK (synthetic IN (0, 1))
);
-- Percentiles walk this index in response-time order.
CREATE INDEX case_facts_response ON case_facts (response_secs, month, team_id, site_id)
    WHERE response_secs IS NOT NULL;
CREATE INDEX case_facts_site_acts ON case_facts (site_id, first_answer_at);
CREATE INDEX case_facts_team_acts ON case_facts (team_id, first_answer_at);

CREATE TABLE stats_monthly (
    month         TEXT NOT NULL,
    team_id       BLOB NOT NULL REFERENCES teams (id),
    site_id       BLOB NOT NULL REFERENCES organizations (id),
    status        TEXT NOT NULL,
    requests      INTEGER NOT NULL,
    answered      INTEGER NOT NULL,
    response_secs INTEGER NOT NULL,
    within_target INTEGER NOT NULL,
    visits        INTEGER NOT NULL,
    synthetic     INTEGER NOT NULL,
    PRIMARY KEY (month, team_id, site_id, status)
);

CREATE TABLE case_declines (
    id        BLOB PRIMARY KEY,
    case_id   BLOB NOT NULL REFERENCES cases (id),
    at        TEXT NOT NULL,
    month     TEXT NOT NULL,
    team_id   BLOB NOT NULL REFERENCES teams (id),
    expert_id BLOB REFERENCES people (id),
    kind      TEXT NOT NULL
);
CREATE INDEX case_declines_by_month ON case_declines (month);
