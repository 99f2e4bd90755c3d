-- The directory dataset's daily snapshots (`/donnees`): the CSV of every published entry as it
-- was that day, gzip-compressed, so that a reuser can mirror the files by date. One row per day
-- (Paris time); the first server to make it wins, the others find it. Old days are removed.
CREATE TABLE open_data_snapshots (
    day TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    gzip BLOB NOT NULL
);
