-- The « démarche progrès » label (src/features/label). A scheme fixes the number of training days
-- and the renewal period; cohorts gather the structures that train together, their training days
-- being events; each structure's journey is a list of dated steps that is only ever appended to
-- (a correction is a new step). `label_journeys` holds what the steps add up to, rewritten by the
-- application in the transaction that appends a step, so that pages, the search index and the
-- verification read one row.
CREATE TABLE label_schemes (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    training_days INTEGER NOT NULL DEFAULT 6 CHECK (training_days BETWEEN 1 AND 20),
    renewal_months INTEGER NOT NULL DEFAULT 24 CHECK (renewal_months BETWEEN 1 AND 120),
    code_prefix TEXT NOT NULL
);
INSERT INTO label_schemes (slug, name, code_prefix) VALUES ('demarche-progres', 'Démarche progrès', 'DP-62');

-- Label referents run cohorts and mark attendance; site admins give and take the role.
ALTER TABLE users ADD COLUMN label_referent INTEGER NOT NULL DEFAULT 0;

CREATE TABLE label_cohorts (
    id INTEGER PRIMARY KEY,
    scheme_id INTEGER NOT NULL REFERENCES label_schemes (id),
    name TEXT NOT NULL,
    territory_id INTEGER NOT NULL REFERENCES territories (id),
    referent_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);

CREATE TABLE label_cohort_days (
    cohort_id INTEGER NOT NULL REFERENCES label_cohorts (id) ON DELETE CASCADE,
    day INTEGER NOT NULL CHECK (day >= 1),
    event_id INTEGER NOT NULL UNIQUE REFERENCES events (id),
    PRIMARY KEY (cohort_id, day)
);

CREATE TABLE label_journeys (
    id INTEGER PRIMARY KEY,
    scheme_id INTEGER NOT NULL REFERENCES label_schemes (id),
    structure_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('applied', 'admitted', 'labelled', 'suspended', 'withdrawn', 'expired')),
    cohort_id INTEGER REFERENCES label_cohorts (id),
    days_attended INTEGER NOT NULL DEFAULT 0,
    identifier TEXT UNIQUE,
    valid_until TEXT,
    state_since TEXT NOT NULL,
    -- Bumped by every step: the first statement of a step's transaction, so that two steps on
    -- one journey never interleave (a row lock on PostgreSQL).
    version INTEGER NOT NULL DEFAULT 0,
    UNIQUE (scheme_id, structure_id)
);
CREATE INDEX label_journeys_state ON label_journeys (state, valid_until);
CREATE INDEX label_journeys_cohort ON label_journeys (cohort_id);

CREATE TABLE label_steps (
    id INTEGER PRIMARY KEY,
    journey_id INTEGER NOT NULL REFERENCES label_journeys (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('applied', 'admitted', 'attended', 'attendance_removed', 'issued',
        'follow_up', 'review', 'renewed', 'suspended', 'reinstated', 'withdrawn', 'expired')),
    day INTEGER,
    cohort_id INTEGER REFERENCES label_cohorts (id),
    identifier TEXT,
    note TEXT NOT NULL DEFAULT '',
    -- NULL: the server itself (an expiry).
    by_user INTEGER REFERENCES users (id) ON DELETE SET NULL,
    at TEXT NOT NULL
);
CREATE INDEX label_steps_journey ON label_steps (journey_id, id);
CREATE TRIGGER label_steps_append_only BEFORE UPDATE OF journey_id, kind, day, cohort_id, identifier, note, at
    ON label_steps BEGIN
    SELECT RAISE(ABORT, 'label steps are never edited');
END;

-- Reminder mails, one per kind and validity period, and the day's lease per journey: the server
-- that inserts the row sends, any other finds it there.
CREATE TABLE label_reminders (
    journey_id INTEGER NOT NULL REFERENCES label_journeys (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('90', '30', 'expired')),
    valid_until TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (journey_id, kind, valid_until)
);
CREATE TABLE label_leases (
    journey_id INTEGER NOT NULL REFERENCES label_journeys (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    PRIMARY KEY (journey_id, day)
);

-- The directory shows the badge and counts labelled structures: its index follows the journeys.
CREATE TRIGGER search_changes_label_insert AFTER INSERT ON label_journeys BEGIN
    INSERT INTO search_changes (structure_id) VALUES (new.structure_id);
END;
CREATE TRIGGER search_changes_label_update AFTER UPDATE OF state, valid_until, identifier ON label_journeys BEGIN
    INSERT INTO search_changes (structure_id) VALUES (new.structure_id);
END;
