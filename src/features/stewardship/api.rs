//! Server functions of entry management. Each starts by asking who is asking: the policy for
//! rights that need no data, [`require_steward`] for the right to manage one entry.

use leptos::prelude::*;

use super::{Decision, EntryEdit, EntryForm, Stewardship};
use crate::error::AppError;
use crate::features::directory::ENTRY_NOTICES;
use crate::ui::notice::Done;

/// The logged-in member when they manage the published entry `structure_id` or administer the
/// site: `Unauthorized` for a visitor, `Forbidden` for anyone else.
pub async fn require_steward(
    state: &crate::state::AppState,
    structure_id: i64,
) -> Result<crate::features::accounts::CurrentUser, AppError> {
    use crate::features::accounts::{db, policy};
    let user = policy::require_user()?;
    if user.is_admin() || db::manages(&state.db, user.id, structure_id).await? {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The published entry's id, or `NotFound`.
async fn entry_id(state: &crate::state::AppState, slug: &str) -> Result<i64, AppError> {
    super::db::structure_id(&state.db, slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// What the management box of `/annuaire/{slug}` shows to the person looking.
#[server(endpoint = "annuaire/gestion")]
pub async fn load_stewardship(slug: String) -> Result<Stewardship, AppError> {
    let Some(user) = crate::features::accounts::auth::current_user() else {
        return Ok(Stewardship::Visitor);
    };
    let state = crate::state::app_state()?;
    let structure_id = entry_id(&state, &slug).await?;
    Ok(match require_steward(&state, structure_id).await {
        Ok(_) => Stewardship::Steward {
            requests: super::db::pending_requests(&state.db, structure_id).await?,
        },
        Err(AppError::Forbidden) => Stewardship::Member {
            pending: super::db::has_pending_request(&state.db, user.id, structure_id).await?,
        },
        Err(error) => return Err(error),
    })
}

/// The editable fields of an entry and the sectors to choose from, for its managers and the
/// site admins.
#[server(endpoint = "annuaire/modifier/charger")]
pub async fn load_entry_for_edit(slug: String) -> Result<EntryForm, AppError> {
    let state = crate::state::app_state()?;
    let structure_id = entry_id(&state, &slug).await?;
    require_steward(&state, structure_id).await?;
    let edit = super::db::entry_for_edit(&state.db, structure_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let all_sectors = crate::features::reference::db::list_sectors(&state.db)
        .await?
        .into_iter()
        .map(|sector| (sector.slug, sector.name))
        .collect();
    Ok(EntryForm { edit, all_sectors })
}

/// A member asks to manage the entry; a site admin or a current manager will decide.
#[server(endpoint = "annuaire/gerer")]
pub async fn request_management(slug: String) -> Result<Done, AppError> {
    use crate::features::accounts::policy::{Action, require};
    let user = require(Action::RequestManagement)?;
    let state = crate::state::app_state()?;
    let structure_id = entry_id(&state, &slug).await?;
    let back = format!("/annuaire/{slug}");
    if require_steward(&state, structure_id).await.is_ok() {
        // Already a manager: nothing to ask.
        return Ok(Done::go(&back));
    }
    // One pending request per member and entry, kept by the database.
    let filed = super::db::request_management(&state.db, user.id, structure_id).await?;
    // Nobody manages the entry yet: whoever reads its public address may confirm at once.
    if let Some(request) = filed
        && let Some((email, entry)) = super::db::unmanaged_address(&state.db, structure_id).await?
    {
        let token = super::db::claim_link(&state.db, request).await?;
        let letter = claim_letter(&state.config.base_url, &entry, &user.name, &token);
        state.send_mail(letter.to(&email, &entry)).await;
        return Ok(Done::notice(
            &back,
            "demande-envoyee-structure",
            ENTRY_NOTICES,
        ));
    }
    Ok(Done::notice(&back, "demande-envoyee", ENTRY_NOTICES))
}

crate::form_path!(RequestManagement => "/annuaire/{slug}/gerer");

/// To an entry's public address: a member asks to manage the entry.
fn claim_letter(base: &str, entry: &str, member: &str, token: &str) -> crate::mail::Letter {
    let first = format!(
        "{member} demande à gérer la fiche « {entry} » dans l'annuaire de l'économie sociale et solidaire de DESSINE. Personne ne la gère encore."
    );
    crate::mail::Letter::new(
        &format!("Gestion de votre fiche : {entry}"),
        &[
            &first,
            "Si cette personne fait partie de votre structure, confirmez : elle pourra tenir la fiche à jour. Sinon, ignorez ce message ; l'équipe du portail examinera la demande.",
        ],
        Some((
            "Confirmer cette personne",
            &format!("{base}/annuaire/confirmer-gestion?jeton={token}"),
        )),
    )
}

/// Whoever reads the entry's public address confirms a member's request to manage it (the
/// link opens a page whose button decides).
#[server(endpoint = "annuaire/confirmer-gestion")]
pub async fn confirm_claim(jeton: String) -> Result<Done, AppError> {
    // The token is the right.
    let state = crate::state::app_state()?;
    let slug = super::db::claim(&state.db, &jeton)
        .await?
        .ok_or(AppError::InvalidLink)?;
    Ok(Done::notice(
        &format!("/annuaire/{slug}"),
        "gestion-confirmee",
        ENTRY_NOTICES,
    ))
}

crate::form_path!(ConfirmClaim => "/annuaire/confirmer-gestion");

/// Saves an entry's fields and sectors (its managers and the site admins).
#[server(endpoint = "annuaire/modifier")]
pub async fn save_entry(
    slug: String,
    #[server(flatten)] edit: EntryEdit,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let structure_id = entry_id(&state, &slug).await?;
    let user = require_steward(&state, structure_id).await?;
    let edit = edit.validated()?;
    let known = crate::features::reference::db::list_sectors(&state.db).await?;
    if let Some(unknown) = edit
        .sectors
        .0
        .iter()
        .find(|slug| !known.iter().any(|sector| &sector.slug == *slug))
    {
        tracing::info!(sector = %unknown, "unknown sector in an entry edit");
        return Err(AppError::validation(
            "sectors",
            "Un des secteurs choisis n'existe pas : rechargez la page et choisissez à nouveau.",
        ));
    }
    super::db::save_entry(&state.db, structure_id, &edit, &user).await?;
    crate::features::directory::index::changed(&state).await;
    Ok(Done::notice(
        &format!("/annuaire/{slug}"),
        "fiche-enregistree",
        ENTRY_NOTICES,
    ))
}

crate::form_path!(SaveEntry => "/annuaire/{slug}/modifier");

/// Accepts or refuses a request to manage an entry (a site admin or a manager of the entry),
/// then back to `retour`. A request decided meanwhile by someone else is a conflict.
#[server(endpoint = "gestion/demandes")]
pub async fn decide_request(
    request: i64,
    decision: Decision,
    #[server(default)] retour: String,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let structure_id = super::db::request_structure(&state.db, request)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = require_steward(&state, structure_id).await?;
    if !super::db::decide(&state.db, request, decision, Some(user.id)).await? {
        return Err(already_decided());
    }
    let back = crate::ui::href::local_path(&retour).unwrap_or_else(|| "/compte".to_owned());
    let code = match decision {
        Decision::Approve => "demande-approuvee",
        Decision::Refuse => "demande-refusee",
    };
    Ok(Done::notice(&back, code, ENTRY_NOTICES))
}

crate::form_path!(DecideRequest => "/gestion/demandes/{request}");

fn already_decided() -> AppError {
    AppError::Conflict(
        "Cette demande a déjà été traitée, peut-être par quelqu'un d'autre.".to_owned(),
    )
}
