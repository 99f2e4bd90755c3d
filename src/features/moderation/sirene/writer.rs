//! Writing what the passes found: the directory's SIRETs, slugs, communes and entries without
//! SIRET are read once; new entries are written in batches with their revisions.

use std::collections::{HashMap, HashSet};

use super::passes::{Candidate, ESTABLISHMENTS, Line};
use super::{Report, tables};
use crate::db::Db;
use crate::features::directory::RevisionOrigin;
use crate::features::directory::db::{Author, InsertContext, NewStructure};

/// One line of at most `max` characters, without control characters.
pub(super) fn clip(text: &str, max: usize) -> String {
    crate::text::check::one_line(text)
        .chars()
        .filter(|c| !c.is_control())
        .take(max)
        .collect()
}

pub(super) fn database(error: sqlx::Error) -> String {
    format!("Erreur de la base de données ({error}) : rien n'est écrit du lot en cours.")
}

/// What the import knows of the directory, and the entries waiting to be written.
pub(super) struct Writer<'a> {
    pub(super) db: &'a Db,
    pub(super) apply: bool,
    pub(super) context: InsertContext,
    /// SIRETs in the directory (or queued by this import).
    pub(super) sirets: HashSet<String>,
    pub(super) slugs: HashSet<String>,
    /// Commune slug by INSEE code.
    pub(super) communes: HashMap<String, String>,
    /// Names of the entries without SIRET, by commune slug (the likely duplicates).
    pub(super) unnumbered: HashMap<String, Vec<(String, String)>>,
    pub(super) pending: Vec<NewStructure>,
    pub(super) report: Report,
}

impl<'a> Writer<'a> {
    pub(super) async fn new(db: &'a Db, apply: bool) -> Result<Writer<'a>, sqlx::Error> {
        let sirets: Vec<String> =
            sqlx::query_scalar("SELECT siret FROM structures WHERE siret IS NOT NULL")
                .fetch_all(&db.pool)
                .await?;
        let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM structures")
            .fetch_all(&db.pool)
            .await?;
        let communes: Vec<(String, String)> = sqlx::query_as(
            "SELECT code, slug FROM territories WHERE kind = 'commune' AND code IS NOT NULL",
        )
        .fetch_all(&db.pool)
        .await?;
        let unnumbered: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT c.slug, s.slug, s.name FROM structures s JOIN territories c ON c.id = s.commune_id \
             WHERE s.siret IS NULL",
        )
        .fetch_all(&db.pool)
        .await?;
        let mut by_commune: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for (commune, slug, name) in unnumbered {
            by_commune.entry(commune).or_default().push((slug, name));
        }
        Ok(Writer {
            db,
            apply,
            context: crate::features::directory::db::insert_context(db).await?,
            sirets: sirets.into_iter().collect(),
            slugs: slugs
                .into_iter()
                .chain(
                    crate::features::directory::RESERVED_SLUGS
                        .iter()
                        .map(|s| (*s).to_owned()),
                )
                .collect(),
            communes: communes.into_iter().collect(),
            unnumbered: by_commune,
            pending: Vec::new(),
            report: Report::default(),
        })
    }

    pub(super) async fn take(&mut self, lines: Vec<Line>) -> Result<(), sqlx::Error> {
        for line in lines {
            match line {
                Line::Refused(at, why) => {
                    self.report.refused += 1;
                    self.report
                        .note(format!("{ESTABLISHMENTS}, ligne {at} : refusée, {why}"));
                }
                Line::Candidate(candidate) => self.candidate(*candidate).await?,
            }
        }
        if self.pending.len() >= 2_000 {
            self.flush().await?;
        }
        Ok(())
    }

