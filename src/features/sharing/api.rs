//! What people do with shared means: list them, offer or look for one, ask to book an offer,
//! accept or refuse a booking.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::db::{BookingRow, MeanRow};
use super::model::{BookingForm, BookingStatus, MeanForm};
use crate::error::AppError;
use crate::ui::notice::Done;

/// The notices of the shared means' pages.
pub const SHARING_NOTICES: crate::ui::notice::Notices = &[
    (
        "moyen-publie",
        "C'est publié : les structures du territoire le voient dans les moyens partagés.",
    ),
    (
        "demande-envoyee",
        "Votre demande de réservation est envoyée : la structure qui propose ce moyen l'accepte ou la refuse ici même.",
    ),
    ("reservation-acceptee", "La réservation est acceptée."),
    ("reservation-refusee", "La réservation est refusée."),
];

use crate::timestamp::paris_today as today;

/// `/moyens`: the means offered and looked for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MeanList {
    pub means: Vec<MeanRow>,
    pub logged_in: bool,
}

/// The means of the directory's structures, of one kind (`type`) and direction (`sens`) when
/// chosen. Public.
#[server(endpoint = "moyens/liste")]
pub async fn load_means(
    #[server(default)] kind: String,
    #[server(default)] direction: String,
) -> Result<MeanList, AppError> {
    let state = crate::state::app_state()?;
    // Only known values filter; anything else lists everything.
    let known = |table: &[(&str, &str)], value: &str| {
        let value = value.trim();
        if table.iter().any(|(v, _)| *v == value) {
            value.to_owned()
        } else {
            String::new()
        }
    };
    Ok(MeanList {
        means: super::db::means(
            &state.db,
            &known(super::model::KINDS, &kind),
            &known(super::model::DIRECTIONS, &direction),
        )
        .await?,
        logged_in: crate::features::accounts::auth::current_user().is_some(),
    })
}

/// What `/moyens/proposer` offers to choose: the structures the person manages, the communes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MeanFormData {
    pub structures: Vec<(String, String)>,
    pub communes: Vec<(String, String)>,
}

#[server(endpoint = "moyens/formulaire")]
pub async fn load_mean_form() -> Result<MeanFormData, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let structures = crate::features::accounts::db::managed_structures(&state.db, user.id)
        .await?
        .into_iter()
        .map(|(_, slug, name)| (slug, name))
        .collect();
    let communes = crate::features::reference::db::communes(&state.db).await?;
    Ok(MeanFormData {
        structures,
        communes,
    })
}

/// A manager publishes what their structure offers or looks for.
#[server(endpoint = "moyens/proposer")]
pub async fn propose_mean(#[server(flatten)] form: MeanForm) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let mean = form.validated()?;
    let structure_id = crate::features::stewardship::db::structure_id(&state.db, &mean.structure)
        .await?
        .ok_or_else(|| {
            AppError::validation(
                "structure",
                "Choisissez une structure dont vous gérez la fiche.",
            )
        })?;
    let user = crate::features::stewardship::api::require_steward(&state, structure_id).await?;
    let id = super::db::create_mean(
        &state.db,
        &mean,
        structure_id,
        Some(user.id),
        crate::timestamp::Timestamp::now(),
    )
    .await
    .map_err(|error| match error {
        sqlx::Error::RowNotFound => {
            AppError::validation("commune", "Choisissez la commune dans la liste.")
        }
        other => other.into(),
    })?;
    Ok(Done::notice(
        &format!("/moyens/{id}"),
        "moyen-publie",
        SHARING_NOTICES,
    ))
}

crate::form_path!(ProposeMean => "/moyens/proposer");

/// A mean's page: the mean, its bookings to come (with who and why for its structure's
/// managers; only the days taken for anyone else), and the structures the person may book for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MeanPage {
    pub mean: MeanRow,
    pub bookings: Vec<BookingRow>,
    pub owner: bool,
    pub logged_in: bool,
    /// The structures the person manages, but the mean's own: `(slug, name)`.
    pub mine: Vec<(String, String)>,
}

