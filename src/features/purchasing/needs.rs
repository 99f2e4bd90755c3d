//! A buyer posts a need (what, where, when, how much, which clauses); the lists of needs, one
//! need's page, « Mes achats ».

use super::model::is_choice;
use crate::error::AppError;
use crate::error::FieldErrors;
use crate::features::purchasing::AMOUNT_BANDS;
use crate::features::purchasing::CLAUSES;
use crate::features::purchasing::MyPurchasing;
use crate::features::purchasing::NEED_KINDS;
use crate::features::purchasing::NeedFormData;
use crate::features::purchasing::NeedList;
use crate::features::purchasing::NeedPage;
use crate::features::purchasing::PURCHASING_NOTICES;
use crate::features::purchasing::rights::iso;
use crate::features::purchasing::rights::now;
use crate::features::purchasing::rights::require_buyer;
use crate::features::purchasing::rights::today;
use crate::ui::form::Many;
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The need form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedForm {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub amount_band: String,
    #[serde(default)]
    pub deadline: String,
    #[serde(default)]
    pub clause: String,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub sectors: Many<String>,
}

/// A need once checked. The commune and sectors are slugs; the database checks they exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNeed {
    pub title: String,
    pub description: String,
    pub commune: String,
    pub kind: String,
    pub amount_band: String,
    /// `YYYY-MM-DD`.
    pub deadline: String,
    pub clause: String,
    pub public: bool,
    pub sectors: Vec<String>,
}

impl NeedForm {
    /// Checks the form on `today` (Paris): the deadline may not be in the past.
    pub fn validated(self, today: time::Date) -> Result<ValidNeed, AppError> {
        let mut errors = FieldErrors::default();
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            errors.add(
                "title",
                "Indiquez l'objet du besoin (exemple : Traiteur pour 80 personnes).",
            );
        } else if title.chars().count() > 160 {
            errors.add("title", "L'objet ne doit pas dépasser 160 caractères.");
        }
        let description = self.description.trim().to_owned();
        if description.chars().count() < 20 {
            errors.add(
                "description",
                "Décrivez le besoin en quelques phrases (20 caractères au moins) : c'est ce que liront les structures.",
            );
        } else if description.chars().count() > 5000 {
            errors.add(
                "description",
                "La description ne doit pas dépasser 5 000 caractères.",
            );
        }
        if self.commune.trim().is_empty() {
            errors.add(
                "commune",
                "Choisissez la commune où la prestation aura lieu.",
            );
        }
        if !is_choice(NEED_KINDS, self.kind.trim()) {
            errors.add("kind", "Choisissez le type de besoin dans la liste.");
        }
        if !is_choice(AMOUNT_BANDS, self.amount_band.trim()) {
            errors.add(
                "amount_band",
                "Choisissez une tranche de montant dans la liste.",
            );
        }
        match crate::timestamp::parse_date(self.deadline.trim()) {
            None => errors.add(
                "deadline",
                "Indiquez la date limite des réponses (exemple : 2027-01-15).",
            ),
            Some(date) if date < today => errors.add(
                "deadline",
                "La date limite des réponses est passée : choisissez aujourd'hui ou une date à venir.",
            ),
            Some(date) if date > today + time::Duration::days(366) => errors.add(
                "deadline",
                "La date limite doit tomber dans l'année qui vient.",
            ),
            Some(_) => {}
        }
        if !is_choice(CLAUSES, self.clause.trim()) {
            errors.add(
                "clause",
                "Choisissez une option de clause sociale dans la liste.",
            );
        }
        let public = match self.visibility.trim() {
            "public" => true,
            "private" => false,
            _ => {
                errors.add("visibility", "Choisissez qui peut voir le besoin.");
                false
            }
        };
        let mut sectors: Vec<String> = self
            .sectors
            .0
            .iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        sectors.sort();
        sectors.dedup();
        if sectors.is_empty() {
            errors.add("sectors", "Cochez au moins un secteur d'activité.");
        } else if sectors.len() > 5 {
            errors.add("sectors", "Cochez au plus cinq secteurs.");
        }
        errors.finish(ValidNeed {
            title,
            description,
            commune: self.commune.trim().to_owned(),
            kind: self.kind.trim().to_owned(),
            amount_band: self.amount_band.trim().to_owned(),
            deadline: self.deadline.trim().to_owned(),
            clause: self.clause.trim().to_owned(),
            public,
            sectors,
        })
    }
}

/// `/achats`: the open public needs, filtered by sector and territory (slugs, empty for all).
#[server(endpoint = "achats/liste")]
pub async fn load_needs(
    #[server(default)] secteur: String,
    #[server(default)] territoire: String,
) -> Result<NeedList, AppError> {
    // Public data; who looks only changes the links offered.
    let state = crate::state::app_state()?;
    let user = crate::features::accounts::auth::current_user();
    let buyer = match &user {
        Some(user) => super::db::buyer_of(&state.db, user.id).await?.is_some(),
        None => false,
    };
    let secteur: String = secteur.trim().chars().take(80).collect();
    let territoire: String = territoire.trim().chars().take(80).collect();
    Ok(NeedList {
        needs: super::db::open_public(&state.db, &secteur, &territoire, &iso(today())).await?,
        sectors: super::db::sectors(&state.db).await?,
        territories: super::db::territories(&state.db).await?,
        fairs: super::db::coming_fairs(&state.db, now()).await?,
        buyer,
        logged_in: user.is_some(),
    })
}

