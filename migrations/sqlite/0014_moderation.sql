-- Moderation of the directory. Moderators are chosen by site admins, for every territory or
-- one département; site admins moderate everywhere.
CREATE TABLE moderators (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- NULL: every territory.
    departement_id INTEGER REFERENCES territories (id),
    granted_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    granted_at TEXT NOT NULL
);

-- A new entry proposed by anyone (« Référencer ma structure »), or a correction of an entry
-- proposed by someone who does not manage it. Nothing is applied before a moderator accepts
-- it: `fields` holds the proposed value of each field (JSON), `accepted_fields` the fields a
-- moderator kept. A visitor's proposal waits, `unconfirmed`, for their address to be confirmed.
CREATE TABLE proposals (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('new', 'correction')),
    -- The entry corrected, or the entry created once a new one is accepted; NULL when the
    -- entry was deleted meanwhile.
    structure_id INTEGER REFERENCES structures (id) ON DELETE SET NULL,
    departement_id INTEGER REFERENCES territories (id),
    fields TEXT NOT NULL,
    proposer_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    proposer_name TEXT NOT NULL,
    proposer_email TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('unconfirmed', 'pending', 'accepted', 'refused')),
    accepted_fields TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    decided_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_by_name TEXT NOT NULL DEFAULT '',
    decided_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX proposals_queue ON proposals (status, created_at);
CREATE INDEX proposals_structure ON proposals (structure_id, status);

CREATE TRIGGER tokens_forget_proposal AFTER DELETE ON proposals BEGIN
    DELETE FROM tokens WHERE subject_id = OLD.id AND purpose = 'proposal_confirm';
END;
