//! Subscribing (double opt-in), confirming, unsubscribing (by the page or in one click).

use crate::error::{AppError, FieldErrors};
use crate::mail::{Letter, Mail};
use crate::ui::notice::{Done, Notices};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const NEWSLETTER_NOTICES: Notices = &[
    (
        "verifiez",
        "Si l'adresse n'était pas encore abonnée, un courriel vient d'y partir : ouvrez son lien pour confirmer l'abonnement. Rien ne sera envoyé avant.",
    ),
    (
        "abonne",
        "Votre abonnement est confirmé : la prochaine lettre vous parviendra à la date prévue.",
    ),
    (
        "desabonne",
        "Vous êtes désabonné·e : plus aucune lettre ne vous sera envoyée.",
    ),
];

/// How long a confirmation link stays valid.
pub const CONFIRM_FOR: time::Duration = time::Duration::hours(48);

/// The one-click unsubscription that mail clients post (RFC 8058), `?jeton=…`.
pub const ONE_CLICK_PATH: &str = "/lettre/desinscription/un-clic";

/// The subscription form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionForm {
    #[serde(default)]
    pub email: String,
    /// « hebdomadaire » or « mensuelle ».
    #[serde(default)]
    pub frequence: String,
    /// A territory's slug, or empty for the whole portal.
    #[serde(default)]
    pub territoire: String,
}

/// The stored frequency of a form value.
pub fn frequency_of(value: &str) -> Option<&'static str> {
    match value {
        "hebdomadaire" => Some("weekly"),
        "mensuelle" => Some("monthly"),
        _ => None,
    }
}

impl SubscriptionForm {
    /// `(email, frequency, territory slug)`, or each bad field with its French message.
    pub fn validated(self) -> Result<(String, &'static str, Option<String>), AppError> {
        let mut errors = FieldErrors::default();
        let email = crate::features::accounts::normalise_email(&self.email)
            .map_err(|message| errors.add("email", message))
            .unwrap_or_default();
        let frequency = frequency_of(self.frequence.trim()).unwrap_or_else(|| {
            errors.add(
                "frequence",
                "Choisissez une lettre par semaine ou par mois.",
            );
            "weekly"
        });
        let territory = Some(self.territoire.trim().to_owned()).filter(|t| !t.is_empty());
        if territory.as_ref().is_some_and(|t| t.len() > 100) {
            errors.add("territoire", "Choisissez un territoire de la liste.");
        }
        errors.finish((email, frequency, territory))
    }
}

fn confirmation(base: &str, to: &str, frequency: &str, token: &str) -> Mail {
    let url = format!("{base}/lettre/confirmer?jeton={token}");
    let how_often = if frequency == "monthly" {
        "une fois par mois"
    } else {
        "une fois par semaine"
    };
    let first = format!(
        "Quelqu'un (vous, sans doute) a demandé à recevoir la lettre d'information de DESSINE à cette adresse, {how_often} : les nouvelles actualités et les prochains événements de l'économie sociale et solidaire du territoire."
    );
    Letter::new(
        "Confirmez votre abonnement à la lettre de DESSINE",
        &[
            &first,
            "Pour recevoir la lettre, confirmez votre adresse avec le lien ci-dessous (valable 48 heures). Sans confirmation, rien ne vous sera envoyé et l'adresse sera effacée.",
        ],
        Some(("Confirmer mon abonnement", &url)),
    )
    .to(to, "")
}

/// Asks for the letter: mails a confirmation link to a new (or not yet confirmed) address;
/// an address already confirmed keeps its choices and gets nothing. The answer is the same
/// either way, so the form tells nobody who is subscribed.
#[server(endpoint = "lettre/abonnement")]
pub async fn subscribe(#[server(flatten)] form: SubscriptionForm) -> Result<Done, AppError> {
    // Public: anyone may ask; the link decides.
    let state = crate::state::app_state()?;
    let (email, frequency, territory) = form.validated()?;
    let territory_id =
        match &territory {
            Some(slug) => Some(super::db::territory_id(&state.db, slug).await?.ok_or_else(
                || AppError::validation("territoire", "Choisissez un territoire de la liste."),
            )?),
            None => None,
        };
    let ip = crate::web::client::current_client_ip(&state);
    state
        .limiter
        .check(
            crate::rate_limit::GUEST_REGISTRATION,
            &ip,
            &format!("lettre:{email}"),
        )
        .await?;
    crate::web::client::spend_mails(&state, crate::rate_limit::Sender::Address(&email), 1).await?;
    let now = crate::timestamp::Timestamp::now();
    let (token, hash) = crate::tokens::new_token();
    let (unsubscribe, _) = crate::tokens::new_token();
    let requested = super::db::request(
        &state.db,
        &email,
        frequency,
        territory_id,
        &hash,
        now.plus(CONFIRM_FOR),
        &unsubscribe,
        now,
    )
    .await?;
    if requested == super::db::Requested::MailLink {
        state
            .send_mail(confirmation(
                &state.config.base_url,
                &email,
                frequency,
                &token,
            ))
            .await;
    }
    Ok(Done::notice("/lettre", "verifiez", NEWSLETTER_NOTICES))
}

