-- Events and their registrations. Times are instants (RFC 3339 text in UTC); pages show them in
-- Europe/Paris. Seats are counted inside one write transaction per registration (the event row
-- is locked first), so that a rush never sells more seats than `capacity`.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN
        ('salon', 'atelier', 'table-ronde', 'reunion-club', 'mois-ess', 'formation', 'autre')),
    description TEXT NOT NULL DEFAULT '',
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place_name TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    commune_id INTEGER REFERENCES territories (id),
    latitude REAL,
    longitude REAL,
    online_url TEXT NOT NULL DEFAULT '',
    organiser_id INTEGER REFERENCES structures (id) ON DELETE SET NULL,
    capacity INTEGER CHECK (capacity IS NULL OR capacity >= 0),
    per_structure_limit INTEGER CHECK (per_structure_limit IS NULL OR per_structure_limit > 0),
    registration_opens_at TEXT,
    registration_closes_at TEXT,
    -- Closed by an organiser, whatever the dates say.
    registration_closed INTEGER NOT NULL DEFAULT 0,
    visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'members')),
    -- RFC 5545 SEQUENCE: bumped at every change, so that calendars replace their copy.
    sequence INTEGER NOT NULL DEFAULT 0,
    -- The arrival counter: each registration that asks for a seat takes the next number.
    next_queue INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (ends_at >= starts_at)
);
CREATE INDEX events_starts ON events (starts_at);

-- Members who run an event besides the managers of its organiser structure.
CREATE TABLE event_organisers (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, user_id)
);

-- Workshops (and round tables) inside an event, each with its own time, room and capacity.
CREATE TABLE event_sessions (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    room TEXT NOT NULL DEFAULT '',
    capacity INTEGER CHECK (capacity IS NULL OR capacity >= 0)
);
CREATE INDEX event_sessions_event ON event_sessions (event_id, starts_at);

CREATE TABLE event_questions (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('texte', 'choix', 'oui-non')),
    -- For a choice: one option per line.
    choices TEXT NOT NULL DEFAULT '',
    required INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_questions_event ON event_questions (event_id, position);

-- A person's registration. `pending`: a guest who has not yet confirmed their address (holds no
-- seat); `queue`: the arrival number, which orders the waitlist.
CREATE TABLE registrations (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    structure_id INTEGER REFERENCES structures (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'waitlisted', 'cancelled')),
    queue INTEGER,
    checked_in_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    cancelled_at TEXT
);
-- One seat or waitlist place per person and event, kept by the database.
CREATE UNIQUE INDEX registrations_one_per_person ON registrations (event_id, email)
    WHERE status IN ('confirmed', 'waitlisted');
CREATE INDEX registrations_event_status ON registrations (event_id, status, queue);
CREATE INDEX registrations_user ON registrations (user_id);

-- Chosen workshops, each confirmed or waitlisted on its own.
CREATE TABLE registration_sessions (
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    session_id INTEGER NOT NULL REFERENCES event_sessions (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    queue INTEGER NOT NULL,
    PRIMARY KEY (registration_id, session_id)
);
CREATE INDEX registration_sessions_session ON registration_sessions (session_id, status, queue);

CREATE TABLE registration_answers (
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES event_questions (id) ON DELETE CASCADE,
    answer TEXT NOT NULL,
    PRIMARY KEY (registration_id, question_id)
);

-- Links sent by mail (confirm a guest's address, cancel): only a SHA-256 of the token is kept.
-- A registration may have several cancel links (the confirmation's, a promotion's): each works.
CREATE TABLE registration_tokens (
    token_hash TEXT PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('confirm', 'cancel')),
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX registration_tokens_registration ON registration_tokens (registration_id);
