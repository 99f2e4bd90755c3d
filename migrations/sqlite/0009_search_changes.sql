-- The directory's search runs on an index held in memory by each app server (src/search). The
-- database stays the source of truth: every change that can alter a search result appends a row
-- here, written by triggers so that no code path (nor a manual UPDATE) can forget it, and every
-- app server applies the rows it has not seen yet. `structure_id` NULL: the clubs changed (names
-- shown in the facet). Rows older than a day are deleted by the app servers.
CREATE TABLE search_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    structure_id INTEGER,
    changed_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))
);
CREATE INDEX search_changes_time ON search_changes (changed_at);

CREATE TRIGGER search_changes_structure_insert AFTER INSERT ON structures BEGIN
    INSERT INTO search_changes (structure_id) VALUES (new.id);
END;
CREATE TRIGGER search_changes_structure_update AFTER UPDATE OF slug, name, sort_key, acronym,
    legal_form, commune_id, intercommunality_id, departement_id, description, offer, status,
    sector_mask ON structures BEGIN
    INSERT INTO search_changes (structure_id) VALUES (new.id);
END;
CREATE TRIGGER search_changes_structure_delete AFTER DELETE ON structures BEGIN
    INSERT INTO search_changes (structure_id) VALUES (old.id);
END;
CREATE TRIGGER search_changes_member_insert AFTER INSERT ON club_members BEGIN
    INSERT INTO search_changes (structure_id) VALUES (new.structure_id);
END;
CREATE TRIGGER search_changes_member_update AFTER UPDATE ON club_members BEGIN
    INSERT INTO search_changes (structure_id) VALUES (old.structure_id);
    INSERT INTO search_changes (structure_id) SELECT new.structure_id WHERE new.structure_id <> old.structure_id;
END;
CREATE TRIGGER search_changes_member_delete AFTER DELETE ON club_members BEGIN
    INSERT INTO search_changes (structure_id) VALUES (old.structure_id);
END;
CREATE TRIGGER search_changes_club_insert AFTER INSERT ON clubs BEGIN
    INSERT INTO search_changes (structure_id) VALUES (NULL);
END;
CREATE TRIGGER search_changes_club_update AFTER UPDATE OF slug, name ON clubs BEGIN
    INSERT INTO search_changes (structure_id) VALUES (NULL);
END;
CREATE TRIGGER search_changes_club_delete AFTER DELETE ON clubs BEGIN
    INSERT INTO search_changes (structure_id) VALUES (NULL);
END;

-- The full-text index the database kept for the search is no longer read.
DROP TRIGGER structures_fts_insert;
DROP TRIGGER structures_fts_delete;
DROP TRIGGER structures_fts_update;
DROP TABLE structures_fts;
