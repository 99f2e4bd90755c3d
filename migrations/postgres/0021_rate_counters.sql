-- The rate limits' and the mail budget's counts (src/rate_limit.rs), shared by every app server
-- on this database so that N servers do not allow N times each allowance. A key is a hash of
-- what is counted (never an address in clear); a row lives for its window, then is swept.
CREATE TABLE rate_counters (
    key TEXT PRIMARY KEY,
    window_end TEXT NOT NULL,
    count BIGINT NOT NULL
);
