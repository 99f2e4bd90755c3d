-- « Lettre d'information » (src/features/newsletter): subscribers confirm their address before
-- anything is sent (double opt-in); a digest per frequency and period is written once, and
-- each delivery is recorded before its mail leaves, so a run that stops half-way resumes
-- without sending anyone the same digest twice.
CREATE TABLE subscribers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    frequency TEXT NOT NULL CHECK (frequency IN ('weekly', 'monthly')),
    territory_id INTEGER REFERENCES territories (id) ON DELETE SET NULL,
    -- The hash of the pending confirmation link, while the address is not confirmed.
    confirm_hash TEXT UNIQUE,
    confirm_expires_at TEXT,
    confirmed_at TEXT,
    -- The link in every letter that unsubscribes in one click (RFC 8058).
    unsubscribe_token TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE digests (
    id INTEGER PRIMARY KEY,
    frequency TEXT NOT NULL CHECK (frequency IN ('weekly', 'monthly')),
    -- « 2026-W49 » or « 2026-12 ».
    period TEXT NOT NULL,
    since TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    UNIQUE (frequency, period)
);
CREATE TABLE digest_deliveries (
    digest_id INTEGER NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (digest_id, subscriber_id)
);
