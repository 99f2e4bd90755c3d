//! What happens inside a consortium: its page for its members (and the structures invited into
//! it), the lead's invitations, the invited side's answer, roles, the shared checklist, and
//! whether the call's page names it. Each server function asks who is asking first.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::api::{CALL_NOTICES, today};
use super::db::{ConsortiumRow, MemberRow, TaskRow};
use super::model::MemberStatus;
use crate::error::AppError;
use crate::features::accounts::CurrentUser;
use crate::features::accounts::policy::require_user;
use crate::ui::notice::Done;

/// Who looks at a consortium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsortiumViewer {
    /// Manages the lead structure (or is a site admin).
    pub lead: bool,
    /// Manages a member structure (or is a site admin): sees contacts and the checklist.
    pub member: bool,
}

/// The person's place in consortium `row`, and the structures of theirs invited into it;
/// `Forbidden` for anyone else.
async fn consortium_viewer(
    state: &crate::state::AppState,
    row: &ConsortiumRow,
) -> Result<(CurrentUser, ConsortiumViewer, Vec<i64>), AppError> {
    let user = require_user()?;
    let places = super::db::own_places(&state.db, row.id, user.id).await?;
    let member_status = MemberStatus::Member.as_str();
    let invited: Vec<i64> = places
        .iter()
        .filter(|(_, status)| status == MemberStatus::Invited.as_str())
        .map(|(id, _)| *id)
        .collect();
    let admin = user.is_admin();
    let viewer = ConsortiumViewer {
        lead: admin
            || places
                .iter()
                .any(|(id, status)| *id == row.lead_id && status == member_status),
        member: admin || places.iter().any(|(_, status)| status == member_status),
    };
    if !viewer.member && invited.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok((user, viewer, invited))
}

