-- Shared means (`/moyens`): a structure offers a room, a vehicle, equipment or a skill, or says
-- what it looks for; other structures ask to book an offer for whole days, and the offer's
-- structure accepts or refuses.
CREATE TABLE shared_means (
    id INTEGER PRIMARY KEY,
    structure_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('salle', 'vehicule', 'materiel', 'competence')),
    direction TEXT NOT NULL CHECK (direction IN ('offre', 'recherche')),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    commune_id INTEGER REFERENCES territories (id),
    terms TEXT NOT NULL CHECK (terms IN ('gratuit', 'partage-des-frais', 'echange')),
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX shared_means_structure ON shared_means (structure_id);

CREATE TABLE mean_bookings (
    id INTEGER PRIMARY KEY,
    mean_id INTEGER NOT NULL REFERENCES shared_means (id) ON DELETE CASCADE,
    structure_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    requested_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('en-attente', 'acceptee', 'refusee')),
    created_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX mean_bookings_mean ON mean_bookings (mean_id, first_day);

-- One row per day an accepted booking holds: the database itself refuses a second accepted
-- booking on any of those days, however two acceptances race.
CREATE TABLE mean_booked_days (
    mean_id INTEGER NOT NULL REFERENCES shared_means (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    booking_id INTEGER NOT NULL REFERENCES mean_bookings (id) ON DELETE CASCADE,
    PRIMARY KEY (mean_id, day)
);
