-- Calls for projects (`/appels`) and the consortia structures form to answer them. A call's
-- deadline is a day (AAAA-MM-JJ); a consortium has a lead structure, invited partners who
-- accept or decline, roles, a shared checklist, and says whether the call's page names it.
CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    funder TEXT NOT NULL,
    deadline TEXT NOT NULL,
    themes TEXT NOT NULL DEFAULT '',
    territory_id INTEGER REFERENCES territories (id),
    url TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    structure_id INTEGER REFERENCES structures (id) ON DELETE SET NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX calls_deadline ON calls (deadline);

CREATE TABLE consortia (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    lead_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('privee', 'publique')),
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    -- When the reminder before the deadline went out: once, whatever the number of servers.
    reminded_at TEXT,
    UNIQUE (call_id, lead_id)
);

CREATE TABLE consortium_members (
    consortium_id INTEGER NOT NULL REFERENCES consortia (id) ON DELETE CASCADE,
    structure_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('invitee', 'membre', 'declinee')),
    invited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    invited_at TEXT NOT NULL,
    answered_at TEXT,
    PRIMARY KEY (consortium_id, structure_id)
);
CREATE INDEX consortium_members_structure ON consortium_members (structure_id);

CREATE TABLE consortium_tasks (
    id INTEGER PRIMARY KEY,
    consortium_id INTEGER NOT NULL REFERENCES consortia (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    done_at TEXT,
    done_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX consortium_tasks_consortium ON consortium_tasks (consortium_id, id);
