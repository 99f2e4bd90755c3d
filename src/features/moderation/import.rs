//! Importing an existing directory from a CSV file (`dessine import structures FICHIER.csv`): a
//! report by line first (new, updated, unchanged, probable duplicate, correction proposed,
//! refused with the reason), applied only when asked. Importing the same file twice changes
//! nothing the second time. An entry that has managers is never overwritten silently: the
//! differences become a correction for the moderators. Every change leaves a revision
//! (origin `import`).
//!
//! The file: UTF-8 (a byte-order mark is ignored) or Latin-1 / Windows-1252, `,` or `;`
//! between fields, a header line naming the columns of [`COLUMNS`] (any order; unknown columns
//! are refused, missing optional ones are empty).

use crate::db::Db;
use crate::features::directory::RevisionOrigin;
use crate::features::directory::db::{Author, Snapshot};
use crate::features::moderation::{ProposalForm, ProposalKind, db};
use crate::ui::form::Many;

/// The columns, as the README lists them: the header's name and the entry field it fills.
pub const COLUMNS: &[(&str, &str)] = &[
    ("nom", "name"),
    ("forme_juridique", "legal_form"),
    ("commune", "commune"),
    ("secteurs", "sectors"),
    ("adresse", "address"),
    ("code_postal", "postal_code"),
    ("email", "email"),
    ("telephone", "phone"),
    ("site_web", "website"),
    ("siret", "siret"),
    ("offre", "offer"),
    ("presentation", "description"),
];

/// At most this many lines in one file, and bytes in one file.
pub const MAX_LINES: usize = 100_000;
pub const MAX_BYTES: usize = 50 * 1024 * 1024;

/// What became of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    New(String),
    Updated(String, Vec<String>),
    Unchanged(String),
    /// Looks like an entry already there (which, and why): not imported.
    ProbableDuplicate(String, String),
    /// The entry has managers: the differences wait for the moderators.
    Proposed(String, Vec<String>),
    Refused(String),
}

impl Outcome {
    /// The report's French line.
    pub fn describe(&self) -> String {
        match self {
            Outcome::New(slug) => format!("nouvelle fiche : {slug}"),
            Outcome::Updated(slug, fields) => {
                format!("fiche {slug} mise à jour ({})", fields.join(", "))
            }
            Outcome::Unchanged(slug) => format!("fiche {slug} inchangée"),
            Outcome::ProbableDuplicate(slug, why) => {
                format!("doublon probable de {slug} ({why}) : non importée")
            }
            Outcome::Proposed(slug, fields) => format!(
                "fiche {slug} gérée par sa structure : correction proposée à la modération ({})",
                fields.join(", ")
            ),
            Outcome::Refused(why) => format!("refusée : {why}"),
        }
    }
}

/// The report: one outcome per data line, numbered as in the file (the header is line 1).
#[derive(Debug, Default)]
pub struct Report {
    pub lines: Vec<(usize, Outcome)>,
}

impl Report {
    pub fn count(&self, matches: fn(&Outcome) -> bool) -> usize {
        self.lines.iter().filter(|(_, o)| matches(o)).count()
    }

    /// A French summary: « 12 nouvelles, 3 mises à jour, … ».
    pub fn summary(&self) -> String {
        format!(
            "{} nouvelles, {} mises à jour, {} inchangées, {} doublons probables, {} corrections proposées, {} refusées",
            self.count(|o| matches!(o, Outcome::New(_))),
            self.count(|o| matches!(o, Outcome::Updated(..))),
            self.count(|o| matches!(o, Outcome::Unchanged(_))),
            self.count(|o| matches!(o, Outcome::ProbableDuplicate(..))),
            self.count(|o| matches!(o, Outcome::Proposed(..))),
            self.count(|o| matches!(o, Outcome::Refused(_))),
        )
    }
}

/// The file's text: UTF-8 without its byte-order mark, or each byte as Windows-1252 (the
/// encoding of spreadsheets saved as « CSV » on French systems).
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|b| windows_1252(*b)).collect(),
    }
}

fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// The line's fields by entry field name, or why the line cannot be read.
fn fields_of(
    header: &[String],
    record: &csv::StringRecord,
    delimiter: char,
) -> Result<ProposalForm, String> {
    // A field may hold line breaks (a description), but not whole lines of the file: that is
    // an opening quote never closed.
    let whole_lines = |field: &str| {
        field
            .lines()
            .skip(1)
            .any(|line| line.matches(delimiter).count() + 1 >= header.len().max(2))
    };
    if record.iter().any(whole_lines) {
        return Err(
            "guillemet non fermé : cette ligne et toutes les suivantes ne forment qu'un champ ; corrigez le guillemet et importez à nouveau".to_owned(),
        );
    }
    if record.len() > header.len() {
        return Err(format!(
            "{} champs pour {} colonnes : un séparateur ou un guillemet de trop ?",
            record.len(),
            header.len()
        ));
    }
    let get = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .and_then(|i| record.get(i))
            .unwrap_or("")
            .to_owned()
    };
    Ok(ProposalForm {
        name: get("name"),
        legal_form: get("legal_form"),
        commune: crate::slug::slugify(&get("commune")),
        sectors: Many(
            get("sectors")
                .split(['|', ','])
                .map(|s| crate::slug::slugify(s.trim()))
                .filter(|s| !s.is_empty())
                .collect(),
        ),
        address: get("address"),
        postal_code: get("postal_code"),
        email: get("email"),
        phone: get("phone"),
        website: get("website"),
        siret: get("siret"),
        offer: get("offer"),
        description: get("description"),
        ..Default::default()
    })
}

