-- Every single-use link sent by mail, in one table that `src/tokens.rs` alone writes: only a
-- SHA-256 of the token is kept, with what the link is for (`purpose`), the row it leads to
-- (`subject_id`: a user, a registration, a club's e-mail invitation), an optional detail (the
-- new address of an e-mail change), when it expires and when it was used. Replaces the three
-- tables that each hashed, expired and consumed their own.
CREATE TABLE tokens (
    hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset', 'email', 'registration_confirm',
        'registration_cancel', 'club_invitation', 'proposal_confirm', 'entry_claim',
        'still_accurate')),
    subject_id INTEGER NOT NULL,
    detail TEXT,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX tokens_subject ON tokens (purpose, subject_id);
CREATE INDEX tokens_expiry ON tokens (expires_at);

INSERT INTO tokens (hash, purpose, subject_id, detail, expires_at, used_at, created_at)
    SELECT token_hash, purpose, user_id, new_email, expires_at, used_at, created_at FROM account_tokens;
INSERT INTO tokens (hash, purpose, subject_id, detail, expires_at, used_at, created_at)
    SELECT token_hash, 'registration_' || purpose, registration_id, NULL, expires_at, NULL, created_at
    FROM registration_tokens;
INSERT INTO tokens (hash, purpose, subject_id, detail, expires_at, used_at, created_at)
    SELECT token_hash, 'club_invitation', id, NULL, expires_at, used_at, created_at
    FROM club_email_invitations;
DROP TABLE account_tokens;
DROP TABLE registration_tokens;

-- The invitation keeps what it is; its link is in `tokens`.
CREATE TABLE club_email_invitations_new (
    id INTEGER PRIMARY KEY,
    club_id INTEGER NOT NULL REFERENCES clubs (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    invited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
INSERT INTO club_email_invitations_new (id, club_id, email, message, invited_by, created_at)
    SELECT id, club_id, email, message, invited_by, created_at FROM club_email_invitations;
DROP TABLE club_email_invitations;
ALTER TABLE club_email_invitations_new RENAME TO club_email_invitations;
CREATE INDEX club_email_invitations_club ON club_email_invitations (club_id, email);

-- A row that goes takes its links with it (ids can be given again to a new row), as the
-- foreign keys of the three tables did.
CREATE TRIGGER tokens_forget_user AFTER DELETE ON users BEGIN
    DELETE FROM tokens WHERE subject_id = OLD.id AND purpose IN ('verify', 'reset', 'email');
END;
CREATE TRIGGER tokens_forget_registration AFTER DELETE ON registrations BEGIN
    DELETE FROM tokens WHERE subject_id = OLD.id
        AND purpose IN ('registration_confirm', 'registration_cancel');
END;
CREATE TRIGGER tokens_forget_club_invitation AFTER DELETE ON club_email_invitations BEGIN
    DELETE FROM tokens WHERE subject_id = OLD.id AND purpose = 'club_invitation';
END;
CREATE TRIGGER tokens_forget_manager_request AFTER DELETE ON manager_requests BEGIN
    DELETE FROM tokens WHERE subject_id = OLD.id AND purpose = 'entry_claim';
END;
