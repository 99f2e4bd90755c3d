//! A public or private buyer declares itself (name, kind, SIRET) before posting needs; a site
//! admin confirms that it really acts for that organisation (`/achats/acheteurs`). Until then
//! its needs reach at most [`UNCONFIRMED_REACH`] suppliers: anyone can type « Communauté
//! urbaine de Dunkerque », and the portal must not carry that name to a hundred mailboxes.

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
    /// A site admin confirmed that this account acts for the organisation.
    pub confirmed: bool,
}

/// A buyer's organisation as the portal's mails name it: plainly once a site admin confirmed
/// it, quoted and said to be declared until then.
pub fn named(organisation: &str, confirmed: bool) -> String {
    if confirmed {
        organisation.to_owned()
    } else {
        format!(
            "« {organisation} » (organisation déclarée par l'acheteur, pas encore vérifiée par le portail)"
        )
    }
}

/// How many suppliers a need of a buyer not yet confirmed can be sent to.
pub const UNCONFIRMED_REACH: i64 = 3;

/// A buyer as the site admins review it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerReview {
    pub id: i64,
    pub organisation: String,
    pub kind: String,
    pub siret: String,
    /// The account's name and address.
    pub name: String,
    pub email: String,
    pub confirmed: bool,
    /// Needs posted so far.
    pub needs: i64,
}

/// The buyers, those waiting for a confirmation first (site admins).
#[server(endpoint = "achats/acheteurs/liste")]
pub async fn load_buyers() -> Result<Vec<BuyerReview>, AppError> {
    use crate::features::accounts::policy::{Action, require};
    require(Action::AdministerSite)?;
    let state = crate::state::app_state()?;
    Ok(super::db::buyers_for_review(&state.db).await?)
}

/// Confirms (`confirme` = « oui ») that a buyer acts for the organisation it declared, or takes
/// the confirmation back (site admins).
#[server(endpoint = "achats/acheteurs/confirmer")]
pub async fn confirm_buyer(buyer: i64, confirme: String) -> Result<Done, AppError> {
    use crate::features::accounts::policy::{Action, require};
    let user = require(Action::AdministerSite)?;
    let state = crate::state::app_state()?;
    let confirmed = confirme == "oui";
    if !super::db::confirm_buyer(&state.db, buyer, confirmed, Some(user.id), now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(Done::notice(
        "/achats/acheteurs",
        if confirmed {
            "acheteur-confirme"
        } else {
            "confirmation-retiree"
        },
        PURCHASING_NOTICES,
    ))
}

crate::form_path!(ConfirmBuyer => "/achats/acheteurs/{buyer}/confirmation");

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
