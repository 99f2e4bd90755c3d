//! The three passes over the files: the SIRENs that matter, the ESS units among them, then the
//! establishments to import (on a thread of its own, in batches).

use std::collections::{HashMap, HashSet};

use super::lines::{Lines, Record, Source};
use super::tables;
use super::writer::clip;

pub(super) const UNITS: &str = "Fichier des unités légales";
pub(super) const ESTABLISHMENTS: &str = "Fichier des établissements";

/// A legal unit kept: ESS, active.
#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub(super) name: String,
    pub(super) acronym: String,
    pub(super) category: String,
    pub(super) activity: String,
    pub(super) founded: Option<i64>,
}

/// A SIREN as a number (9 digits).
pub(super) fn siren(text: &str) -> Option<u32> {
    (text.len() == 9 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Whether an establishment line is active and in one of the départements; its SIREN.
pub(super) fn wanted_establishment(
    lines: &Lines,
    record: &Record,
    departements: &[String],
) -> Option<u32> {
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

pub(super) const ESTABLISHMENT_COLUMNS: &[&str] = &[
    "siren",
    "siret",
    "etatAdministratifEtablissement",
    "codeCommuneEtablissement",
];

/// First pass: the SIRENs of the active establishments in the départements.
pub(super) fn sirens_in_departements(
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
pub(super) fn ess_units(
    source: &Source,
    wanted: &HashSet<u32>,
) -> Result<HashMap<u32, Unit>, String> {
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
pub(super) enum Line {
    Candidate(Box<Candidate>),
    Refused(u64, String),
}

pub(super) struct Candidate {
    pub(super) line: u64,
    pub(super) siret: String,
    pub(super) name: String,
    pub(super) unit: Unit,
    pub(super) activity: String,
    pub(super) commune_code: String,
    pub(super) commune_name: String,
    pub(super) address: String,
    pub(super) postal_code: String,
    pub(super) staff: String,
}

/// The establishment's address: number, street type written out, street.
pub(super) fn address(lines: &Lines, record: &Record) -> String {
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
pub(super) fn read_candidates(
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
