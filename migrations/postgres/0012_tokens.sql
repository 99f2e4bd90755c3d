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
    subject_id BIGINT NOT NULL,
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
ALTER TABLE club_email_invitations DROP COLUMN token_hash, DROP COLUMN expires_at,
    DROP COLUMN used_at;

-- A row that goes takes its links with it (as the foreign keys of the three tables did).
CREATE FUNCTION dessine_forget_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM tokens WHERE subject_id = OLD.id AND purpose = ANY (TG_ARGV);
    RETURN NULL;
END $$;
CREATE TRIGGER tokens_forget_user AFTER DELETE ON users FOR EACH ROW
    EXECUTE FUNCTION dessine_forget_tokens('verify', 'reset', 'email');
CREATE TRIGGER tokens_forget_registration AFTER DELETE ON registrations FOR EACH ROW
    EXECUTE FUNCTION dessine_forget_tokens('registration_confirm', 'registration_cancel');
CREATE TRIGGER tokens_forget_club_invitation AFTER DELETE ON club_email_invitations FOR EACH ROW
    EXECUTE FUNCTION dessine_forget_tokens('club_invitation');
CREATE TRIGGER tokens_forget_manager_request AFTER DELETE ON manager_requests FOR EACH ROW
    EXECUTE FUNCTION dessine_forget_tokens('entry_claim');
