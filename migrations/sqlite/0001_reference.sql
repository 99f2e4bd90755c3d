-- Reference data shared by every feature: territories (départements, intercommunalités,
-- communes) and the ESS sectors. Labels are French; slugs are stable URL keys.
CREATE TABLE territories (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('departement', 'intercommunalite', 'commune')),
    parent_id INTEGER REFERENCES territories (id),
    code TEXT
);
CREATE INDEX territories_parent ON territories (parent_id);

CREATE TABLE sectors (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL
);
