//! Before sending a need, the buyer reviews the suppliers the matching suggested: removes one,
//! puts one back, adds one from the directory; then sends the need to them.

use super::buyers::UNCONFIRMED_REACH;
use super::model::SupplierChange;
use crate::error::AppError;
use crate::features::purchasing::PURCHASING_NOTICES;
use crate::features::purchasing::rights::now;
use crate::features::purchasing::rights::require_need_owner;
use crate::features::purchasing::rights::structure_named;
use crate::ui::notice::Done;
use leptos::prelude::*;

/// Takes a proposed structure off a draft's list (`retirer`) or puts it back (`remettre`).
#[server(endpoint = "achats/fournisseurs")]
pub async fn change_supplier(
    need: i64,
    structure: i64,
    action: SupplierChange,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, _) = require_need_owner(&state, need).await?;
    let removed = action == SupplierChange::Remove;
    super::db::set_removed(&state.db, need, structure, removed, user.id, now()).await?;
    Ok(Done::notice(
        &format!("/achats/{need}"),
        if removed { "retiree" } else { "remise" },
        PURCHASING_NOTICES,
    ))
}

crate::form_path!(ChangeSupplier => "/achats/{id}/fournisseurs");

/// Adds a structure of the directory to a draft's list (by its name or the address of its page).
#[server(endpoint = "achats/fournisseurs/ajouter")]
pub async fn add_supplier(need: i64, structure: String) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, _) = require_need_owner(&state, need).await?;
    if structure.trim().is_empty() || structure.chars().count() > 300 {
        return Err(AppError::validation(
            "structure",
            "Indiquez le nom d'une structure de l'annuaire, ou l'adresse de sa fiche.",
        ));
    }
    let id = structure_named(&state, &structure).await?.ok_or_else(|| {
        AppError::validation(
            "structure",
            "Aucune structure publiée de l'annuaire ne porte ce nom : copiez l'adresse de sa fiche.",
        )
    })?;
    super::db::add_supplier(&state.db, need, id, user.id, now()).await?;
    Ok(Done::notice(
        &format!("/achats/{need}"),
        "ajoutee",
        PURCHASING_NOTICES,
    ))
}

crate::form_path!(AddSupplier => "/achats/{id}/fournisseurs/ajouter");

/// Sends a draft to the structures kept on its list: each of their managers gets a mail. Each
/// structure reached is one mail of the buyer's mail budget; a buyer not yet confirmed by a site
/// admin reaches at most [`UNCONFIRMED_REACH`] structures.
#[server(endpoint = "achats/envoyer")]
pub async fn send_need(need: i64) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (user, status) = require_need_owner(&state, need).await?;
    if status != super::model::NeedStatus::Draft {
        return Err(AppError::Conflict("Ce besoin est déjà envoyé.".to_owned()));
    }
    let summary = super::db::summary(&state.db, need)
        .await?
        .ok_or(AppError::NotFound)?;
    let reach = (!summary.buyer_confirmed).then_some(UNCONFIRMED_REACH);
    let kept = super::db::kept_count(&state.db, need).await?;
    if let Some(reach) = reach
        && kept > reach
    {
        return Err(AppError::form(format!(
            "Tant qu'un administrateur du portail n'a pas confirmé que vous achetez pour « {} », un besoin part vers {reach} structures au plus : gardez-en {reach} (vous en avez {kept}), ou attendez la confirmation.",
            summary.organisation
        )));
    }
    crate::web::client::spend_mails(
        &state,
        crate::rate_limit::Sender::Account(user.id),
        u32::try_from(kept.max(1)).unwrap_or(u32::MAX),
    )
    .await?;
    let recipients = super::db::send(&state.db, need, reach, user.id, now()).await?;
    let url = format!("{}/achats/{need}", state.config.base_url);
    for (email, name, structure) in recipients {
        state
            .send_mail(super::mails::need_sent(
                &email, &name, &structure, &summary, &url,
            ))
            .await;
    }
    Ok(Done::notice(
        &format!("/achats/{need}"),
        "envoye",
        PURCHASING_NOTICES,
    ))
}

crate::form_path!(SendNeed => "/achats/{id}/envoyer");
