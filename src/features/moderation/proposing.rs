//! Proposing to the directory: « Référencer ma structure » (a new entry) and « Proposer une
//! correction » (an entry one does not manage). Nothing is published before a moderator
//! decides; a visitor confirms their address first.

use crate::error::AppError;
use crate::features::directory::db::Snapshot;
use crate::features::moderation::{
    MODERATION_NOTICES, ProposalForm, ProposalKind, ProposalPage, ValidProposal, db, mails,
};
use crate::state::AppState;
use crate::ui::notice::Done;
use leptos::prelude::*;

/// The proposal form: empty for a new entry (`slug` ""), the entry's values for a correction.
#[server(endpoint = "moderation/formulaire")]
pub async fn load_proposal_page(#[server(default)] slug: String) -> Result<ProposalPage, AppError> {
    // Anyone may propose: nothing here is private.
    let state = crate::state::app_state()?;
    let member = crate::features::accounts::auth::current_user().is_some();
    let (entry, values) = if slug.is_empty() {
        (None, Snapshot::new())
    } else {
        let (id, name) = published(&state, &slug).await?;
        let mut conn = state.db.pool.acquire().await?;
        let values = crate::features::directory::db::revisions::snapshot(&mut conn, id).await?;
        (Some((slug, name)), values)
    };
    let communes = crate::features::reference::db::communes(&state.db).await?;
    let sectors = crate::features::reference::db::list_sectors(&state.db)
        .await?
        .into_iter()
        .map(|sector| (sector.slug, sector.name))
        .collect();
    Ok(ProposalPage {
        entry,
        values,
        communes,
        sectors,
        member,
    })
}

/// A published entry's id and name, or `NotFound`.
async fn published(state: &AppState, slug: &str) -> Result<(i64, String), AppError> {
    sqlx::query_as("SELECT id, name FROM structures WHERE slug = $1 AND status = 'published'")
        .bind(slug)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// The commune's département, after checking that the commune and the sectors exist.
pub(super) async fn checked_places(db: &crate::db::Db, fields: &Snapshot) -> Result<i64, AppError> {
    let commune = fields.get("commune").map_or("", String::as_str);
    let departement: Option<i64> = sqlx::query_scalar(
        "SELECT CASE WHEN p.kind = 'intercommunalite' THEN p.parent_id ELSE p.id END \
         FROM territories c JOIN territories p ON p.id = c.parent_id WHERE c.slug = $1 AND c.kind = 'commune'",
    )
    .bind(commune)
    .fetch_optional(&db.pool)
    .await?;
    let mut errors = crate::error::FieldErrors::default();
    if departement.is_none() {
        errors.add("commune", "Choisissez la commune dans la liste.");
    }
    let known = crate::features::reference::db::list_sectors(db).await?;
    let sectors = fields.get("sectors").map_or("", String::as_str);
    if sectors
        .split(',')
        .filter(|s| !s.is_empty())
        .any(|slug| !known.iter().any(|sector| sector.slug == slug))
    {
        errors.add(
            "sectors",
            "Un des secteurs choisis n'existe pas : rechargez la page et choisissez à nouveau.",
        );
    }
    errors.finish(departement.unwrap_or_default())
}

/// Who proposes: the member, or the visitor's name and address (unconfirmed). Rate-limited.
async fn proposer(
    state: &AppState,
    valid: &ValidProposal,
) -> Result<(Option<i64>, String, String), AppError> {
    let ip = crate::web::client::current_client_ip(state);
    match crate::features::accounts::auth::current_user() {
        Some(user) => {
            state
                .limiter
                .check(crate::rate_limit::PROPOSAL, &ip, &user.id.to_string())
                .await?;
            Ok((Some(user.id), user.name, user.email))
        }
        None => {
            let (name, email) = valid.proposer.clone().ok_or(AppError::Unauthorized)?;
            state
                .limiter
                .check(crate::rate_limit::PROPOSAL, &ip, &email)
                .await?;
            // The confirmation link is mailed to the address typed.
            crate::web::client::spend_mails(state, crate::rate_limit::Sender::Address(&email), 1)
                .await?;
            Ok((None, name, email))
        }
    }
}

/// Where a proposal's sender goes next: the page, its notices, and the codes for « sent » and
/// « confirm your address ».
struct Back<'a> {
    page: &'a str,
    notices: crate::ui::notice::Notices,
    codes: (&'a str, &'a str),
}

