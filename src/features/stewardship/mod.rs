//! Who looks after a directory entry: a member asks to manage an entry from its page, a site
//! admin or a current manager approves; managers then edit the entry (a form without
//! JavaScript, in place with it).

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod forms;
pub mod views;

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
    pub created_at: String,
}

/// The editable fields of an entry, as typed in the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct EntryEdit {
    pub name: String,
    pub description: String,
    pub offer: String,
    pub address: String,
    pub postal_code: String,
    pub email: String,
    pub phone: String,
    pub website: String,
}

impl EntryEdit {
    /// Trims every field and checks it; errors are `(field, French message)`.
    pub fn validated(mut self) -> Result<Self, Vec<(String, String)>> {
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut error =
            |field: &str, message: &str| errors.push((field.to_owned(), message.to_owned()));
        for value in [
            &mut self.name,
            &mut self.description,
            &mut self.offer,
            &mut self.address,
            &mut self.postal_code,
            &mut self.email,
            &mut self.phone,
            &mut self.website,
        ] {
            *value = value.trim().to_owned();
        }
        let chars = |text: &str| text.chars().count();
        if self.name.is_empty() {
            error("name", "Indiquez le nom de la structure.");
        } else if chars(&self.name) > 200 {
            error("name", "Le nom ne doit pas dépasser 200 caractères.");
        }
        if chars(&self.description) > 5000 {
            error(
                "description",
                "La présentation ne doit pas dépasser 5 000 caractères.",
            );
        }
        if chars(&self.offer) > 3000 {
            error("offer", "L'offre ne doit pas dépasser 3 000 caractères.");
        }
        if chars(&self.address) > 200 {
            error("address", "L'adresse ne doit pas dépasser 200 caractères.");
        }
        let postal_ok = self.postal_code.is_empty()
            || (self.postal_code.len() == 5
                && self.postal_code.chars().all(|c| c.is_ascii_digit()));
        if !postal_ok {
            error(
                "postal_code",
                "Le code postal compte 5 chiffres (exemple : 59140).",
            );
        }
        if !self.email.is_empty() {
            match crate::features::accounts::normalise_email(&self.email) {
                Ok(email) => self.email = email,
                Err(message) => error("email", message),
            }
        }
        if !self.phone.is_empty() {
            let digits = self.phone.chars().filter(char::is_ascii_digit).count();
            let allowed = self
                .phone
                .chars()
                .all(|c| c.is_ascii_digit() || " .+-()".contains(c));
            if !allowed || !(10..=15).contains(&digits) {
                error(
                    "phone",
                    "Le téléphone compte 10 chiffres (exemple : 03 28 00 00 00).",
                );
            }
        }
        if !self.website.is_empty()
            && !((self.website.starts_with("https://") || self.website.starts_with("http://"))
                && self.website.len() > 10
                && !self.website.contains(char::is_whitespace))
        {
            error(
                "website",
                "L'adresse du site commence par https:// (exemple : https://www.exemple.fr).",
            );
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
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
            ..Default::default()
        }
        .validated()
        .unwrap();
        assert_eq!(ok.name, "Les Courses Asteur");
        assert_eq!(ok.email, "contact@asteur.example");
        let errors = EntryEdit {
            name: " ".into(),
            postal_code: "591".into(),
            email: "contact@".into(),
            phone: "appelez-nous".into(),
            website: "javascript:alert(1)".into(),
            ..Default::default()
        }
        .validated()
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["name", "postal_code", "email", "phone", "website"]);
    }
}