crate::form_path!(Subscribe => "/lettre");

/// The address a confirmation link would confirm (nothing is changed by reading it).
#[server(endpoint = "lettre/confirmer/charger")]
pub async fn load_confirmation(token: String) -> Result<String, AppError> {
    // Public: the link is the right.
    let state = crate::state::app_state()?;
    let hash = crate::tokens::hash_token(&token);
    super::db::pending(&state.db, &hash, crate::timestamp::Timestamp::now())
        .await?
        .ok_or(AppError::InvalidLink)
}

/// Confirms the subscription of a confirmation link.
#[server(endpoint = "lettre/confirmer")]
pub async fn confirm_subscription(token: String) -> Result<Done, AppError> {
    // Public: the link is the right.
    let state = crate::state::app_state()?;
    let hash = crate::tokens::hash_token(&token);
    if !super::db::confirm(&state.db, &hash, crate::timestamp::Timestamp::now()).await? {
        return Err(AppError::InvalidLink);
    }
    Ok(Done::notice("/lettre", "abonne", NEWSLETTER_NOTICES))
}

crate::form_path!(ConfirmSubscription => "/lettre/confirmer");

/// The address an unsubscription link unsubscribes.
#[server(endpoint = "lettre/desinscription/charger")]
pub async fn load_unsubscription(token: String) -> Result<String, AppError> {
    // Public: the link is the right.
    let state = crate::state::app_state()?;
    super::db::by_unsubscribe_token(&state.db, &token)
        .await?
        .ok_or(AppError::InvalidLink)
}

/// Unsubscribes the address of an unsubscription link.
#[server(endpoint = "lettre/desinscription")]
pub async fn unsubscribe(token: String) -> Result<Done, AppError> {
    // Public: the link is the right.
    let state = crate::state::app_state()?;
    if !super::db::unsubscribe(&state.db, &token).await? {
        return Err(AppError::InvalidLink);
    }
    Ok(Done::notice("/lettre", "desabonne", NEWSLETTER_NOTICES))
}

crate::form_path!(Unsubscribe => "/lettre/desinscription");

#[derive(Deserialize)]
pub struct OneClick {
    #[serde(default)]
    jeton: String,
}

/// What mail clients post to `List-Unsubscribe` (RFC 8058: `List-Unsubscribe=One-Click`): the
/// subscription goes; a link unknown or already used answers 400 and changes nothing.
pub async fn one_click_unsubscribe(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    axum::extract::Query(query): axum::extract::Query<OneClick>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match super::db::unsubscribe(&state.db, &query.jeton).await {
        Ok(true) => (
            axum::http::StatusCode::OK,
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8",
            )],
            "Vous êtes désabonné·e de la lettre de DESSINE.",
        )
            .into_response(),
        Ok(false) => AppError::InvalidLink.into_response(),
        Err(error) => AppError::from(error).into_response(),
    }
}

/// Subscribers per territory and frequency (editors).
#[server(endpoint = "lettre/abonnes")]
pub async fn load_subscriber_counts() -> Result<Vec<(String, String, i64)>, AppError> {
    use crate::features::accounts::policy::{Action, require};
    require(Action::EditContent)?;
    let state = crate::state::app_state()?;
    Ok(super::db::counts(&state.db)
        .await?
        .into_iter()
        .map(|(territory, frequency, count)| {
            (
                territory.unwrap_or_else(|| "Tout le territoire".to_owned()),
                if frequency == "monthly" {
                    "mensuelle".to_owned()
                } else {
                    "hebdomadaire".to_owned()
                },
                count,
            )
        })
        .collect())
}

/// The form's choices of territory.
#[server(endpoint = "lettre/territoires")]
pub async fn load_territories() -> Result<Vec<(String, String)>, AppError> {
    // Public data.
    let state = crate::state::app_state()?;
    Ok(crate::features::reference::db::wide_territories(&state.db).await?)
}
