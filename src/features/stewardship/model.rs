//! Stewardship's types: who manages an entry, requests to manage one and their decisions, and
//! the entry form with its checks.

use crate::error::AppError;
use crate::error::FieldErrors;
use crate::timestamp::Timestamp;
use crate::ui::form::Many;
use serde::{Deserialize, Serialize};

/// What the management box of an entry's page shows to the person looking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stewardship {
    /// Not logged in.
    Visitor,
    /// Logged in, may ask to manage the entry.
    Member { pending: bool },
    /// Manager of the entry or site admin: may edit it and decide on requests.
    Steward { requests: Vec<ManagerRequest> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagerRequest {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub created_at: Timestamp,
}

/// A request's state. Stored as text in `manager_requests.status`; this is the one place that
/// maps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    Pending,
    Approved,
    Rejected,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Approved => "approved",
            RequestStatus::Rejected => "rejected",
        }
    }
}

/// What a manager or a site admin decides about a request (the button's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    #[serde(rename = "approuver")]
    Approve,
    #[serde(rename = "refuser")]
    Refuse,
}

/// The editable fields of an entry, as typed in the form. `sectors` are sector slugs (several
/// checkboxes with one name).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct EntryEdit {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub offer: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub website: String,
    /// One of [`crate::features::directory::STAFF_BANDS`], or "" (not stated).
    #[serde(default)]
    pub staff_band: String,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub sectors: Many<String>,
}

/// The edit page's data: the entry's fields and every sector to choose from, `(slug, name)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryForm {
    pub edit: EntryEdit,
    pub all_sectors: Vec<(String, String)>,
}

impl EntryEdit {
    /// Trims every field and checks it; every bad field gets its French message.
    pub fn validated(mut self) -> Result<Self, AppError> {
        let mut errors = FieldErrors::default();
        for value in [
            &mut self.name,
            &mut self.description,
            &mut self.offer,
            &mut self.address,
            &mut self.postal_code,
            &mut self.email,
            &mut self.phone,
            &mut self.website,
            &mut self.staff_band,
        ] {
            *value = value.trim().to_owned();
        }
        if errors.required("name", &self.name, "Indiquez le nom de la structure.") {
            errors.at_most("name", &self.name, 200, "Le nom");
        }
        errors.at_most("description", &self.description, 5000, "La présentation");
        errors.at_most("offer", &self.offer, 3000, "L'offre");
        // In the order of the form, so that the first message is the first field to fix.
        let mut sectors: Vec<String> = Vec::new();
        for sector in std::mem::take(&mut self.sectors.0) {
            if !sectors.contains(&sector) {
                sectors.push(sector);
            }
        }
        if sectors.is_empty() {
            errors.add("sectors", "Choisissez au moins un secteur d'activité.");
        }
        self.sectors = Many(sectors);
        errors.at_most("address", &self.address, 200, "L'adresse");
        let postal_ok = self.postal_code.is_empty()
            || (self.postal_code.len() == 5
                && self.postal_code.chars().all(|c| c.is_ascii_digit()));
        if !postal_ok {
            errors.add(
                "postal_code",
                "Le code postal compte 5 chiffres (exemple : 59140).",
            );
        }
        if !self.email.is_empty()
            && let Some(email) = errors.check(
                "email",
                crate::features::accounts::normalise_email(&self.email),
            )
        {
            self.email = email;
        }
        if !self.phone.is_empty() {
            let digits = self.phone.chars().filter(char::is_ascii_digit).count();
            let allowed = self
                .phone
                .chars()
                .all(|c| c.is_ascii_digit() || " .+-()".contains(c));
            if !allowed || !(10..=15).contains(&digits) {
                errors.add(
                    "phone",
                    "Le téléphone compte 10 chiffres (exemple : 03 28 00 00 00).",
                );
            }
        }
        if !self.website.is_empty() && !crate::text::check::is_web_address(&self.website) {
            errors.add(
                "website",
                "L'adresse du site commence par https:// (exemple : https://www.exemple.fr).",
            );
        }
        let band_known = self.staff_band.is_empty()
            || crate::features::directory::STAFF_BANDS
                .iter()
                .any(|(band, _)| *band == self.staff_band);
        if !band_known {
            errors.add(
                "staff_band",
                "Choisissez l'effectif dans la liste (ou « Non indiqué »).",
            );
        }
        errors.finish(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_edits_are_trimmed_and_checked() {
        let ok = EntryEdit {
            name: "  Les Courses Asteur ".into(),
            postal_code: "59140".into(),
            email: "Contact@Asteur.example".into(),
            phone: "03 53 73 00 01".into(),
            website: "https://asteur.example".into(),
            staff_band: " 10-19 ".into(),
            sectors: Many(vec!["mobilite".into(), "mobilite".into()]),
            ..Default::default()
        }
        .validated()
        .unwrap();
        assert_eq!(ok.name, "Les Courses Asteur");
        assert_eq!(ok.sectors.0, ["mobilite"], "duplicates dropped");
        assert_eq!(ok.email, "contact@asteur.example");
        assert_eq!(ok.staff_band, "10-19");
        let errors = EntryEdit {
            name: " ".into(),
            postal_code: "591".into(),
            email: "contact@".into(),
            phone: "appelez-nous".into(),
            website: "javascript:alert(1)".into(),
            staff_band: "beaucoup".into(),
            ..Default::default()
        }
        .validated()
        .unwrap_err()
        .field_errors();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "sectors",
                "postal_code",
                "email",
                "phone",
                "website",
                "staff_band"
            ]
        );
    }
}
