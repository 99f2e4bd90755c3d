-- Clubs of ESS structures. Members are structures (represented by their managers); club admins
-- are users who manage an active member structure. Every change to a club's membership or admins
-- runs in one write transaction that first touches the club's row (a lock on PostgreSQL, the
-- database-wide write lock on SQLite) and checks, before committing, that the club still has an
-- admin.
CREATE TABLE clubs (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    territory_id INTEGER REFERENCES territories (id),
    description TEXT NOT NULL DEFAULT '',
    charter TEXT NOT NULL DEFAULT '',
    -- How often the club meets, in words (« chaque trimestre »).
    meetings TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A structure's membership of a club: one row per club and structure, whose status moves along
-- requested / invited -> active -> left / removed, or -> declined; the history keeps every step.
CREATE TABLE club_members (
    club_id INTEGER NOT NULL REFERENCES clubs (id) ON DELETE CASCADE,
    structure_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('requested', 'invited', 'active', 'declined', 'left', 'removed')),
    -- The request's or the invitation's words.
    message TEXT NOT NULL DEFAULT '',
    -- Who asked or invited, for the pending row.
    proposed_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    since TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (club_id, structure_id)
);
CREATE INDEX club_members_structure ON club_members (structure_id, status);
CREATE INDEX club_members_status ON club_members (club_id, status);

CREATE TABLE club_admins (
    club_id INTEGER NOT NULL REFERENCES clubs (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (club_id, user_id)
);
CREATE INDEX club_admins_user ON club_admins (user_id);

-- Every change: when, who did it, what (the action), to which structure or person, and why.
CREATE TABLE club_history (
    id INTEGER PRIMARY KEY,
    club_id INTEGER NOT NULL REFERENCES clubs (id) ON DELETE CASCADE,
    structure_id INTEGER REFERENCES structures (id) ON DELETE SET NULL,
    -- The person made or unmade admin.
    subject_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- Names kept as they were, so the history reads the same after a deletion.
    structure_name TEXT NOT NULL DEFAULT '',
    subject_name TEXT NOT NULL DEFAULT '',
    actor_name TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL CHECK (action IN ('requested', 'invited', 'approved', 'declined', 'accepted',
        'refused', 'removed', 'left', 'admin-added', 'admin-removed', 'invited-by-email', 'created')),
    reason TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX club_history_club ON club_history (club_id, id);

-- An invitation sent to an e-mail address for a structure not yet in the directory: whoever
-- follows the link creates the structure's entry, which joins the club. Only a SHA-256 of the
-- token is kept.
CREATE TABLE club_email_invitations (
    id INTEGER PRIMARY KEY,
    club_id INTEGER NOT NULL REFERENCES clubs (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL UNIQUE,
    invited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX club_email_invitations_club ON club_email_invitations (club_id, email);

-- A club meeting: an event reserved to the club's members when `visibility` is 'members'.
ALTER TABLE events ADD COLUMN club_id INTEGER REFERENCES clubs (id) ON DELETE SET NULL;
CREATE INDEX events_club ON events (club_id, starts_at);
