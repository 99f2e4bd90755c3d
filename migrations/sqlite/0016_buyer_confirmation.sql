-- A site admin confirms that a buyer really acts for the organisation it declared (issue 27):
-- until then a need reaches at most a handful of suppliers, and mails call the organisation
-- « déclarée ». Declaring another organisation or SIRET takes the confirmation back.
ALTER TABLE buyers ADD COLUMN confirmed_at TEXT;
ALTER TABLE buyers ADD COLUMN confirmed_by INTEGER REFERENCES users (id) ON DELETE SET NULL;