/// Files the proposal; mails the visitor's link or tells the moderators; where to go next.
async fn file(
    state: &AppState,
    kind: ProposalKind,
    structure_id: Option<i64>,
    departement: i64,
    fields: &Snapshot,
    who: (Option<i64>, String, String),
    back: Back<'_>,
) -> Result<Done, AppError> {
    let (proposer_id, name, email) = who;
    let entry = match structure_id {
        Some(structure) => sqlx::query_scalar("SELECT name FROM structures WHERE id = $1")
            .bind(structure)
            .fetch_optional(&state.db.pool)
            .await?
            .unwrap_or_default(),
        None => fields.get("name").cloned().unwrap_or_default(),
    };
    let (id, token) = db::file(
        &state.db,
        &db::NewProposal {
            kind,
            structure_id,
            departement: Some(departement),
            fields,
            proposer_id,
            proposer_name: &name,
            proposer_email: &email,
        },
        proposer_id.is_some(),
    )
    .await?;
    let base = &state.config.base_url;
    match token {
        Some(token) => {
            state
                .send_mail(mails::confirm_address(base, &entry, &token).to(&email, &name))
                .await;
            Ok(Done::notice(back.page, back.codes.1, back.notices))
        }
        None => {
            tell_moderators(state, id).await?;
            Ok(Done::notice(back.page, back.codes.0, back.notices))
        }
    }
}

/// Tells the moderators of the proposal's territory that it waits.
pub async fn tell_moderators(state: &AppState, id: i64) -> Result<(), AppError> {
    let Some(proposal) = db::find(&state.db, id).await? else {
        return Ok(());
    };
    let entry = match proposal.structure_id {
        Some(structure) => sqlx::query_scalar("SELECT name FROM structures WHERE id = $1")
            .bind(structure)
            .fetch_optional(&state.db.pool)
            .await?
            .unwrap_or_default(),
        None => proposal.fields.get("name").cloned().unwrap_or_default(),
    };
    let what = match proposal.kind {
        ProposalKind::New => "une nouvelle structure,",
        ProposalKind::Correction => "une correction de la fiche",
    };
    let letter = mails::waiting(&state.config.base_url, what, &entry, id);
    for (email, name) in db::moderator_addresses(&state.db, proposal.departement).await? {
        state.send_mail(letter.to(&email, &name)).await;
    }
    Ok(())
}

/// « Référencer ma structure »: anyone proposes a new entry. Likely duplicates are shown first
/// (the proposer may say it is another structure); the same SIRET is refused.
#[server(endpoint = "moderation/proposer")]
pub async fn propose_structure(#[server(flatten)] form: ProposalForm) -> Result<Done, AppError> {
    // Anyone may propose; a visitor gives and confirms an address.
    let member = crate::features::accounts::auth::current_user().is_some();
    let state = crate::state::app_state()?;
    let valid = form.validated(!member)?;
    let departement = checked_places(&state.db, &valid.fields).await?;
    let alike =
        crate::features::directory::db::duplicates::look_alikes(&state.db, &valid.fields, None)
            .await?;
    if let Some((slug, name, _)) = alike.iter().find(|(_, _, why)| why == "même SIRET") {
        return Err(AppError::validation(
            "siret",
            format!(
                "Ce SIRET est celui de la fiche « {name} » (/annuaire/{slug}) : proposez-y plutôt une correction."
            ),
        ));
    }
    if let Some((slug, name, why)) = alike.first()
        && !valid.other_structure
    {
        return Err(AppError::validation(
            "autre_structure",
            format!(
                "Une fiche semblable existe déjà ({why}) : « {name} », /annuaire/{slug}. Si c'est bien votre structure, proposez-y une correction ; sinon, cochez « C'est une autre structure » et envoyez à nouveau."
            ),
        ));
    }
    let who = proposer(&state, &valid).await?;
    file(
        &state,
        ProposalKind::New,
        None,
        departement,
        &valid.fields,
        who,
        Back {
            page: "/annuaire/referencer",
            notices: MODERATION_NOTICES,
            codes: ("proposition-envoyee", "verifiez-mail"),
        },
    )
    .await
}