/// Reads `bytes` and, with `apply`, imports them; the report either way.
pub async fn import(db: &Db, bytes: &[u8], apply: bool) -> Result<Report, String> {
    if bytes.len() > MAX_BYTES {
        return Err("Le fichier dépasse 50 Mo : découpez-le.".to_owned());
    }
    let text = decode(bytes);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("Ligne d'en-tête illisible : {e}"))?
        .iter()
        .map(|name| {
            let name = crate::slug::slugify(name).replace('-', "_");
            COLUMNS
                .iter()
                .find(|(column, _)| *column == name)
                .map_or(format!("?{name}"), |(_, field)| (*field).to_owned())
        })
        .collect();
    if let Some(unknown) = header.iter().find(|h| h.starts_with('?')) {
        return Err(format!(
            "Colonne inconnue « {} » : les colonnes possibles sont {}.",
            &unknown[1..],
            COLUMNS
                .iter()
                .map(|(c, _)| *c)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !header.iter().any(|h| h == "name") {
        return Err("Il manque la colonne « nom ».".to_owned());
    }
    let mut report = Report::default();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        if index >= MAX_LINES {
            report.lines.push((
                line,
                Outcome::Refused(format!("au-delà de {MAX_LINES} lignes")),
            ));
            break;
        }
        let outcome = match record {
            Err(error) => Outcome::Refused(format!("ligne illisible ({error})")),
            Ok(record) => match fields_of(&header, &record, char::from(delimiter)) {
                Err(why) => Outcome::Refused(why),
                Ok(form) => line_outcome(db, form, apply)
                    .await
                    .unwrap_or_else(Outcome::Refused),
            },
        };
        report.lines.push((line, outcome));
    }
    Ok(report)
}

/// A refusal's messages on one report line: « Commune : Choisissez la commune… ; SIRET : … ».
fn messages(error: crate::error::AppError) -> String {
    error
        .field_errors()
        .into_iter()
        .map(|(field, message)| {
            format!(
                "{} : {message}",
                crate::features::directory::field_label(&field)
            )
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// What one line does (and, with `apply`, does it).
async fn line_outcome(db: &Db, form: ProposalForm, apply: bool) -> Result<Outcome, String> {
    let valid = form.validated(false).map_err(messages)?;
    let fields = valid.fields;
    let database = |error: sqlx::Error| format!("erreur de la base ({error})");
    super::proposing::checked_places(db, &fields)
        .await
        .map_err(messages)?;
    // The same entry: by SIRET, else by name and commune.
    let existing: Option<(i64, String)> = match fields.get("siret").filter(|s| !s.is_empty()) {
        Some(siret) => sqlx::query_as("SELECT id, slug FROM structures WHERE siret = $1")
            .bind(siret)
            .fetch_optional(&db.pool)
            .await
            .map_err(database)?,
        None => sqlx::query_as(
            "SELECT s.id, s.slug FROM structures s JOIN territories c ON c.id = s.commune_id \
             WHERE s.sort_key = $1 AND c.slug = $2",
        )
        .bind(crate::slug::slugify(&fields["name"]))
        .bind(&fields["commune"])
        .fetch_optional(&db.pool)
        .await
        .map_err(database)?,
    };
    let author = Author {
        id: None,
        name: "Import",
    };
    let Some((id, slug)) = existing else {
        let alike = crate::features::directory::db::duplicates::look_alikes(db, &fields, None)
            .await
            .map_err(database)?;
        if let Some((slug, _, why)) = alike.into_iter().next() {
            return Ok(Outcome::ProbableDuplicate(slug, why));
        }
        if !apply {
            return Ok(Outcome::New(crate::slug::slugify(&fields["name"])));
        }
        let mut tx = db.begin_write().await.map_err(database)?;
        let (_, slug) = crate::features::directory::db::entry::create_entry(
            &mut tx,
            &fields,
            RevisionOrigin::Import,
            author,
        )
        .await
        .map_err(|_| "commune ou secteur inconnu".to_owned())?;
        tx.commit().await.map_err(database)?;
        return Ok(Outcome::New(slug));
    };
    // Only what the file says: an empty cell leaves the entry's value.
    let mut tx = db.begin_write().await.map_err(database)?;
    let current = crate::features::directory::db::revisions::snapshot(&mut tx, id)
        .await
        .map_err(database)?;
    let changed: Snapshot = fields
        .into_iter()
        .filter(|(field, value)| !value.is_empty() && current.get(field) != Some(value))
        .collect();
    let names: Vec<String> = changed
        .keys()
        .map(|f| crate::features::directory::field_label(f).to_owned())
        .collect();
    if changed.is_empty() {
        return Ok(Outcome::Unchanged(slug));
    }
    let managed = !crate::features::accounts::db::managers_of(db, id)
        .await
        .map_err(database)?
        .is_empty();
    if managed {
        tx.rollback().await.map_err(database)?;
        // Imported before and still waiting: nothing new.
        let waiting = db::pending_for(db, id)
            .await
            .map_err(database)?
            .iter()
            .any(|(_, fields, _)| *fields == changed);
        if waiting {
            return Ok(Outcome::Unchanged(slug));
        }
        if apply {
            let departement: Option<i64> =
                sqlx::query_scalar("SELECT departement_id FROM structures WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&db.pool)
                    .await
                    .map_err(database)?;
            db::file(
                db,
                &db::NewProposal {
                    kind: ProposalKind::Correction,
                    structure_id: Some(id),
                    departement,
                    fields: &changed,
                    proposer_id: None,
                    proposer_name: "Import",
                    proposer_email: "",
                },
                true,
            )
            .await
            .map_err(database)?;
        }
        return Ok(Outcome::Proposed(slug, names));
    }
    if apply {
        crate::features::directory::db::revisions::change(
            &mut tx,
            id,
            &changed,
            RevisionOrigin::Import,
            author,
        )
        .await
        .map_err(|_| "commune ou secteur inconnu, ou SIRET d'une autre fiche".to_owned())?;
        tx.commit().await.map_err(database)?;
    } else {
        tx.rollback().await.map_err(database)?;
    }
    Ok(Outcome::Updated(slug, names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_from_spreadsheets_are_read_whatever_their_encoding() {
        assert_eq!(decode(b"\xEF\xBB\xBFnom\n"), "nom\n");
        assert_eq!(decode("Économie".as_bytes()), "Économie");
        // « Économie – Œuvre » saved as Windows-1252.
        assert_eq!(decode(b"\xC9conomie \x96 \x8Cuvre"), "Économie – Œuvre");
        assert_eq!(
            Outcome::Refused("x".into()).describe(),
            "refusée : x".to_owned()
        );
    }
}
