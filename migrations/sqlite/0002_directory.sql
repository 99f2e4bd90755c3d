-- The directory of ESS structures. Territory columns are denormalised (commune, its
-- intercommunality, its département) so that the territory filter and facet need no recursion.
CREATE TABLE structures (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- The name folded to lower-case ASCII (slugify), so that « Économie » sorts among the E.
    sort_key TEXT NOT NULL,
    acronym TEXT NOT NULL DEFAULT '',
    siret TEXT UNIQUE CHECK (siret IS NULL OR length(siret) = 14),
    legal_form TEXT NOT NULL CHECK (legal_form IN
        ('association', 'scop', 'scic', 'cooperative', 'mutuelle', 'fondation', 'esus', 'siae', 'esat-ea', 'autre')),
    siae_kind TEXT CHECK (siae_kind IN ('ACI', 'EI', 'ETTI', 'AI')),
    commune_id INTEGER NOT NULL REFERENCES territories (id),
    intercommunality_id INTEGER REFERENCES territories (id),
    departement_id INTEGER NOT NULL REFERENCES territories (id),
    address TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    latitude REAL,
    longitude REAL,
    description TEXT NOT NULL DEFAULT '',
    offer TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    staff_band TEXT NOT NULL DEFAULT '',
    year_founded INTEGER,
    status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'draft')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    verified_at TEXT
);
CREATE INDEX structures_status_sort ON structures (status, sort_key);
CREATE INDEX structures_legal_form ON structures (legal_form);
CREATE INDEX structures_commune ON structures (commune_id);
CREATE INDEX structures_intercommunality ON structures (intercommunality_id);
CREATE INDEX structures_departement ON structures (departement_id);

CREATE TABLE structure_sectors (
    structure_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    sector_id INTEGER NOT NULL REFERENCES sectors (id),
    PRIMARY KEY (structure_id, sector_id)
);
CREATE INDEX structure_sectors_sector ON structure_sectors (sector_id, structure_id);

-- Full-text index: case- and accent-insensitive, with prefix indexes for « recycl » -> recyclage.
CREATE VIRTUAL TABLE structures_fts USING fts5 (
    name, acronym, offer, description,
    content = 'structures', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
);
CREATE TRIGGER structures_fts_insert AFTER INSERT ON structures BEGIN
    INSERT INTO structures_fts (rowid, name, acronym, offer, description)
    VALUES (new.id, new.name, new.acronym, new.offer, new.description);
END;
CREATE TRIGGER structures_fts_delete AFTER DELETE ON structures BEGIN
    INSERT INTO structures_fts (structures_fts, rowid, name, acronym, offer, description)
    VALUES ('delete', old.id, old.name, old.acronym, old.offer, old.description);
END;
CREATE TRIGGER structures_fts_update AFTER UPDATE OF name, acronym, offer, description ON structures BEGIN
    INSERT INTO structures_fts (structures_fts, rowid, name, acronym, offer, description)
    VALUES ('delete', old.id, old.name, old.acronym, old.offer, old.description);
    INSERT INTO structures_fts (rowid, name, acronym, offer, description)
    VALUES (new.id, new.name, new.acronym, new.offer, new.description);
END;
