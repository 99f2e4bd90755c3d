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
        if crate::text::choices::is_choice(table, value) {
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
    /// The accepted bookings whose calendar file the person may download (theirs or, for the
    /// mean's structure, every one).
    pub calendars: Vec<i64>,
    /// Offers that answer a search, or searches an offer answers: same kind, other structures.
    pub matches: Vec<MeanRow>,
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
    let calendars = bookings
        .iter()
        .filter(|b| {
            b.status == BookingStatus::Accepted.as_str()
                && (owner || managed.iter().any(|(id, _, _)| *id == b.structure_id))
        })
        .map(|b| b.id)
        .collect();
    let matches = super::db::matches(&state.db, &mean).await?;
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
        calendars,
        matches,
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
    // The letter to the mean's structure (once, whatever its number of managers).
    crate::web::client::spend_mails(&state, crate::rate_limit::Sender::Account(user.id), 1).await?;
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
    let borrower: String = sqlx::query_scalar("SELECT name FROM structures WHERE id = $1")
        .bind(structure_id)
        .fetch_one(&state.db.pool)
        .await?;
    let iso = crate::timestamp::iso_day;
    let letter = super::mails::requested(
        &row.title,
        &borrower,
        &super::mails::period(&iso(booking.first_day), &iso(booking.last_day)),
        &booking.message,
        &format!("{}/moyens/{mean}", state.config.base_url),
    );
    let managers =
        crate::features::accounts::db::manager_addresses(&state.db, row.structure_id).await?;
    state.send_letter(managers, &letter).await;
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
    let (mean, owner, borrower) = super::db::booking_parties(&state.db, booking)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = crate::features::stewardship::api::require_steward(&state, owner).await?;
    // The letter to the structure that asked.
    crate::web::client::spend_mails(&state, crate::rate_limit::Sender::Account(user.id), 1).await?;
    let accept = decision == BookingDecision::Accept;
    match super::db::decide(&state.db, booking, accept, crate::timestamp::Timestamp::now()).await?
    {
        super::db::Decided::Done => {
            tell_borrower(&state, booking, mean, borrower, accept).await?;
            Ok(Done::notice(
            &format!("/moyens/{mean}"),
            if accept {
                "reservation-acceptee"
            } else {
                "reservation-refusee"
            },
            SHARING_NOTICES,
        ))
        }
        super::db::Decided::AlreadyDecided => Err(AppError::Conflict(
            "Cette demande a déjà reçu une réponse : rechargez la page.".to_owned(),
        )),
        super::db::Decided::Overlaps => Err(AppError::Conflict(
            "Ces jours chevauchent une réservation déjà acceptée : refusez cette demande, ou proposez d'autres dates à la structure.".to_owned(),
        )),
    }
}

crate::form_path!(DecideBooking => "/moyens/reservations/{id}");

/// Mails the answer to the managers of the structure that asked, with the calendar file of an
/// accepted booking.
async fn tell_borrower(
    state: &crate::state::AppState,
    booking: i64,
    mean: i64,
    borrower: i64,
    accepted: bool,
) -> Result<(), AppError> {
    let Some(summary) = super::db::booking_summary(&state.db, booking).await? else {
        return Ok(());
    };
    let (title, owner, _, first, last) = &summary;
    let base = &state.config.base_url;
    let letter = super::mails::decided(
        title,
        owner,
        &super::mails::period(first, last),
        accepted,
        &format!("{base}/moyens/{mean}"),
    );
    let calendar = accepted
        .then(|| super::mails::calendar(base, booking, mean, &summary))
        .flatten();
    for (email, name) in
        crate::features::accounts::db::manager_addresses(&state.db, borrower).await?
    {
        let mut mail = letter.to(&email, &name);
        if let Some(calendar) = &calendar {
            mail = mail.attach(super::mails::attachment(calendar.clone()));
        }
        state.send_mail(mail).await;
    }
    Ok(())
}

/// `/moyens/reservations/{id}/calendrier.ics`: an accepted booking's calendar file, for the
/// managers of the two structures and the site admins.
pub async fn calendar_file(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    axum::extract::Path(booking): axum::extract::Path<i64>,
    request: axum::extract::Request,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let (parts, _) = request.into_parts();
    let (mean, owner, borrower) = super::db::booking_parties(&state.db, booking)
        .await?
        .ok_or(AppError::NotFound)?;
    let allowed = crate::web::forms::in_request_context(&state, &parts, async {
        let user = crate::features::accounts::policy::require_user()?;
        let db = &state.db;
        if user.is_admin()
            || crate::features::accounts::db::manages(db, user.id, owner).await?
            || crate::features::accounts::db::manages(db, user.id, borrower).await?
        {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    })
    .await;
    match allowed {
        Ok(()) => {}
        Err(AppError::Unauthorized) => {
            return Ok(crate::web::respond::login_first(&format!("/moyens/{mean}")));
        }
        Err(error) => return Err(error),
    }
    let parts = super::db::accepted_booking(&state.db, booking)
        .await?
        .ok_or(AppError::NotFound)?;
    let calendar = super::mails::calendar(&state.config.base_url, booking, mean, &parts)
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                crate::features::events::ics::CONTENT_TYPE,
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"reservation.ics\"",
            ),
        ],
        calendar,
    )
        .into_response())
}