    pub(super) async fn candidate(&mut self, candidate: Candidate) -> Result<(), sqlx::Error> {
        if !self.sirets.insert(candidate.siret.clone()) {
            self.report.already_there += 1;
            return Ok(());
        }
        let name = clip(&tables::readable_name(&candidate.name), 200);
        let base = crate::slug::slugify(&name);
        if base.is_empty() {
            self.report.refused += 1;
            self.report.note(format!(
                "{ESTABLISHMENTS}, ligne {} : refusée, nom vide ou illisible",
                candidate.line
            ));
            return Ok(());
        }
        let commune = self.commune(&candidate).await?;
        if let Some((slug, _)) = self.unnumbered.get(&commune).and_then(|entries| {
            entries.iter().find(|(_, existing)| {
                crate::features::directory::db::duplicates::similar_names(existing, &name)
            })
        }) {
            self.report.duplicates += 1;
            self.report.note(format!(
                "{ESTABLISHMENTS}, ligne {} : « {name} » (SIRET {}) ressemble à la fiche {slug} de la même commune : non importée ; ajoutez-lui ce SIRET si c'est elle",
                candidate.line, candidate.siret
            ));
            return Ok(());
        }
        let mut slug = base.clone();
        let mut n = 2;
        while self.slugs.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        self.slugs.insert(slug.clone());
        let (legal_form, implied) = tables::legal_form(&candidate.unit.category);
        let activity = if candidate.activity.is_empty() {
            &candidate.unit.activity
        } else {
            &candidate.activity
        };
        let mut sectors: Vec<String> = implied
            .into_iter()
            .chain(tables::sector(activity))
            .map(str::to_owned)
            .collect();
        sectors.dedup();
        if sectors.is_empty() {
            self.report.without_sector += 1;
        }
        self.report.new += 1;
        self.pending.push(NewStructure {
            slug,
            name,
            acronym: clip(&candidate.unit.acronym, 40),
            siret: Some(candidate.siret),
            legal_form: legal_form.to_owned(),
            sector_slugs: sectors,
            commune_slug: commune,
            address: clip(&candidate.address, 200),
            postal_code: clip(&candidate.postal_code, 10),
            staff_band: tables::staff_band(&candidate.staff).to_owned(),
            year_founded: candidate.unit.founded,
            status: "published".to_owned(),
            timestamp: crate::timestamp::Timestamp::now().to_string(),
            ..NewStructure::default()
        });
        Ok(())
    }

    /// The commune's slug, added (with its département) when the directory does not know it.
    pub(super) async fn commune(&mut self, candidate: &Candidate) -> Result<String, sqlx::Error> {
        if let Some(slug) = self.communes.get(&candidate.commune_code) {
            return Ok(slug.clone());
        }
        let departement = tables::departement_of(&candidate.commune_code).unwrap_or_default();
        let departement_name = tables::DEPARTEMENTS
            .iter()
            .find(|(code, _)| *code == departement)
            .map_or("", |(_, name)| *name);
        let name = tables::readable_name(&candidate.commune_name);
        let name = if name.is_empty() {
            candidate.commune_code.clone()
        } else {
            clip(&name, 100)
        };
        self.report.communes_added += 1;
        let slug = if self.apply {
            let mut tx = self.db.begin_write().await?;
            let added = crate::features::reference::db::ensure_commune(
                &mut tx,
                &candidate.commune_code,
                &name,
                departement,
                departement_name,
            )
            .await?;
            tx.commit().await?;
            self.context
                .add_commune(&added.slug, added.id, added.departement_id);
            added.slug
        } else {
            crate::slug::slugify(&name)
        };
        self.communes
            .insert(candidate.commune_code.clone(), slug.clone());
        Ok(slug)
    }

    pub(super) async fn flush(&mut self) -> Result<(), sqlx::Error> {
        let pending = std::mem::take(&mut self.pending);
        if !self.apply || pending.is_empty() {
            return Ok(());
        }
        let mut tx = self.db.begin_write().await?;
        let inserted = crate::features::directory::db::insert_with_revisions(
            &mut tx,
            &self.context,
            &pending,
            RevisionOrigin::Import,
            Author {
                id: None,
                name: "Import SIRENE",
            },
        )
        .await?;
        tx.commit().await?;
        // A slug taken meanwhile (someone else's new entry) is not written: say so.
        let missing = pending.len() - inserted;
        if missing > 0 {
            self.report.new -= missing as u64;
            self.report.refused += missing as u64;
            self.report.note(format!(
                "{missing} fiches non écrites : leur adresse a été prise pendant l'import ; relancez-le"
            ));
        }
        Ok(())
    }
}
