-- Imports started by site admins in the page (`/admin/import`): the uploaded files are kept
-- with the dry run's report until the admin applies them (or a day has passed), so that
-- applying needs no second upload and works on any app server.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('structures', 'sirene')),
    file_name TEXT NOT NULL,
    first_file BLOB NOT NULL,
    second_file BLOB,
    departements TEXT NOT NULL DEFAULT '',
    report TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    applied_report TEXT,
    applied_at TEXT
);
