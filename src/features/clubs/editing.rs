//! Creating a club and editing its page (charter, meetings, territories); a member may add a
//! structure that is not in the directory yet.

use super::db;
use crate::error::AppError;
use crate::error::FieldErrors;
use crate::features::clubs::CLUB_NOTICES;
use crate::features::clubs::rights::club;
use crate::features::clubs::rights::require_club_admin;
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A club's editable fields, as typed (`territory` is a territory's slug, or empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubEdit {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub territory: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub charter: String,
    #[serde(default)]
    pub meetings: String,
}

impl ClubEdit {
    /// Trimmed and checked, every bad field with its French message.
    pub fn validated(mut self) -> Result<ClubEdit, AppError> {
        let mut errors = FieldErrors::default();
        for value in [
            &mut self.name,
            &mut self.territory,
            &mut self.description,
            &mut self.charter,
            &mut self.meetings,
        ] {
            *value = value.trim().to_owned();
        }
        if errors.required("name", &self.name, "Indiquez le nom du club.")
            && errors.at_most("name", &self.name, 150, "Le nom")
            && crate::slug::slugify(&self.name).is_empty()
        {
            errors.add(
                "name",
                "Le nom doit contenir au moins une lettre ou un chiffre.",
            );
        }
        if !self.territory.is_empty() && !crate::features::directory::is_slug(&self.territory) {
            errors.add("territory", "Choisissez le territoire dans la liste.");
        }
        for (field, text, label) in [
            ("description", &self.description, "La présentation"),
            ("charter", &self.charter, "La charte"),
        ] {
            errors.at_most(field, text, 10_000, label);
        }
        errors.at_most("meetings", &self.meetings, 300, "Ce texte");
        errors.finish(self)
    }
}

/// What the club form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubForm {
    /// "" for a new club.
    pub slug: String,
    pub edit: ClubEdit,
    /// `(slug, name)` of the intercommunalities and départements.
    pub territories: Vec<(String, String)>,
}

/// The fields of the entry a person creates when they follow an e-mail invitation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEntry {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub legal_form: String,
    #[serde(default)]
    pub commune: String,
}

impl NewEntry {
    /// Trimmed and checked, every bad field with its French message.
    pub fn validated(mut self) -> Result<NewEntry, AppError> {
        let mut errors = FieldErrors::default();
        self.name = self.name.trim().to_owned();
        self.legal_form = self.legal_form.trim().to_owned();
        self.commune = self.commune.trim().to_owned();
        if errors.required("name", &self.name, "Indiquez le nom de la structure.")
            && errors.at_most("name", &self.name, 200, "Le nom")
            && crate::slug::slugify(&self.name).is_empty()
        {
            errors.add(
                "name",
                "Le nom doit contenir au moins une lettre ou un chiffre.",
            );
        }
        if !crate::features::directory::LEGAL_FORMS
            .iter()
            .any(|(slug, _)| *slug == self.legal_form)
        {
            errors.add("legal_form", "Choisissez la forme juridique dans la liste.");
        }
        if self.commune.is_empty() {
            errors.add("commune", "Choisissez la commune dans la liste.");
        }
        errors.finish(self)
    }
}

/// The club form: empty for a new club (site admins), the club's fields for its admins.
#[server(endpoint = "clubs/formulaire")]
pub async fn load_club_form(#[server(default)] slug: String) -> Result<ClubForm, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let edit = if slug.is_empty() {
        if !user.is_admin() {
            return Err(AppError::Forbidden);
        }
        ClubEdit::default()
    } else {
        let club = club(&state, &slug).await?;
        require_club_admin(&state, club.id).await?;
        db::club_edit(&state.db, club.id)
            .await?
            .ok_or(AppError::NotFound)?
    };
    Ok(ClubForm {
        slug,
        edit,
        territories: db::club_territories(&state.db).await?,
    })
}

fn unknown_territory() -> AppError {
    AppError::validation("territory", "Choisissez le territoire dans la liste.")
}

/// A site admin creates a club (its first members then ask to join, and an admin is appointed
/// among their representatives).
#[server(endpoint = "clubs/nouveau")]
pub async fn create_club(#[server(flatten)] edit: ClubEdit) -> Result<Done, AppError> {
    use crate::features::accounts::policy::{Action, require};
    require(Action::AdministerSite)?;
    let state = crate::state::app_state()?;
    let edit = edit.validated()?;
    let slug = db::create_club(&state.db, &edit)
        .await?
        .ok_or_else(unknown_territory)?;
    Ok(Done::notice(
        &format!("/clubs/{slug}"),
        "club-enregistre",
        CLUB_NOTICES,
    ))
}

crate::form_path!(CreateClub => "/clubs/nouveau");

/// A club's admins (and site admins) edit its name, territory, presentation, charter and
/// meetings.
#[server(endpoint = "clubs/modifier")]
pub async fn save_club(slug: String, #[server(flatten)] edit: ClubEdit) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let club = club(&state, &slug).await?;
    require_club_admin(&state, club.id).await?;
    let edit = edit.validated()?;
    if !db::save_club(&state.db, club.id, &edit).await? {
        return Err(unknown_territory());
    }
    crate::features::directory::index::changed(&state).await;
    Ok(Done::notice(
        &format!("/clubs/{slug}"),
        "club-enregistre",
        CLUB_NOTICES,
    ))
}

crate::form_path!(SaveClub => "/clubs/{slug}/modifier");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_club_needs_a_name_and_bounded_texts() {
        let AppError::Validation(errors) = ClubEdit {
            name: " ".into(),
            territory: "<b>".into(),
            charter: "x".repeat(10_001),
            meetings: "y".repeat(301),
            ..Default::default()
        }
        .validated()
        .unwrap_err() else {
            panic!("expected field errors");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "territory", "charter", "meetings"]);
        let club = ClubEdit {
            name: " Club de l'ESS du Calaisis ".into(),
            territory: "pas-de-calais".into(),
            ..Default::default()
        }
        .validated()
        .unwrap();
        assert_eq!(club.name, "Club de l'ESS du Calaisis");
    }

    #[test]
    fn a_new_entry_needs_a_name_a_known_form_and_a_commune() {
        let error = NewEntry {
            name: "  ".into(),
            legal_form: "sarl".into(),
            commune: String::new(),
        }
        .validated()
        .unwrap_err();
        let AppError::Validation(errors) = error else {
            panic!("expected field errors");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "legal_form", "commune"]);
        let entry = NewEntry {
            name: " Recyclerie des Dunes ".into(),
            legal_form: "association".into(),
            commune: "dunkerque".into(),
        }
        .validated()
        .unwrap();
        assert_eq!(entry.name, "Recyclerie des Dunes");
        assert!(
            NewEntry {
                name: "!!!".into(),
                legal_form: "scop".into(),
                commune: "dunkerque".into()
            }
            .validated()
            .is_err()
        );
    }
}
