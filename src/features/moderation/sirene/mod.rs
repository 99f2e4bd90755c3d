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

pub mod tables;

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::sync::Arc;

use crate::db::Db;
use crate::features::directory::RevisionOrigin;
use crate::features::directory::db::{Author, InsertContext, NewStructure};

/// Where a file is read from: a path (the command) or bytes (the admin page's upload).
#[derive(Clone)]
pub enum Source {
    Path(std::path::PathBuf),
    Bytes(Arc<Vec<u8>>),
}

impl Source {
    fn open(&self) -> Result<Box<dyn Read + Send>, String> {
        match self {
            Source::Path(path) => std::fs::File::open(path)
                .map(|file| Box::new(std::io::BufReader::with_capacity(1 << 20, file)) as _)
                .map_err(|error| format!("Lecture de {} impossible : {error}", path.display())),
            Source::Bytes(bytes) => Ok(Box::new(std::io::Cursor::new(Shared(Arc::clone(bytes))))),
        }
    }
}

/// Uploaded bytes, read by each pass without a copy.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

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

/// One line of a file, split into fields.
#[derive(Default)]
struct Record {
    data: Vec<u8>,
    ends: Vec<usize>,
}

impl Record {
    fn get(&self, index: usize) -> Option<&[u8]> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        self.data.get(start..end)
    }

    fn fields(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.ends.len()).filter_map(|i| self.get(i))
    }

    /// Splits `line` (without its line break): fields between `delimiter`, a field in double
    /// quotes may hold the delimiter and doubled quotes. INSEE's files hold no line break
    /// inside a field, so a quote left open is this line's fault alone: the next line is read
    /// as usual.
    fn split(&mut self, line: &[u8], delimiter: u8) -> Result<(), &'static str> {
        self.data.clear();
        self.ends.clear();
        let mut quoted = false;
        let mut at_start = true;
        let mut bytes = line.iter().copied().peekable();
        while let Some(byte) = bytes.next() {
            match byte {
                b'"' if quoted && bytes.peek() == Some(&b'"') => {
                    bytes.next();
                    self.data.push(b'"');
                }
                b'"' if quoted => quoted = false,
                b'"' if at_start => quoted = true,
                _ if byte == delimiter && !quoted => {
                    self.ends.push(self.data.len());
                    at_start = true;
                    continue;
                }
                _ => self.data.push(byte),
            }
            at_start = false;
        }
        self.ends.push(self.data.len());
        if quoted {
            Err("guillemet ouvert et jamais fermé")
        } else {
            Ok(())
        }
    }
}

/// A file read line by line, with the columns its header names.
struct Lines {
    input: std::io::BufReader<Box<dyn Read + Send>>,
    line: Vec<u8>,
    number: u64,
    delimiter: u8,
    columns: HashMap<String, usize>,
}

/// At most this many bytes in one line (INSEE's longest are a few hundred).
const MAX_LINE: usize = 64 * 1024;

impl Lines {
    /// Opens `source` and reads its header; `required` columns must be there.
    fn open(source: &Source, file: &str, required: &[&str]) -> Result<Lines, String> {
        let mut lines = Lines {
            input: std::io::BufReader::with_capacity(1 << 20, source.open()?),
            line: Vec::new(),
            number: 0,
            delimiter: b',',
            columns: HashMap::new(),
        };
        let mut header = Record::default();
        match lines.read_line() {
            Ok(true) => {}
            Ok(false) => return Err(format!("{file} : le fichier est vide.")),
            Err(error) => return Err(format!("{file} : {error}.")),
        }
        let line = lines
            .line
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&lines.line);
        if line.iter().filter(|b| **b == b';').count() > line.iter().filter(|b| **b == b',').count()
        {
            lines.delimiter = b';';
        }
        header
            .split(line, lines.delimiter)
            .map_err(|why| format!("{file} : ligne d'en-tête illisible ({why})."))?;
        lines.columns = header
            .fields()
            .enumerate()
            .map(|(i, name)| (text(name).trim().to_owned(), i))
            .collect();
        let missing: Vec<&str> = required
            .iter()
            .filter(|name| !lines.columns.contains_key(**name))
            .copied()
            .collect();
        if !missing.is_empty() {
            let plural = if missing.len() > 1 { "s" } else { "" };
            return Err(format!(
                "{file} : colonne{plural} {} absente{plural} ; est-ce bien le fichier de l'INSEE attendu ?",
                missing.join(", "),
            ));
        }
        Ok(lines)
    }

    /// Reads the next line into `self.line`; `false` at the end of the file.
    fn read_line(&mut self) -> Result<bool, String> {
        use std::io::BufRead;
        self.line.clear();
        self.number += 1;
        let read = (&mut self.input)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut self.line)
            .map_err(|error| format!("lecture impossible ({error})"))?;
        if read > MAX_LINE && !self.line.ends_with(b"\n") {
            // Skip the rest of this overlong line.
            let mut rest = Vec::new();
            loop {
                rest.clear();
                let more = (&mut self.input)
                    .take(MAX_LINE as u64)
                    .read_until(b'\n', &mut rest)
                    .map_err(|error| format!("lecture impossible ({error})"))?;
                if more == 0 || rest.ends_with(b"\n") {
                    break;
                }
            }
            return Err(format!("ligne de plus de {} Ko", MAX_LINE / 1024));
        }
        while self.line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            self.line.pop();
        }
        Ok(read > 0)
    }

    /// The next data line, split into `record`: `None` at the end, `Some(Err)` for a line that
    /// cannot be read (its number is `self.number`).
    fn next(&mut self, record: &mut Record) -> Option<Result<(), String>> {
        loop {
            match self.read_line() {
                Err(error) => return Some(Err(error)),
                Ok(false) => return None,
                Ok(true) if self.line.is_empty() => continue,
                Ok(true) => {
                    return Some(
                        record
                            .split(&self.line, self.delimiter)
                            .map_err(str::to_owned),
                    );
                }
            }
        }
    }

    /// The record's value in `column` ("" when absent or masked, « [ND] »).
    fn get(&self, record: &Record, column: &str) -> String {
        let value = self
            .columns
            .get(column)
            .and_then(|i| record.get(*i))
            .map(text)
            .unwrap_or_default();
        let value = value.trim();
        if value == "[ND]" {
            String::new()
        } else {
            value.to_owned()
        }
    }
}

