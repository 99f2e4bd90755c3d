//! Suppliers answer a need (interested or not), the buyer contacts one, and closes the need
//! with its outcome.

use crate::error::AppError;
use crate::features::purchasing::Answer;
use crate::features::purchasing::PURCHASING_NOTICES;
use crate::features::purchasing::rights::now;
use crate::features::purchasing::rights::require_need_owner;
use crate::ui::form::Many;
use crate::ui::notice::Done;
use leptos::prelude::*;

/// A structure's answer to a need sent to it: interested (a message, a link to a document) or
/// not (a reason). The buyer gets a mail.
#[server(endpoint = "achats/repondre")]
pub async fn answer_need(
    need: i64,
    structure: String,
    answer: Answer,
    #[server(default)] message: String,
    #[server(default)] attachment_url: String,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let structure_id = crate::features::stewardship::db::structure_id(&state.db, &structure)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = crate::features::stewardship::api::require_steward(&state, structure_id).await?;
    let message = message.trim().to_owned();
    let attachment_url = attachment_url.trim().to_owned();
    let mut errors = crate::error::FieldErrors::default();
    match answer {
        Answer::Interested if message.chars().count() < 10 => errors.add(
            "message",
            "Présentez en quelques mots ce que vous proposez (10 caractères au moins).",
        ),
        Answer::Declined if message.is_empty() => errors.add(
            "message",
            "Indiquez la raison, en quelques mots : elle aide l'acheteur.",
        ),
        _ if message.chars().count() > 3000 => errors.add(
            "message",
            "Le message ne doit pas dépasser 3 000 caractères.",
        ),
        _ => {}
    }
    if !attachment_url.is_empty()
        && (attachment_url.chars().count() > 500
            || !(attachment_url.starts_with("https://") || attachment_url.starts_with("http://"))
            || attachment_url.chars().any(char::is_whitespace))
    {
        errors.add(
            "attachment_url",
            "Le lien doit être une adresse web complète (https://…), ou laissez le champ vide.",
        );
    }
    errors.finish(())?;
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
        && let Some((owner, _)) = super::db::need_owner(&state.db, need).await?
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
    message: String,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, _) = require_need_owner(&state, need).await?;
    let message = message.trim().to_owned();
    if message.chars().count() < 10 || message.chars().count() > 3000 {
        return Err(AppError::validation(
            "message",
            "Écrivez votre message (de 10 à 3 000 caractères).",
        ));
    }
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

/// Closes a need with an outcome per structure (`structure[i]`, `outcome[i]`, `amount[i]`: the
/// form's rows, in order) and, for a contract won, its amount in euros.
#[server(endpoint = "achats/cloturer")]
pub async fn close_need(
    need: i64,
    #[server(default)] structure: Many<i64>,
    #[server(default)] outcome: Many<String>,
    #[server(default)] amount: Many<String>,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, _) = require_need_owner(&state, need).await?;
    if structure.0.len() != outcome.0.len() || structure.0.len() != amount.0.len() {
        return Err(AppError::form(
            "Le formulaire envoyé est incomplet : rechargez la page.",
        ));
    }
    let mut rows = Vec::new();
    let mut errors = crate::error::FieldErrors::default();
    for ((structure, outcome), amount) in structure.0.iter().zip(&outcome.0).zip(&amount.0) {
        let Some(outcome) = super::Outcome::parse(outcome.trim()) else {
            errors.add(
                "outcome",
                "Choisissez un résultat dans la liste pour chaque structure.",
            );
            continue;
        };
        let digits: String = amount
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}' && *c != '€')
            .collect();
        let amount = if digits.is_empty() {
            None
        } else {
            match digits.parse::<i64>() {
                Ok(euros) if (0..=1_000_000_000).contains(&euros) => Some(euros),
                _ => {
                    errors.add(
                        "amount",
                        "Le montant s'écrit en euros, en chiffres (exemple : 12500).",
                    );
                    None
                }
            }
        };
        // An amount is that of a contract won.
        let amount = amount.filter(|_| outcome == super::Outcome::Won);
        rows.push((*structure, outcome, amount));
    }
    errors.finish(())?;
    super::db::close(&state.db, need, &rows, user.id, now()).await?;
    Ok(Done::notice(
        &format!("/achats/{need}"),
        "clos",
        PURCHASING_NOTICES,
    ))
}

crate::form_path!(CloseNeed => "/achats/{id}/cloture");
