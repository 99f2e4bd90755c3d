-- Periodic jobs (src/jobs.rs) that must run once per period whatever the number of app
-- servers: the server that inserts the period's row runs the job, the others find the row and
-- skip. A run holds a lease: a server that died holding it (no `finished_at` when the lease
-- ends) is replaced by the next server that looks. The row keeps what the run did.
CREATE TABLE job_runs (
    job TEXT NOT NULL,
    -- The period's number: seconds since 1970 divided by the job's period.
    period BIGINT NOT NULL,
    started_at TEXT NOT NULL,
    lease_until TEXT NOT NULL,
    finished_at TEXT,
    -- How many rows (or mails) the run handled, or the error it met.
    outcome TEXT,
    PRIMARY KEY (job, period)
);
