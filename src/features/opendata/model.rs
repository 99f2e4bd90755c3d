//! The directory dataset's fields: one list, from which come the CSV's header and cells, the
//! JSON's and GeoJSON's keys, the Table Schema and the table of `/donnees`. Column names are
//! stable: a reuser's program reads them; a new field is added at the end, none is renamed.
//!
//! No field names a person: the entries' contact e-mail and telephone (which may be a
//! person's) are left out; what remains describes structures.

use serde_json::{Value, json};

use crate::features::directory::db::ExportRow;
use crate::features::directory::{LEGAL_FORMS, SIAE_KINDS, STAFF_BANDS, legal_form_label};

/// The dataset's title, as the page, the JSON-LD and the schema name it.
pub const TITLE: &str = "Annuaire des structures de l'économie sociale et solidaire";
/// The file names (without extension) of the live files and of the dated snapshots.
pub const FILE: &str = "annuaire-ess";
pub const LICENCE_NAME: &str = "Licence Ouverte / Open Licence version 2.0 (Etalab)";
pub const LICENCE_URL: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";
/// How many daily snapshots are kept.
pub const KEEP_DAYS: i64 = 31;

/// A field's type in the Table Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A list of texts: joined by « ; » in the CSV, an array in JSON.
    List,
    Integer,
    Number,
    Date,
    Url,
}

/// One field of the dataset.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub title: &'static str,
    pub description: &'static str,
    pub example: &'static str,
    pub required: bool,
}

const fn field(
    name: &'static str,
    kind: Kind,
    required: bool,
    title: &'static str,
    description: &'static str,
    example: &'static str,
) -> Field {
    Field {
        name,
        kind,
        title,
        description,
        example,
        required,
    }
}

/// Every field, in the order of the CSV's columns.
pub const FIELDS: &[Field] = &[
    field(
        "identifiant",
        Kind::Text,
        true,
        "Identifiant",
        "Identifiant stable de la fiche dans l'annuaire (il ne change pas quand la structure change de nom).",
        "les-courses-asteur",
    ),
    field(
        "nom",
        Kind::Text,
        true,
        "Nom",
        "Nom de la structure.",
        "Les Courses Asteur",
    ),
    field(
        "sigle",
        Kind::Text,
        false,
        "Sigle",
        "Sigle ou nom court, s'il y en a un.",
        "",
    ),
    field(
        "siret",
        Kind::Text,
        false,
        "SIRET",
        "Numéro SIRET de l'établissement (14 chiffres), s'il est connu.",
        "",
    ),
    field(
        "forme_juridique",
        Kind::Text,
        true,
        "Forme juridique",
        "Famille de l'ESS à laquelle la structure appartient.",
        "Association",
    ),
    field(
        "type_siae",
        Kind::Text,
        false,
        "Type de structure d'insertion",
        "Pour une structure d'insertion par l'activité économique : ACI, EI, ETTI ou AI.",
        "ACI",
    ),
    field(
        "secteurs",
        Kind::List,
        false,
        "Secteurs d'activité",
        "Secteurs d'activité de la structure, séparés par « ; ».",
        "Mobilité ; Alimentation",
    ),
    field(
        "commune",
        Kind::Text,
        true,
        "Commune",
        "Commune du siège ou de l'établissement.",
        "Dunkerque",
    ),
    field(
        "code_postal",
        Kind::Text,
        false,
        "Code postal",
        "Code postal de l'adresse (5 chiffres).",
        "59140",
    ),
    field(
        "intercommunalite",
        Kind::Text,
        false,
        "Intercommunalité",
        "Intercommunalité de la commune.",
        "Communauté urbaine de Dunkerque",
    ),
    field(
        "departement",
        Kind::Text,
        true,
        "Département",
        "Département de la commune.",
        "Nord",
    ),
    field(
        "adresse",
        Kind::Text,
        false,
        "Adresse",
        "Adresse postale de la structure (numéro et voie).",
        "12 rue de la République",
    ),
    field(
        "latitude",
        Kind::Number,
        false,
        "Latitude",
        "Latitude WGS 84 en degrés décimaux (5 décimales), de l'adresse ou du centre de la commune.",
        "51.03437",
    ),
    field(
        "longitude",
        Kind::Number,
        false,
        "Longitude",
        "Longitude WGS 84 en degrés décimaux (5 décimales).",
        "2.37680",
    ),
    field(
        "site_web",
        Kind::Url,
        false,
        "Site web",
        "Adresse du site de la structure.",
        "https://www.exemple.fr",
    ),
    field(
        "effectif",
        Kind::Text,
        false,
        "Tranche d'effectif salarié",
        "Tranche d'effectif salarié de l'INSEE (« 0 » : aucun salarié), venue de SIRENE ou indiquée par la structure.",
        "10-19",
    ),
    field(
        "annee_creation",
        Kind::Integer,
        false,
        "Année de création",
        "Année de création de la structure.",
        "1998",
    ),
    field(
        "offre",
        Kind::Text,
        false,
        "Offre",
        "Ce que la structure propose aux acheteurs, en quelques lignes.",
        "",
    ),
    field(
        "description",
        Kind::Text,
        false,
        "Présentation",
        "Présentation de la structure, écrite par elle ou par le réseau.",
        "",
    ),
    field(
        "mise_a_jour",
        Kind::Date,
        true,
        "Mise à jour",
        "Date de la dernière modification de la fiche (AAAA-MM-JJ).",
        "2026-11-30",
    ),
    field(
        "url",
        Kind::Url,
        true,
        "Page de la fiche",
        "Adresse de la fiche sur le portail.",
        "https://dessine.example/annuaire/les-courses-asteur",
    ),
];

