-- A member asks to manage a directory entry; a site admin or a current manager of the entry
-- decides. One pending request per member and entry.
CREATE TABLE manager_requests (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    structure_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX manager_requests_one_pending ON manager_requests (user_id, structure_id)
    WHERE status = 'pending';
CREATE INDEX manager_requests_structure ON manager_requests (structure_id, status);
