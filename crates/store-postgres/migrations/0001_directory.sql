-- The region's directory. Ids are UUIDv7, times timestamptz (UTC).

CREATE TABLE specialties (
    code    TEXT PRIMARY KEY,          -- SNOMED CT
    name_fr TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE organizations (
    id              UUID PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('resource_centre', 'practice', 'health_centre',
                                                  'nursing_home', 'disability_facility', 'regional_agency')),
    name            TEXT NOT NULL,
    finess          TEXT UNIQUE,
    city            TEXT,
    sharing_enabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE teams (
    id                    UUID PRIMARY KEY,
    organization_id       UUID NOT NULL REFERENCES organizations (id),
    specialty_code        TEXT NOT NULL REFERENCES specialties (code),
    name                  TEXT NOT NULL,
    response_target_hours INTEGER NOT NULL DEFAULT 48 CHECK (response_target_hours BETWEEN 1 AND 720),
    UNIQUE (organization_id, specialty_code)
);

CREATE TABLE site_routes (
    site_id UUID NOT NULL REFERENCES organizations (id),
    team_id UUID NOT NULL REFERENCES teams (id),
    PRIMARY KEY (site_id, team_id)
);

CREATE TABLE people (
    id          UUID PRIMARY KEY,
    email       TEXT NOT NULL UNIQUE,
    given_names TEXT NOT NULL,
    family_name TEXT NOT NULL,
    profession  TEXT,
    rpps        TEXT UNIQUE,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ NOT NULL,
    CHECK ((profession IS NULL) = (rpps IS NULL))
);

CREATE TABLE memberships (
    id              UUID PRIMARY KEY,
    person_id       UUID NOT NULL REFERENCES people (id),
    organization_id UUID NOT NULL REFERENCES organizations (id),
    role            TEXT NOT NULL CHECK (role IN ('requester', 'expert', 'coordinator', 'org_admin', 'regional_admin')),
    team_id         UUID REFERENCES teams (id)
);
-- A role without a team is unique too: NULLs would be distinct in a plain UNIQUE.
CREATE UNIQUE INDEX memberships_unique
    ON memberships (person_id, organization_id, role, COALESCE(team_id, '00000000-0000-0000-0000-000000000000'::uuid));
CREATE INDEX memberships_by_organization ON memberships (organization_id);

CREATE TABLE patients (
    id                UUID PRIMARY KEY,
    ins               TEXT UNIQUE,
    birth_family_name TEXT NOT NULL,
    first_names       TEXT NOT NULL,
    birth_date        DATE NOT NULL,
    sex               TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other')),
    identity_status   TEXT NOT NULL CHECK (identity_status IN ('provisoire', 'recuperee', 'validee', 'qualifiee')),
    created_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE patient_sites (
    patient_id      UUID NOT NULL REFERENCES patients (id),
    organization_id UUID NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (patient_id, organization_id)
);
CREATE INDEX patient_sites_by_organization ON patient_sites (organization_id);