/// The column names, in order.
pub fn columns() -> Vec<&'static str> {
    FIELDS.iter().map(|f| f.name).collect()
}

/// A French reading of a field's type, for the page's table.
pub fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "texte",
        Kind::List => "liste de textes",
        Kind::Integer => "nombre entier",
        Kind::Number => "nombre décimal",
        Kind::Date => "date",
        Kind::Url => "adresse web",
    }
}

/// One value of a row, as JSON: text, number, list, or `null` when the entry has none.
fn value(row: &ExportRow, name: &str, base_url: &str) -> Value {
    let text = |s: &str| {
        if s.is_empty() {
            Value::Null
        } else {
            Value::from(s)
        }
    };
    let place = |v: Option<f64>| {
        v.filter(|v| v.is_finite())
            .map_or(Value::Null, |v| json!((v * 1e5).round() / 1e5))
    };
    match name {
        "identifiant" => text(&row.slug),
        "nom" => text(&row.name),
        "sigle" => text(&row.acronym),
        "siret" => text(row.siret.as_deref().unwrap_or_default()),
        "forme_juridique" => text(legal_form_label(&row.legal_form)),
        "type_siae" => text(row.siae_kind.as_deref().unwrap_or_default()),
        "secteurs" => Value::from(
            row.sectors
                .split(" ; ")
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>(),
        ),
        "commune" => text(&row.commune),
        "code_postal" => text(&row.postal_code),
        "intercommunalite" => text(row.intercommunality.as_deref().unwrap_or_default()),
        "departement" => text(&row.departement),
        "adresse" => text(&row.address),
        "latitude" => place(row.latitude),
        "longitude" => place(row.longitude),
        "site_web" => text(&row.website),
        "effectif" => text(&row.staff_band),
        "annee_creation" => row.year_founded.map_or(Value::Null, Value::from),
        "offre" => text(&row.offer),
        "description" => text(&row.description),
        "mise_a_jour" => Value::from(row.updated_at.iso_date()),
        "url" => Value::from(format!("{base_url}/annuaire/{}", row.slug)),
        _ => Value::Null,
    }
}

/// A row as a JSON object, keys in the order of [`FIELDS`].
pub fn object(row: &ExportRow, base_url: &str) -> serde_json::Map<String, Value> {
    FIELDS
        .iter()
        .map(|f| (f.name.to_owned(), value(row, f.name, base_url)))
        .collect()
}

