-- Every change to a directory entry (its managers' edits, an accepted proposal, an import, a
-- merge, a restore) leaves a revision: who, when, and the entry's fields before and after (JSON
-- objects of the fields that changed; `{}` before a creation). `/annuaire/{slug}/historique`
-- lists them and can restore one.
CREATE TABLE structure_revisions (
    id INTEGER PRIMARY KEY,
    structure_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    origin TEXT NOT NULL CHECK (origin IN ('creation', 'manager', 'proposal', 'import', 'merge',
        'restore', 'admin')),
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    author_name TEXT NOT NULL DEFAULT '',
    fields_before TEXT NOT NULL,
    fields_after TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX structure_revisions_structure ON structure_revisions (structure_id, id);

-- Once a year, managers are asked whether their entry is still accurate: the last time they
-- were asked (one app server claims each mail by setting it).
ALTER TABLE structures ADD COLUMN reminded_at TEXT;

-- The address of an entry merged into another answers with a permanent redirect to it.
CREATE TABLE structure_redirects (
    slug TEXT PRIMARY KEY,
    structure_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE
);
