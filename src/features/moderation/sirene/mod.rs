//! Importing INSEE's SIRENE stock files (`dessine import sirene UNITES.csv ETABLISSEMENTS.csv`):
//! the active establishments, within chosen départements, of the active legal units that
//! INSEE flags as belonging to the ESS (`economieSocialeSolidaireUniteLegale = O`). One entry
//! per establishment, matched to the directory by SIRET; [`tables`] reads the codes.
//!
//! The files are read as streams, whatever their size (the national files hold tens of
//! millions of lines): the establishments once to learn which legal units matter, the legal
//! units once to keep those that are ESS and active, the establishments again to write, in
//! batches, while a reader thread parses the next batch. What stays in memory is the chosen
//! départements' ESS units, never the files.
//!
//! An entry already in the directory (same SIRET) is left as it is: the directory's text is
//! its managers' and moderators', INSEE's is administrative. A new establishment whose name
//! looks like an entry without SIRET in the same commune is reported as a probable duplicate,
//! not imported. Importing the same files twice changes nothing the second time.

mod lines;
mod passes;
pub mod tables;
mod writer;

use crate::db::Db;
pub use lines::Source;
use passes::{ess_units, read_candidates, sirens_in_departements};
use writer::{Writer, clip, database};

/// What to import.
pub struct Options {
    /// INSEE codes of the départements to keep (« 59 », « 62 »).
    pub departements: Vec<String>,
    /// Write (otherwise: say what would be written).
    pub apply: bool,
}

/// At most this many lines of detail in a report (the counts are always whole).
const MAX_NOTES: usize = 300;

/// What an import did (or would do).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub units_kept: u64,
    pub establishments_read: u64,
    pub new: u64,
    pub already_there: u64,
    pub duplicates: u64,
    pub refused: u64,
    pub communes_added: u64,
    pub without_sector: u64,
    /// Lines worth reading: refusals and probable duplicates, by file and line.
    pub notes: Vec<String>,
    pub notes_left_out: u64,
}

impl Report {
    fn note(&mut self, note: String) {
        if self.notes.len() < MAX_NOTES {
            self.notes.push(note);
        } else {
            self.notes_left_out += 1;
        }
    }

    /// A French summary.
    pub fn summary(&self) -> String {
        format!(
            "{} unités légales ESS actives retenues, {} établissements lus ; {} nouvelles fiches \
             ({} sans secteur, à compléter), {} déjà dans l'annuaire, {} doublons probables, {} lignes \
             refusées, {} communes ajoutées",
            self.units_kept,
            self.establishments_read,
            self.new,
            self.without_sector,
            self.already_there,
            self.duplicates,
            self.refused,
            self.communes_added
        )
    }
}

/// Runs a blocking pass on a thread of its own.
async fn blocking<T: Send + 'static>(
    pass: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(pass)
        .await
        .map_err(|error| format!("lecture interrompue ({error})"))?
}

/// Imports (or, without `apply`, reports what it would import).
pub async fn import(
    db: &Db,
    units: Source,
    establishments: Source,
    options: Options,
) -> Result<Report, String> {
    let departements: Vec<String> = options
        .departements
        .iter()
        .map(|code| code.trim().to_uppercase())
        .filter(|code| !code.is_empty())
        .collect();
    if let Some(unknown) = departements
        .iter()
        .find(|code| !tables::DEPARTEMENTS.iter().any(|(known, _)| known == *code))
    {
        return Err(format!(
            "Département « {} » inconnu : donnez des codes INSEE (59, 62, 2A, 974…).",
            clip(unknown, 10)
        ));
    }
    if departements.is_empty() {
        return Err("Donnez au moins un département (--departements 59,62).".to_owned());
    }
    let sirens = {
        let (source, departements) = (establishments.clone(), departements.clone());
        blocking(move || sirens_in_departements(&source, &departements)).await?
    };
    let units = {
        let source = units.clone();
        blocking(move || ess_units(&source, &sirens)).await?
    };
    let mut writer = Writer::new(db, options.apply).await.map_err(database)?;
    writer.report.units_kept = units.len() as u64;
    let (send, mut receive) = tokio::sync::mpsc::channel(2);
    let reading = tokio::task::spawn_blocking(move || {
        read_candidates(&establishments, &departements, &units, &send)
    });
    while let Some((lines, read)) = receive.recv().await {
        writer.report.establishments_read = read;
        writer.take(lines).await.map_err(database)?;
    }
    reading
        .await
        .map_err(|error| format!("lecture interrompue ({error})"))??;
    writer.flush().await.map_err(database)?;
    Ok(writer.report)
}