#[server(endpoint = "moyens/fiche")]
pub async fn load_mean(id: i64) -> Result<MeanPage, AppError> {
    let state = crate::state::app_state()?;
    let mean = super::db::mean(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = crate::features::accounts::auth::current_user();
    let managed = match &user {
        Some(user) => crate::features::accounts::db::managed_structures(&state.db, user.id).await?,
        None => Vec::new(),
    };
    let owner = user.as_ref().is_some_and(|u| u.is_admin())
        || managed.iter().any(|(id, _, _)| *id == mean.structure_id);
    let mut bookings =
        super::db::bookings(&state.db, id, &crate::timestamp::iso_day(today())).await?;
    if !owner {
        // Others see which days are taken, not by whom nor why.
        bookings.retain(|b| b.status == BookingStatus::Accepted.as_str());
        for booking in &mut bookings {
            booking.structure_name.clear();
            booking.message.clear();
        }
    }
    let mine = managed
        .into_iter()
        .filter(|(id, _, _)| *id != mean.structure_id)
        .map(|(_, slug, name)| (slug, name))
        .collect();
    Ok(MeanPage {
        mean,
        bookings,
        owner,
        logged_in: user.is_some(),
        mine,
    })
}

/// A manager asks, for their structure, to book an offered mean for some days.
#[server(endpoint = "moyens/reserver")]
pub async fn request_booking(
    mean: i64,
    #[server(flatten)] form: BookingForm,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let row = super::db::mean(&state.db, mean)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.direction != "offre" {
        return Err(AppError::form(
            "On ne réserve qu'un moyen proposé ; pour une recherche, écrivez à la structure depuis sa fiche.",
        ));
    }
    let booking = form.validated(today())?;
    let structure_id =
        crate::features::stewardship::db::structure_id(&state.db, &booking.structure)
            .await?
            .ok_or_else(|| {
                AppError::validation(
                    "structure",
                    "Choisissez la structure pour laquelle vous réservez.",
                )
            })?;
    let user = crate::features::stewardship::api::require_steward(&state, structure_id).await?;
    if structure_id == row.structure_id {
        return Err(AppError::form(
            "Ce moyen est déjà celui de votre structure : choisissez une autre structure.",
        ));
    }
    super::db::request_booking(
        &state.db,
        mean,
        structure_id,
        Some(user.id),
        (booking.first_day, booking.last_day),
        &booking.message,
        crate::timestamp::Timestamp::now(),
    )
    .await?;
    Ok(Done::notice(
        &format!("/moyens/{mean}"),
        "demande-envoyee",
        SHARING_NOTICES,
    ))
}

crate::form_path!(RequestBooking => "/moyens/{id}/reserver");

/// The mean's structure answers a booking request (the button's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BookingDecision {
    #[serde(rename = "accepter")]
    Accept,
    #[serde(rename = "refuser")]
    Refuse,
}

/// A manager of the mean's structure (or a site admin) accepts or refuses a booking. The days
/// of an accepted booking are taken: a request that overlaps them cannot be accepted.
#[server(endpoint = "moyens/decider")]
pub async fn decide_booking(
    booking: i64,
    decision: BookingDecision,
    #[server(default)] retour: String,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    // The form says which page it came from; the answer goes to the mean's page whatever it says.
    let _ = retour;
    let state = crate::state::app_state()?;
    let (mean, owner, _) = super::db::booking_parties(&state.db, booking)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::features::stewardship::api::require_steward(&state, owner).await?;
    let accept = decision == BookingDecision::Accept;
    match super::db::decide(&state.db, booking, accept, crate::timestamp::Timestamp::now()).await?
    {
        super::db::Decided::Done => Ok(Done::notice(
            &format!("/moyens/{mean}"),
            if accept {
                "reservation-acceptee"
            } else {
                "reservation-refusee"
            },
            SHARING_NOTICES,
        )),
        super::db::Decided::AlreadyDecided => Err(AppError::Conflict(
            "Cette demande a déjà reçu une réponse : rechargez la page.".to_owned(),
        )),
        super::db::Decided::Overlaps => Err(AppError::Conflict(
            "Ces jours chevauchent une réservation déjà acceptée : refusez cette demande, ou proposez d'autres dates à la structure.".to_owned(),
        )),
    }
}

crate::form_path!(DecideBooking => "/moyens/reservations/{id}");