/// `/achats/{id}`: a need, as much of it as the person may see. A draft is its buyer's only; a
/// private need is its buyer's and its recipients' only. Anyone else gets the answer a need that
/// does not exist gets, so that nobody learns a private need is there.
#[server(endpoint = "achats/besoin")]
pub async fn load_need(id: i64) -> Result<NeedPage, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::features::accounts::auth::current_user();
    let (owner_id, status, _) = super::db::need_owner(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let owner = user
        .as_ref()
        .is_some_and(|u| u.id == owner_id || u.is_admin());
    let need = super::db::summary(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !owner {
        if status == super::NeedStatus::Draft {
            return Err(AppError::NotFound);
        }
        if !need.public {
            let Some(user) = &user else {
                return Err(AppError::NotFound);
            };
            if !super::db::is_recipient(&state.db, id, user.id).await? {
                return Err(AppError::NotFound);
            }
        }
    }
    let mine = match &user {
        Some(user) if status != super::NeedStatus::Draft => {
            super::db::suppliers(&state.db, id, Some(user.id)).await?
        }
        _ => Vec::new(),
    };
    let (suppliers, history) = if owner {
        (
            super::db::suppliers(&state.db, id, None).await?,
            super::db::history_lines(&state.db, id).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(NeedPage {
        description: super::db::description(&state.db, id).await?,
        need,
        owner,
        mine,
        suppliers,
        history,
    })
}

/// `/achats/nouveau`: the member's buyer organisation (if declared) and the form's choices.
#[server(endpoint = "achats/nouveau/charger")]
pub async fn load_need_form() -> Result<NeedFormData, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    Ok(NeedFormData {
        buyer: super::db::buyer_of(&state.db, user.id).await?,
        communes: crate::features::reference::db::communes(&state.db).await?,
        sectors: super::db::sectors(&state.db).await?,
    })
}

/// `/achats/mes-demandes`: the member's needs as a buyer, and the needs sent to the structures
/// they manage.
#[server(endpoint = "achats/mes-demandes")]
pub async fn load_my_purchasing() -> Result<MyPurchasing, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let buyer = super::db::buyer_of(&state.db, user.id).await?;
    let needs = match &buyer {
        Some(buyer) => super::db::needs_of_buyer(&state.db, buyer.id).await?,
        None => Vec::new(),
    };
    Ok(MyPurchasing {
        buyer,
        needs,
        received: super::db::received_by(&state.db, user.id).await?,
    })
}

/// Writes a need as a draft, with the structures the matching proposes.
#[server(endpoint = "achats/besoins")]
pub async fn create_need(#[server(flatten)] form: NeedForm) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, buyer) = require_buyer(&state).await?;
    let need = form.validated(today())?;
    let id = super::db::create_need(&state.db, buyer.id, user.id, &need, now()).await?;
    Ok(Done::notice(
        &format!("/achats/{id}"),
        "besoin-cree",
        PURCHASING_NOTICES,
    ))
}

crate::form_path!(CreateNeed => "/achats/nouveau");

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> time::Date {
        time::Date::from_calendar_date(2026, time::Month::November, 24).unwrap()
    }

    fn need() -> NeedForm {
        NeedForm {
            title: "Traiteur pour 80 personnes".into(),
            description: "Un buffet de midi pour la journée de la commande publique responsable."
                .into(),
            commune: "dunkerque".into(),
            kind: "devis".into(),
            amount_band: "moins-10k".into(),
            deadline: "2026-12-15".into(),
            clause: "aucune".into(),
            visibility: "public".into(),
            sectors: Many(vec!["circuits-courts".into()]),
        }
    }

    #[test]
    fn a_complete_need_is_valid() {
        let valid = need().validated(today()).unwrap();
        assert!(valid.public);
        assert_eq!(valid.sectors, vec!["circuits-courts".to_owned()]);
    }

    #[test]
    fn every_bad_field_of_a_need_gets_its_message() {
        let form = NeedForm {
            title: " ".into(),
            description: "court".into(),
            commune: "".into(),
            kind: "autre".into(),
            amount_band: "beaucoup".into(),
            deadline: "2026-11-23".into(),
            clause: "x".into(),
            visibility: "".into(),
            sectors: Many(vec![]),
        };
        let fields: Vec<String> = form
            .validated(today())
            .unwrap_err()
            .field_errors()
            .into_iter()
            .map(|(field, _)| field)
            .collect();
        for field in [
            "title",
            "description",
            "commune",
            "kind",
            "amount_band",
            "deadline",
            "clause",
            "visibility",
            "sectors",
        ] {
            assert!(fields.contains(&field.to_owned()), "{field} in {fields:?}");
        }
    }

    #[test]
    fn a_deadline_today_is_accepted_and_a_garbled_one_refused() {
        let today_form = NeedForm {
            deadline: "2026-11-24".into(),
            ..need()
        };
        assert!(today_form.validated(today()).is_ok());
        let garbled = NeedForm {
            deadline: "15/12/2026<script>".into(),
            ..need()
        };
        assert!(garbled.validated(today()).is_err());
    }
}
