-- When each account last logged in, and when it was warned that it would be deleted for
-- inactivity (issue 29): an account unused for three years is warned by mail, then deleted 30
-- days later unless someone logs in (src/features/accounts/retention.rs).
ALTER TABLE users ADD COLUMN last_login_at TEXT;
ALTER TABLE users ADD COLUMN inactivity_warned_at TEXT;