/// One line of at most `max` characters, without control characters.
fn clip(text: &str, max: usize) -> String {
    crate::text::check::one_line(text)
        .chars()
        .filter(|c| !c.is_control())
        .take(max)
        .collect()
}

/// A field's text: UTF-8, or Windows-1252 bytes.
fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => super::import::decode(bytes),
    }
}

const UNITS: &str = "Fichier des unités légales";
const ESTABLISHMENTS: &str = "Fichier des établissements";

/// A legal unit kept: ESS, active.
#[derive(Debug, Clone)]
struct Unit {
    name: String,
    acronym: String,
    category: String,
    activity: String,
    founded: Option<i64>,
}

/// A SIREN as a number (9 digits).
fn siren(text: &str) -> Option<u32> {
    (text.len() == 9 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Whether an establishment line is active and in one of the départements; its SIREN.
fn wanted_establishment(lines: &Lines, record: &Record, departements: &[String]) -> Option<u32> {
    let active = lines.get(record, "etatAdministratifEtablissement") == "A";
    let commune = lines.get(record, "codeCommuneEtablissement");
    let inside =
        tables::departement_of(&commune).is_some_and(|code| departements.iter().any(|d| d == code));
    if active && inside {
        siren(&lines.get(record, "siren"))
    } else {
        None
    }
}

const ESTABLISHMENT_COLUMNS: &[&str] = &[
    "siren",
    "siret",
    "etatAdministratifEtablissement",
    "codeCommuneEtablissement",
];

/// First pass: the SIRENs of the active establishments in the départements.
fn sirens_in_departements(
    source: &Source,
    departements: &[String],
) -> Result<HashSet<u32>, String> {
    let mut lines = Lines::open(source, ESTABLISHMENTS, ESTABLISHMENT_COLUMNS)?;
    let mut sirens = HashSet::new();
    let mut record = Record::default();
    // An unreadable line is reported by the last pass, with its number.
    while let Some(read) = lines.next(&mut record) {
        if read.is_ok()
            && let Some(siren) = wanted_establishment(&lines, &record, departements)
        {
            sirens.insert(siren);
        }
    }
    Ok(sirens)
}

/// Second pass: those of the SIRENs that are ESS legal units, active.
fn ess_units(source: &Source, wanted: &HashSet<u32>) -> Result<HashMap<u32, Unit>, String> {
    let mut lines = Lines::open(
        source,
        UNITS,
        &[
            "siren",
            "etatAdministratifUniteLegale",
            "economieSocialeSolidaireUniteLegale",
            "denominationUniteLegale",
            "categorieJuridiqueUniteLegale",
        ],
    )?;
    let mut units = HashMap::new();
    let mut record = Record::default();
    while let Some(read) = lines.next(&mut record) {
        if read.is_err() {
            continue;
        }
        let get = |column: &str| lines.get(&record, column);
        let Some(siren) = siren(&get("siren")) else {
            continue;
        };
        if !wanted.contains(&siren)
            || get("economieSocialeSolidaireUniteLegale") != "O"
            || get("etatAdministratifUniteLegale") != "A"
        {
            continue;
        }
        let name = ["denominationUniteLegale", "denominationUsuelle1UniteLegale"]
            .iter()
            .map(|column| get(column))
            .find(|name| !name.is_empty())
            .unwrap_or_default();
        units.insert(
            siren,
            Unit {
                name,
                acronym: get("sigleUniteLegale"),
                category: get("categorieJuridiqueUniteLegale"),
                activity: get("activitePrincipaleUniteLegale"),
                founded: get("dateCreationUniteLegale")
                    .get(..4)
                    .and_then(|year| year.parse().ok()),
            },
        );
    }
    Ok(units)
}

/// One establishment to import, or a line refused.
enum Line {
    Candidate(Box<Candidate>),
    Refused(u64, String),
}

struct Candidate {
    line: u64,
    siret: String,
    name: String,
    unit: Unit,
    activity: String,
    commune_code: String,
    commune_name: String,
    address: String,
    postal_code: String,
    staff: String,
}

/// The establishment's address: number, street type written out, street.
fn address(lines: &Lines, record: &Record) -> String {
    let get = |column: &str| lines.get(record, column);
    let number = [
        get("numeroVoieEtablissement"),
        get("indiceRepetitionEtablissement").to_lowercase(),
    ]
    .concat();
    let street_type = get("typeVoieEtablissement");
    let street_type = if street_type.is_empty() {
        String::new()
    } else {
        tables::street_type(&street_type)
    };
    let street = get("libelleVoieEtablissement");
    let street = if street.chars().any(char::is_lowercase) {
        street
    } else {
        street.to_lowercase()
    };
    [number, street_type, street]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Third pass, on a thread of its own: the establishments to import, in batches, with the
/// count of lines read so far.
fn read_candidates(
    source: &Source,
    departements: &[String],
    units: &HashMap<u32, Unit>,
    send: &tokio::sync::mpsc::Sender<(Vec<Line>, u64)>,
) -> Result<(), String> {
    const BATCH: usize = 2_000;
    let mut lines = Lines::open(source, ESTABLISHMENTS, ESTABLISHMENT_COLUMNS)?;
    let mut record = Record::default();
    let mut batch = Vec::with_capacity(BATCH);
    let mut read = 0_u64;
    while let Some(result) = lines.next(&mut record) {
        read += 1;
        let line = lines.number;
        if let Err(why) = result {
            batch.push(Line::Refused(line, why));
        } else if let Some(siren) = wanted_establishment(&lines, &record, departements)
            && let Some(unit) = units.get(&siren)
        {
            let get = |column: &str| lines.get(&record, column);
            let siret = get("siret");
            if !crate::text::check::is_valid_siret(&siret) || !siret.starts_with(&get("siren")) {
                batch.push(Line::Refused(
                    line,
                    format!(
                        "SIRET « {} » invalide (14 chiffres, ceux du SIREN d'abord)",
                        clip(&siret, 20)
                    ),
                ));
            } else {
                let name = ["enseigne1Etablissement", "denominationUsuelleEtablissement"]
                    .iter()
                    .map(|column| get(column))
                    .find(|name| !name.is_empty())
                    .unwrap_or_else(|| unit.name.clone());
                batch.push(Line::Candidate(Box::new(Candidate {
                    line,
                    siret,
                    name,
                    unit: unit.clone(),
                    activity: get("activitePrincipaleEtablissement"),
                    commune_code: get("codeCommuneEtablissement"),
                    commune_name: get("libelleCommuneEtablissement"),
                    address: address(&lines, &record),
                    postal_code: get("codePostalEtablissement"),
                    staff: get("trancheEffectifsEtablissement"),
                })));
            }
        }
        if batch.len() >= BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if send.blocking_send((full, read)).is_err() {
                return Ok(());
            }
        }
    }
    let _ = send.blocking_send((batch, read));
    Ok(())
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

fn database(error: sqlx::Error) -> String {
    format!("Erreur de la base de données ({error}) : rien n'est écrit du lot en cours.")
}

/// What the import knows of the directory, and the entries waiting to be written.
struct Writer<'a> {
    db: &'a Db,
    apply: bool,
    context: InsertContext,
    /// SIRETs in the directory (or queued by this import).
    sirets: HashSet<String>,
    slugs: HashSet<String>,
    /// Commune slug by INSEE code.
    communes: HashMap<String, String>,
    /// Names of the entries without SIRET, by commune slug (the likely duplicates).
    unnumbered: HashMap<String, Vec<(String, String)>>,
    pending: Vec<NewStructure>,
    report: Report,
}

impl<'a> Writer<'a> {
    async fn new(db: &'a Db, apply: bool) -> Result<Writer<'a>, sqlx::Error> {
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

    async fn take(&mut self, lines: Vec<Line>) -> Result<(), sqlx::Error> {
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

    async fn candidate(&mut self, candidate: Candidate) -> Result<(), sqlx::Error> {
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
    async fn commune(&mut self, candidate: &Candidate) -> Result<String, sqlx::Error> {
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

    async fn flush(&mut self) -> Result<(), sqlx::Error> {
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
