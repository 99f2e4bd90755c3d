-- Facet counts over a national directory: the sectors of a structure are mirrored in a bit set
-- (bit n = sector id n, kept in step by the code that writes structure_sectors), and three narrow
-- covering indexes, one per facet and each led by that facet's column, hold every column that
-- filters and facets read, so that counting them scans
-- the index rather than the wide rows.
ALTER TABLE structures ADD COLUMN sector_mask INTEGER NOT NULL DEFAULT 0;
UPDATE structures SET sector_mask = (
    SELECT COALESCE(SUM(1 << ss.sector_id), 0) FROM structure_sectors ss WHERE ss.structure_id = structures.id
);
DROP INDEX structures_legal_form;
CREATE INDEX structures_facet_territory ON structures
    (status, departement_id, intercommunality_id, commune_id, legal_form, sector_mask);
CREATE INDEX structures_facet_form ON structures
    (status, legal_form, sector_mask, departement_id, intercommunality_id, commune_id);
CREATE INDEX structures_facet_sector ON structures
    (status, sector_mask, legal_form, departement_id, intercommunality_id, commune_id);
