-- Responsible purchasing (src/features/purchasing). A member declares themselves a buyer for an
-- organisation; a buyer writes a need, the portal proposes the ESS structures that fit (kept in
-- `need_suppliers` with why each matched), the buyer removes or adds some and sends it; the kept
-- structures answer; the buyer closes the need with an outcome per structure. Every change is a
-- row of `need_history` (who and when). At a fair, buyers book one-to-one meetings with the
-- structures that hold a stand; the database refuses a buyer or a structure twice at one time.
CREATE TABLE buyers (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    organisation TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN
        ('collectivite', 'bailleur', 'entreprise', 'comite-entreprise', 'association', 'autre')),
    siret TEXT CHECK (siret IS NULL OR length(siret) = 14),
    created_at TEXT NOT NULL
);

CREATE TABLE needs (
    id INTEGER PRIMARY KEY,
    buyer_id INTEGER NOT NULL REFERENCES buyers (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    commune_id INTEGER NOT NULL REFERENCES territories (id),
    kind TEXT NOT NULL CHECK (kind IN ('devis', 'appel-offres', 'sourcing')),
    amount_band TEXT NOT NULL CHECK (amount_band IN
        ('non-estime', 'moins-10k', '10k-40k', '40k-100k', '100k-250k', 'plus-250k')),
    -- The last day answers are expected (YYYY-MM-DD, Paris).
    deadline TEXT NOT NULL,
    clause TEXT NOT NULL CHECK (clause IN ('aucune', 'clause-sociale', 'reserve-siae', 'reserve-esat-ea')),
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    created_at TEXT NOT NULL,
    published_at TEXT,
    closed_at TEXT
);
CREATE INDEX needs_status ON needs (status, visibility, deadline);
CREATE INDEX needs_buyer ON needs (buyer_id);

CREATE TABLE need_sectors (
    need_id INTEGER NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    sector_id INTEGER NOT NULL REFERENCES sectors (id),
    PRIMARY KEY (need_id, sector_id)
);

-- The structures proposed for a need: found by the matching (`added` = 0, with `reasons`) or
-- added by the buyer; `removed` ones are not sent. Answers and outcomes are kept here.
CREATE TABLE need_suppliers (
    need_id INTEGER NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    structure_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    reasons TEXT NOT NULL DEFAULT '',
    added INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0,
    answer TEXT CHECK (answer IS NULL OR answer IN ('interested', 'declined')),
    message TEXT NOT NULL DEFAULT '',
    attachment_url TEXT NOT NULL DEFAULT '',
    answered_at TEXT,
    contacted_at TEXT,
    outcome TEXT CHECK (outcome IS NULL OR outcome IN ('retenu', 'non-retenu', 'sans-suite')),
    -- Euros, when the buyer gives it (a won contract).
    amount INTEGER CHECK (amount IS NULL OR amount >= 0),
    PRIMARY KEY (need_id, structure_id)
);
CREATE INDEX need_suppliers_structure ON need_suppliers (structure_id);

CREATE TABLE need_history (
    id INTEGER PRIMARY KEY,
    need_id INTEGER NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    structure_id INTEGER REFERENCES structures (id) ON DELETE SET NULL,
    change TEXT NOT NULL CHECK (change IN ('created', 'supplier_removed', 'supplier_added',
        'supplier_restored', 'sent', 'answered', 'contacted', 'closed', 'outcome')),
    note TEXT NOT NULL DEFAULT '',
    by_user INTEGER REFERENCES users (id) ON DELETE SET NULL,
    at TEXT NOT NULL
);
CREATE INDEX need_history_need ON need_history (need_id, id);

-- The structures holding a stand at a fair, and its one-to-one meeting slots.
CREATE TABLE fair_stands (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    structure_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, structure_id)
);

CREATE TABLE meeting_slots (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    UNIQUE (event_id, starts_at),
    CHECK (ends_at > starts_at)
);

-- A booked meeting. `starts_at` is the slot's, copied so that the database itself refuses a
-- second meeting at the same time for the buyer or for the structure, however the bookings race.
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    slot_id INTEGER NOT NULL REFERENCES meeting_slots (id) ON DELETE CASCADE,
    starts_at TEXT NOT NULL,
    buyer_id INTEGER NOT NULL REFERENCES buyers (id) ON DELETE CASCADE,
    structure_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    booked_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    UNIQUE (buyer_id, starts_at),
    UNIQUE (structure_id, starts_at)
);
CREATE INDEX meetings_slot ON meetings (slot_id);
