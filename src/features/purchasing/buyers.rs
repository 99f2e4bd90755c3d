//! A public or private buyer declares itself (name, kind, SIRET) before posting needs.

use super::model::is_choice;
use crate::error::AppError;
use crate::error::FieldErrors;
use crate::features::purchasing::BUYER_KINDS;
use crate::features::purchasing::PURCHASING_NOTICES;
use crate::features::purchasing::rights::now;
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The « Je suis acheteur » form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerForm {
    pub organisation: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub siret: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBuyer {
    pub organisation: String,
    pub kind: String,
    pub siret: Option<String>,
}

impl BuyerForm {
    pub fn validated(self) -> Result<ValidBuyer, AppError> {
        let mut errors = FieldErrors::default();
        let organisation = self.organisation.trim().to_owned();
        if organisation.is_empty() {
            errors.add(
                "organisation",
                "Indiquez le nom de votre organisation (exemple : Communauté urbaine de Dunkerque, service des achats).",
            );
        } else if organisation.chars().count() > 160 {
            errors.add(
                "organisation",
                "Le nom ne doit pas dépasser 160 caractères.",
            );
        }
        if !is_choice(BUYER_KINDS, self.kind.trim()) {
            errors.add("kind", "Choisissez le type d'organisation dans la liste.");
        }
        let digits: String = self.siret.chars().filter(|c| !c.is_whitespace()).collect();
        let siret = if digits.is_empty() {
            None
        } else if digits.len() == 14 && digits.chars().all(|c| c.is_ascii_digit()) {
            Some(digits)
        } else {
            errors.add(
                "siret",
                "Le SIRET compte 14 chiffres (les espaces sont acceptés), ou laissez le champ vide.",
            );
            None
        };
        errors.finish(ValidBuyer {
            organisation,
            kind: self.kind.trim().to_owned(),
            siret,
        })
    }
}

/// A buyer, as their pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Buyer {
    pub id: i64,
    pub organisation: String,
    pub kind: String,
}

/// Declares (or corrects) the organisation the member buys for.
#[server(endpoint = "achats/acheteur")]
pub async fn declare_buyer(#[server(flatten)] form: BuyerForm) -> Result<Done, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let buyer = form.validated()?;
    super::db::declare_buyer(&state.db, user.id, &buyer, now()).await?;
    Ok(Done::notice(
        "/achats/nouveau",
        "acheteur",
        PURCHASING_NOTICES,
    ))
}

crate::form_path!(DeclareBuyer => "/achats/acheteur");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siret_accepts_spaces_and_refuses_letters() {
        let form = |siret: &str| BuyerForm {
            organisation: "CUD".into(),
            kind: "collectivite".into(),
            siret: siret.into(),
        };
        assert_eq!(
            form("245 900 428 00011")
                .validated()
                .unwrap()
                .siret
                .as_deref(),
            Some("24590042800011")
        );
        assert_eq!(form("").validated().unwrap().siret, None);
        assert!(form("2459004280001A").validated().is_err());
        assert!(form("123").validated().is_err());
    }
}
