//! Suppliers answer a need (interested or not), the buyer contacts one, and closes the need
//! with its outcome.

use crate::error::AppError;
use crate::error::FieldErrors;
use crate::features::purchasing::Answer;
use crate::features::purchasing::Outcome;
use crate::features::purchasing::PURCHASING_NOTICES;
use crate::features::purchasing::rights::now;
use crate::features::purchasing::rights::require_need_owner;
use crate::text::check::{chars, lines};
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A structure's answer, as typed: its message and an optional link to a document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub attachment_url: String,
}

impl AnswerForm {
    /// `(message, link)`: an interested structure says what it offers, one that declines says
    /// why; the link is a full web address or nothing.
    pub fn validated(self, answer: Answer) -> Result<(String, String), AppError> {
        let mut errors = FieldErrors::default();
        let message = lines(&self.message);
        let attachment_url = self.attachment_url.trim().to_owned();
        match answer {
            Answer::Interested if chars(&message) < 10 => errors.add(
                "message",
                "Présentez en quelques mots ce que vous proposez (10 caractères au moins).",
            ),
            Answer::Declined if message.is_empty() => errors.add(
                "message",
                "Indiquez la raison, en quelques mots : elle aide l'acheteur.",
            ),
            _ => {
                errors.at_most("message", &message, MAX_MESSAGE_CHARS, "Le message");
            }
        }
        errors.web_address_or_empty("attachment_url", &attachment_url);
        errors.finish((message, attachment_url))
    }
}

/// A buyer's message to a structure, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    pub message: String,
}

impl ContactForm {
    /// The message, trimmed: 10 to 3,000 characters.
    pub fn validated(self) -> Result<String, AppError> {
        let message = lines(&self.message);
        if !(10..=MAX_MESSAGE_CHARS).contains(&chars(&message)) {
            return Err(AppError::validation(
                "message",
                "Écrivez votre message (de 10 à 3 000 caractères).",
            ));
        }
        Ok(message)
    }
}

/// One row of the closing form: a structure of the need, its outcome and, for a contract won,
/// its amount in euros.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingRow {
    pub structure: i64,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub amount: String,
}

/// The closing form's rows, checked: `(structure, outcome, amount of a contract won)`.
pub fn validated_rows(rows: Vec<ClosingRow>) -> Result<Vec<(i64, Outcome, Option<i64>)>, AppError> {
    let mut errors = FieldErrors::default();
    let mut checked = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(outcome) = Outcome::parse(row.outcome.trim()) else {
            errors.add(
                "outcome",
                "Choisissez un résultat dans la liste pour chaque structure.",
            );
            continue;
        };
        let amount = errors.whole_number(
            "amount",
            &row.amount,
            0..=1_000_000_000,
            "Le montant s'écrit en euros, en chiffres (exemple : 12500).",
        );
        // An amount is that of a contract won.
        let amount = amount.filter(|_| outcome == Outcome::Won);
        checked.push((row.structure, outcome, amount));
    }
    if checked.is_empty() && errors.is_empty() {
        errors.add(
            "",
            "Le formulaire envoyé est incomplet : rechargez la page.",
        );
    }
    errors.finish(checked)
}

/// At most this many characters in an answer's or a buyer's message.
pub const MAX_MESSAGE_CHARS: usize = 3000;

/// A structure's answer to a need sent to it: interested (a message, a link to a document) or
/// not (a reason). The buyer gets a mail.
#[server(endpoint = "achats/repondre")]
pub async fn answer_need(
    need: i64,
    structure: String,
    answer: Answer,
    #[server(flatten)] form: AnswerForm,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let structure_id = crate::features::stewardship::db::structure_id(&state.db, &structure)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = crate::features::stewardship::api::require_steward(&state, structure_id).await?;
    let (message, attachment_url) = form.validated(answer)?;
    crate::web::client::spend_mails(&state, crate::rate_limit::Sender::Account(user.id), 1).await?;
    super::db::answer(
        &state.db,
        need,
        structure_id,
        answer,
        &message,
        &attachment_url,
        user.id,
        now(),
    )
    .await?;
    if let Some(summary) = super::db::summary(&state.db, need).await?
        && let Some((owner, _, _)) = super::db::need_owner(&state.db, need).await?
        && let Some(buyer) = crate::features::accounts::db::find_by_id(&state.db, owner).await?
    {
        let (email, name) = (buyer.email, buyer.name);
        let structure = super::db::suppliers(&state.db, need, None)
            .await?
            .into_iter()
            .find(|s| s.structure_id == structure_id)
            .map_or(structure, |s| s.name);
        let url = format!("{}/achats/{need}", state.config.base_url);
        state
            .send_mail(super::mails::answer_received(
                &email, &name, &summary, &structure, answer, &url,
            ))
            .await;
    }
    Ok(Done::notice(
        &format!("/achats/{need}"),
        "reponse",
        PURCHASING_NOTICES,
    ))
}

crate::form_path!(AnswerNeed => "/achats/{id}/reponse");

/// The buyer writes to a structure of the need: its managers get the message by mail, with the
/// buyer's address to answer.
#[server(endpoint = "achats/contacter")]
pub async fn contact_supplier(
    need: i64,
    structure: i64,
    #[server(flatten)] form: ContactForm,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, _) = require_need_owner(&state, need).await?;
    let message = form.validated()?;
    crate::web::client::spend_mails(&state, crate::rate_limit::Sender::Account(user.id), 1).await?;
    let recipients = super::db::contacted(&state.db, need, structure, user.id, now()).await?;
    if let Some(summary) = super::db::summary(&state.db, need).await? {
        let url = format!("{}/achats/{need}", state.config.base_url);
        for (email, name, structure) in recipients {
            state
                .send_mail(super::mails::buyer_message(
                    &email,
                    &name,
                    &structure,
                    &summary,
                    &user.name,
                    &user.email,
                    &message,
                    &url,
                ))
                .await;
        }
    }
    Ok(Done::notice(
        &format!("/achats/{need}"),
        "contact",
        PURCHASING_NOTICES,
    ))
}

crate::form_path!(ContactSupplier => "/achats/{id}/contact");

/// Closes a need with an outcome per structure (`rows[i][structure]`, `rows[i][outcome]`,
/// `rows[i][amount]`: one row of the form each) and, for a contract won, its amount in euros.
#[server(endpoint = "achats/cloturer")]
pub async fn close_need(
    need: i64,
    #[server(default)] rows: Vec<ClosingRow>,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, _) = require_need_owner(&state, need).await?;
    let rows = validated_rows(rows)?;
    super::db::close(&state.db, need, &rows, user.id, now()).await?;
    Ok(Done::notice(
        &format!("/achats/{need}"),
        "clos",
        PURCHASING_NOTICES,
    ))
}

crate::form_path!(CloseNeed => "/achats/{id}/cloture");
