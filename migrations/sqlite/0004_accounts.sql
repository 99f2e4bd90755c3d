-- Member accounts. E-mails are stored lower-cased. `security_stamp` is a random value that every
-- session records at login: changing it (password reset or change, account disabled) ends every
-- other session of the user.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    security_stamp TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0,
    email_verified_at TEXT,
    disabled_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Single-use links sent by mail. Only a SHA-256 of the token is kept.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset', 'email')),
    -- For an e-mail change: the new address, which becomes the login once the link is used.
    new_email TEXT,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- Who manages which directory entry.
CREATE TABLE structure_managers (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    structure_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, structure_id)
);
CREATE INDEX structure_managers_structure ON structure_managers (structure_id);
