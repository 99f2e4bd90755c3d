-- « Écrire à cette structure » (src/features/contact): the entries whose managers turned the
-- form off. Messages themselves are relayed, never stored.
CREATE TABLE contact_opt_outs (
    structure_id INTEGER PRIMARY KEY REFERENCES structures (id) ON DELETE CASCADE,
    closed_at TEXT NOT NULL
);
