-- The directory's search runs on an index held in memory by each app server (src/search). The
-- database stays the source of truth: every change that can alter a search result appends a row
-- here, written by triggers so that no code path (nor a manual UPDATE) can forget it, and every
-- app server applies the rows it has not seen yet. `structure_id` NULL: the clubs changed (names
-- shown in the facet). Rows older than a day are deleted by the app servers. Sequence numbers
-- are taken before commit, so a row can appear after a higher one: readers re-read a window.
CREATE TABLE search_changes (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    structure_id BIGINT,
    changed_at BIGINT NOT NULL DEFAULT (extract(epoch FROM now())::bigint)
);
CREATE INDEX search_changes_time ON search_changes (changed_at);

CREATE FUNCTION dessine_structure_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_changes (structure_id) VALUES (OLD.id);
    ELSE
        INSERT INTO search_changes (structure_id) VALUES (NEW.id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_changes_structure AFTER INSERT OR DELETE OR UPDATE OF slug, name, sort_key,
    acronym, legal_form, commune_id, intercommunality_id, departement_id, description, offer,
    status, sector_mask ON structures FOR EACH ROW EXECUTE FUNCTION dessine_structure_changed();

CREATE FUNCTION dessine_member_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO search_changes (structure_id) VALUES (OLD.structure_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.structure_id <> OLD.structure_id) THEN
        INSERT INTO search_changes (structure_id) VALUES (NEW.structure_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_changes_member AFTER INSERT OR UPDATE OR DELETE ON club_members
    FOR EACH ROW EXECUTE FUNCTION dessine_member_changed();

CREATE FUNCTION dessine_clubs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (structure_id) VALUES (NULL);
    RETURN NULL;
END $$;
CREATE TRIGGER search_changes_club AFTER INSERT OR DELETE OR UPDATE OF slug, name ON clubs
    FOR EACH STATEMENT EXECUTE FUNCTION dessine_clubs_changed();

-- The full-text index the database kept for the search is no longer read.
DROP INDEX structures_search;
ALTER TABLE structures DROP COLUMN search_vector;