/// A row as CSV cells, in the order of [`FIELDS`]: a list joined by « ; », numbers with five
/// decimals, nothing for a missing value.
pub fn cells(row: &ExportRow, base_url: &str) -> Vec<String> {
    FIELDS
        .iter()
        .map(|f| match value(row, f.name, base_url) {
            Value::Null => String::new(),
            Value::String(s) => s,
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" ; "),
            Value::Number(n) if f.kind == Kind::Number => {
                format!("{:.5}", n.as_f64().unwrap_or_default())
            }
            other => other.to_string(),
        })
        .collect()
}

/// The Table Schema (https://specs.frictionlessdata.io/table-schema/) the CSV follows.
pub fn table_schema(base_url: &str) -> Value {
    let fields: Vec<Value> = FIELDS
        .iter()
        .map(|f| {
            let mut constraints = serde_json::Map::new();
            if f.required {
                constraints.insert("required".into(), json!(true));
            }
            let (kind, format) = match f.kind {
                Kind::Text | Kind::List => ("string", "default"),
                Kind::Integer => ("integer", "default"),
                Kind::Number => ("number", "default"),
                Kind::Date => ("date", "default"),
                Kind::Url => ("string", "uri"),
            };
            match f.name {
                "identifiant" => {
                    constraints.insert("unique".into(), json!(true));
                    constraints.insert("pattern".into(), json!("[a-z0-9-]+"));
                }
                "siret" => {
                    constraints.insert("pattern".into(), json!("[0-9]{14}"));
                }
                "code_postal" => {
                    constraints.insert("pattern".into(), json!("[0-9]{5}"));
                }
                "forme_juridique" => {
                    let labels: Vec<&str> = LEGAL_FORMS.iter().map(|(_, label)| *label).collect();
                    constraints.insert("enum".into(), json!(labels));
                }
                "type_siae" => {
                    let kinds: Vec<&str> = SIAE_KINDS.iter().map(|(kind, _)| *kind).collect();
                    constraints.insert("enum".into(), json!(kinds));
                }
                "effectif" => {
                    let bands: Vec<&str> = STAFF_BANDS.iter().map(|(band, _)| *band).collect();
                    constraints.insert("enum".into(), json!(bands));
                }
                "latitude" => {
                    constraints.insert("minimum".into(), json!(-90));
                    constraints.insert("maximum".into(), json!(90));
                }
                "longitude" => {
                    constraints.insert("minimum".into(), json!(-180));
                    constraints.insert("maximum".into(), json!(180));
                }
                "annee_creation" => {
                    constraints.insert("minimum".into(), json!(1800));
                    constraints.insert("maximum".into(), json!(2100));
                }
                _ => {}
            }
            let mut field = json!({
                "name": f.name,
                "title": f.title,
                "description": f.description,
                "type": kind,
                "format": format,
            });
            if !f.example.is_empty() {
                field["example"] = json!(f.example);
            }
            if !constraints.is_empty() {
                field["constraints"] = Value::Object(constraints);
            }
            field
        })
        .collect();
    json!({
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "name": FILE,
        "title": TITLE,
        "description": "Les structures de l'économie sociale et solidaire publiées dans l'annuaire du portail, une ligne par structure.",
        "homepage": format!("{base_url}/donnees"),
        "path": format!("{base_url}/donnees/schema-{FILE}.json"),
        "licenses": [{"name": "etalab-2.0", "title": LICENCE_NAME, "path": LICENCE_URL}],
        "missingValues": [""],
        "primaryKey": "identifiant",
        "fields": fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_named_once_in_snake_case_and_described() {
        let mut seen = std::collections::BTreeSet::new();
        for f in FIELDS {
            assert!(seen.insert(f.name), "{} twice", f.name);
            assert!(
                f.name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                f.name
            );
            assert!(!f.description.is_empty() && !f.title.is_empty());
        }
        // Never a person's contact.
        assert!(!seen.contains("courriel") && !seen.contains("telephone"));
        let schema = table_schema("https://exemple.fr");
        assert_eq!(schema["fields"].as_array().unwrap().len(), FIELDS.len());
        assert_eq!(schema["primaryKey"], "identifiant");
    }
}