crate::form_path!(ProposeStructure => "/annuaire/referencer");

/// « Proposer une correction »: anyone who does not manage the entry proposes new values; only
/// the fields that differ are kept. Managers edit their entry at once instead.
#[server(endpoint = "moderation/corriger")]
pub async fn propose_correction(
    slug: String,
    #[server(flatten)] form: ProposalForm,
) -> Result<Done, AppError> {
    // Anyone may propose; a visitor gives and confirms an address.
    let user = crate::features::accounts::auth::current_user();
    let state = crate::state::app_state()?;
    let (structure_id, _) = published(&state, &slug).await?;
    if let Some(user) = &user
        && crate::features::accounts::db::manages(&state.db, user.id, structure_id).await?
    {
        return Ok(Done::go(&format!("/annuaire/{slug}/modifier")));
    }
    let valid = form.validated(user.is_none())?;
    let departement = checked_places(&state.db, &valid.fields).await?;
    let mut conn = state.db.pool.acquire().await?;
    let current =
        crate::features::directory::db::revisions::snapshot(&mut conn, structure_id).await?;
    drop(conn);
    let changed: Snapshot = valid
        .fields
        .iter()
        .filter(|(field, value)| current.get(*field) != Some(*value))
        .map(|(field, value)| (field.clone(), value.clone()))
        .collect();
    if changed.is_empty() {
        return Err(AppError::form(
            "Vous n'avez rien changé : corrigez au moins un champ avant d'envoyer.",
        ));
    }
    let who = proposer(&state, &valid).await?;
    let back = format!("/annuaire/{slug}");
    file(
        &state,
        ProposalKind::Correction,
        Some(structure_id),
        departement,
        &changed,
        who,
        Back {
            page: &back,
            notices: crate::features::directory::ENTRY_NOTICES,
            codes: ("correction-envoyee", "correction-a-confirmer"),
        },
    )
    .await
}

crate::form_path!(ProposeCorrection => "/annuaire/{slug}/corriger");

/// A visitor confirms their address (a button on the page the mailed link opens: never a GET
/// that changes data); the proposal goes to moderation.
#[server(endpoint = "moderation/confirmer")]
pub async fn confirm_proposal(jeton: String) -> Result<Done, AppError> {
    // The token is the right.
    let state = crate::state::app_state()?;
    let id = db::confirm(&state.db, &jeton)
        .await?
        .ok_or(AppError::InvalidLink)?;
    tell_moderators(&state, id).await?;
    // Back where the proposal was made: the corrected entry's page, or the proposal form.
    let entry: Option<String> = sqlx::query_scalar(
        "SELECT s.slug FROM proposals p JOIN structures s ON s.id = p.structure_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(&state.db.pool)
    .await?;
    Ok(match entry {
        Some(slug) => Done::notice(
            &format!("/annuaire/{slug}"),
            "correction-envoyee",
            crate::features::directory::ENTRY_NOTICES,
        ),
        None => Done::notice(
            "/annuaire/referencer",
            "proposition-confirmee",
            MODERATION_NOTICES,
        ),
    })
}

crate::form_path!(ConfirmProposal => "/annuaire/proposition/confirmer");