async fn consortium_row(
    state: &crate::state::AppState,
    id: i64,
) -> Result<ConsortiumRow, AppError> {
    super::db::consortium(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A consortium's page, for its members (and the structures invited into it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConsortiumPage {
    pub consortium: ConsortiumRow,
    pub viewer: ConsortiumViewer,
    /// The person's structures invited and not answered yet: `(id, name)`.
    pub invited: Vec<(i64, String)>,
    pub members: Vec<MemberRow>,
    /// `(structure id, manager's name, address)`: members only.
    pub contacts: Vec<(i64, String, String)>,
    pub tasks: Vec<TaskRow>,
    /// For the lead: the structures found by `chercher`.
    pub candidates: Vec<(i64, String, String)>,
    pub open: bool,
}

#[server(endpoint = "consortiums/fiche")]
pub async fn load_consortium(
    id: i64,
    #[server(default)] chercher: String,
) -> Result<ConsortiumPage, AppError> {
    let state = crate::state::app_state()?;
    let consortium = consortium_row(&state, id).await?;
    let (_, viewer, invited) = consortium_viewer(&state, &consortium).await?;
    let mut members = super::db::members(&state.db, id).await?;
    let invited = members
        .iter()
        .filter(|m| invited.contains(&m.structure_id))
        .map(|m| (m.structure_id, m.name.clone()))
        .collect();
    let (contacts, tasks) = if viewer.member {
        (
            super::db::member_contacts(&state.db, id).await?,
            super::db::tasks(&state.db, id).await?,
        )
    } else {
        // An invited structure sees who is in, not how to reach them.
        for member in &mut members {
            member.email.clear();
            member.phone.clear();
        }
        (Vec::new(), Vec::new())
    };
    let candidates = if viewer.lead {
        super::db::candidates(&state.db, id, chercher.trim()).await?
    } else {
        Vec::new()
    };
    Ok(ConsortiumPage {
        open: consortium.deadline >= today(),
        consortium,
        viewer,
        invited,
        members,
        contacts,
        tasks,
        candidates,
    })
}

/// The lead's managers (or a site admin); `Forbidden` for anyone else.
async fn require_lead(
    state: &crate::state::AppState,
    row: &ConsortiumRow,
) -> Result<CurrentUser, AppError> {
    let (user, viewer, _) = consortium_viewer(state, row).await?;
    if viewer.lead {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The managers of a member structure (or a site admin).
async fn require_member(
    state: &crate::state::AppState,
    row: &ConsortiumRow,
) -> Result<CurrentUser, AppError> {
    let (user, viewer, _) = consortium_viewer(state, row).await?;
    if viewer.member {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The lead invites a structure of the directory, with the role it proposes; the structure's
/// managers are mailed.
#[server(endpoint = "consortiums/inviter")]
pub async fn invite_partner(
    consortium: i64,
    structure: i64,
    #[server(default)] role: String,
) -> Result<Done, AppError> {
    require_user()?;
    let state = crate::state::app_state()?;
    let row = consortium_row(&state, consortium).await?;
    let user = require_lead(&state, &row).await?;
    let role = super::model::role(&role)?;
    let name: String =
        sqlx::query_scalar("SELECT name FROM structures WHERE id = $1 AND status = 'published'")
            .bind(structure)
            .fetch_optional(&state.db.pool)
            .await?
            .ok_or_else(|| {
                AppError::validation("structure", "Choisissez une structure de l'annuaire.")
            })?;
    crate::web::client::spend_mails(&state, crate::rate_limit::Sender::Account(user.id), 1).await?;
    let now = crate::timestamp::Timestamp::now();
    if super::db::invite(&state.db, consortium, structure, &role, user.id, now).await?
        == super::db::Invited::AlreadyThere
    {
        return Err(AppError::Conflict(format!(
            "{name} est déjà membre du consortium, ou déjà invitée."
        )));
    }
    let letter = super::mails::invited(
        &state.config.base_url,
        consortium,
        &row.lead_name,
        &row.name,
        &row.call_title,
        &role,
    );
    let managers = crate::features::accounts::db::manager_addresses(&state.db, structure).await?;
    state.send_letter(managers, &letter).await;
    Ok(Done::notice(
        &format!("/consortiums/{consortium}"),
        "invitation-envoyee",
        CALL_NOTICES,
    ))
}

crate::form_path!(InvitePartner => "/consortiums/{id}/invitations");

pub use crate::ui::form::Answer;

/// A manager of an invited structure accepts or declines; answered twice, the second is told.
#[server(endpoint = "consortiums/repondre")]
pub async fn answer_invitation(
    consortium: i64,
    structure: i64,
    decision: Answer,
) -> Result<Done, AppError> {
    require_user()?;
    let state = crate::state::app_state()?;
    let row = consortium_row(&state, consortium).await?;
    let user = crate::features::stewardship::api::require_steward(&state, structure).await?;
    let accept = decision == Answer::Accept;
    crate::web::client::spend_mails(&state, crate::rate_limit::Sender::Account(user.id), 1).await?;
    if !super::db::answer(
        &state.db,
        consortium,
        structure,
        accept,
        crate::timestamp::Timestamp::now(),
    )
    .await?
    {
        return Err(AppError::Conflict(
            "Cette invitation a déjà reçu une réponse (ou n'existe pas) : rechargez la page."
                .to_owned(),
        ));
    }
    let name: String = sqlx::query_scalar("SELECT name FROM structures WHERE id = $1")
        .bind(structure)
        .fetch_one(&state.db.pool)
        .await?;
    let letter =
        super::mails::answered(&state.config.base_url, consortium, &name, &row.name, accept);
    let managers = crate::features::accounts::db::manager_addresses(&state.db, row.lead_id).await?;
    state.send_letter(managers, &letter).await;
    let (page, code) = if accept {
        (format!("/consortiums/{consortium}"), "invitation-acceptee")
    } else {
        (format!("/appels/{}", row.call_id), "invitation-declinee")
    };
    Ok(Done::notice(&page, code, CALL_NOTICES))
}

crate::form_path!(AnswerInvitation => "/consortiums/{id}/reponse");

/// The lead sets the role of a structure of the consortium.
#[server(endpoint = "consortiums/role")]
pub async fn set_role(
    consortium: i64,
    structure: i64,
    #[server(default)] role: String,
) -> Result<Done, AppError> {
    require_user()?;
    let state = crate::state::app_state()?;
    let row = consortium_row(&state, consortium).await?;
    require_lead(&state, &row).await?;
    let role = super::model::role(&role)?;
    if !super::db::set_role(&state.db, consortium, structure, &role).await? {
        return Err(AppError::NotFound);
    }
    Ok(Done::notice(
        &format!("/consortiums/{consortium}"),
        "role-enregistre",
        CALL_NOTICES,
    ))
}

crate::form_path!(SetRole => "/consortiums/{id}/roles");

/// A member adds an item to the shared checklist.
#[server(endpoint = "consortiums/tache")]
pub async fn add_task(consortium: i64, #[server(default)] label: String) -> Result<Done, AppError> {
    require_user()?;
    let state = crate::state::app_state()?;
    let row = consortium_row(&state, consortium).await?;
    require_member(&state, &row).await?;
    let label = super::model::task(&label)?;
    if !super::db::add_task(
        &state.db,
        consortium,
        &label,
        crate::timestamp::Timestamp::now(),
    )
    .await?
    {
        return Err(AppError::Conflict(format!(
            "La liste compte déjà {} tâches.",
            super::db::MAX_TASKS
        )));
    }
    Ok(Done::notice(
        &format!("/consortiums/{consortium}#liste"),
        "tache-ajoutee",
        CALL_NOTICES,
    ))
}

crate::form_path!(AddTask => "/consortiums/{id}/taches");

/// A member ticks (`fait=1`) or unticks an item.
#[server(endpoint = "consortiums/cocher")]
pub async fn tick_task(
    consortium: i64,
    task: i64,
    #[server(default)] fait: String,
) -> Result<Done, AppError> {
    require_user()?;
    let state = crate::state::app_state()?;
    let row = consortium_row(&state, consortium).await?;
    let user = require_member(&state, &row).await?;
    let done = fait == "1";
    if !super::db::tick(
        &state.db,
        consortium,
        task,
        done,
        user.id,
        crate::timestamp::Timestamp::now(),
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(Done::notice(
        &format!("/consortiums/{consortium}#liste"),
        "tache-cochee",
        CALL_NOTICES,
    ))
}

crate::form_path!(TickTask => "/consortiums/{id}/taches/cocher");

/// The lead chooses whether the call's page names the consortium.
#[server(endpoint = "consortiums/visibilite")]
pub async fn set_visibility(
    consortium: i64,
    #[server(default)] visibility: String,
) -> Result<Done, AppError> {
    require_user()?;
    let state = crate::state::app_state()?;
    let row = consortium_row(&state, consortium).await?;
    require_lead(&state, &row).await?;
    let visibility = visibility.trim();
    if !crate::text::choices::is_choice(super::model::VISIBILITIES, visibility) {
        return Err(AppError::validation(
            "visibility",
            "Dites si le consortium est nommé sur la page de l'appel.",
        ));
    }
    super::db::set_visibility(&state.db, consortium, visibility).await?;
    Ok(Done::notice(
        &format!("/consortiums/{consortium}"),
        "visibilite-enregistree",
        CALL_NOTICES,
    ))
}

crate::form_path!(SetVisibility => "/consortiums/{id}/visibilite");
