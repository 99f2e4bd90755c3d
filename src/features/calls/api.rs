//! What people do with calls for projects: a site admin, an editor or a structure's manager
//! publishes one (and edits it until its deadline); managers form a consortium around it; the
//! lead invites partners found in the directory, who accept or decline; members set roles,
//! share a checklist and choose whether the call's page names them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::db::{CallRow, ConsortiumRow, MemberRow, TaskRow};
use super::model::{CallForm, ConsortiumForm, MemberStatus};
use crate::error::AppError;
use crate::features::accounts::CurrentUser;
use crate::features::accounts::policy::require_user;
use crate::ui::notice::Done;

/// The notices of the calls' and consortia's pages.
pub const CALL_NOTICES: crate::ui::notice::Notices = &[
    (
        "appel-publie",
        "L'appel est publié : les structures peuvent former un consortium pour y répondre.",
    ),
    ("appel-modifie", "L'appel est modifié."),
    (
        "consortium-forme",
        "Le consortium est formé : invitez vos partenaires depuis l'annuaire.",
    ),
    (
        "invitation-envoyee",
        "L'invitation est envoyée : les gestionnaires de la structure répondent sur cette page.",
    ),
    (
        "invitation-acceptee",
        "Votre structure rejoint le consortium.",
    ),
    ("invitation-declinee", "L'invitation est déclinée."),
    ("role-enregistre", "Le rôle est enregistré."),
    ("tache-ajoutee", "La tâche est ajoutée à la liste."),
    ("tache-cochee", "La liste est à jour."),
    ("visibilite-enregistree", "C'est enregistré."),
];

fn today() -> String {
    crate::timestamp::iso_day(crate::timestamp::paris_today())
}

/// `/appels`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CallList {
    pub calls: Vec<CallRow>,
    pub today: String,
    pub may_publish: bool,
}

#[server(endpoint = "appels/liste")]
pub async fn load_calls() -> Result<CallList, AppError> {
    let state = crate::state::app_state()?;
    let may_publish = match crate::features::accounts::auth::current_user() {
        Some(user) => may_publish(&state, &user).await?,
        None => false,
    };
    let today = today();
    Ok(CallList {
        calls: super::db::calls(&state.db, &today).await?,
        today,
        may_publish,
    })
}

/// Site admins, editors and the managers of a structure publish calls.
async fn may_publish(state: &crate::state::AppState, user: &CurrentUser) -> Result<bool, AppError> {
    use crate::features::accounts::policy::{Action, may};
    Ok(user.is_admin()
        || may(Some(user), Action::EditContent)
        || !crate::features::accounts::db::managed_structures(&state.db, user.id)
            .await?
            .is_empty())
}

/// Who may change call `row`: its author, the managers of the structure that published it, site
/// admins and editors.
async fn require_call_editor(
    state: &crate::state::AppState,
    row: &CallRow,
) -> Result<CurrentUser, AppError> {
    use crate::features::accounts::policy::{Action, may};
    let user = require_user()?;
    let manages = match row.structure_id {
        Some(id) => crate::features::accounts::db::manages(&state.db, user.id, id).await?,
        None => false,
    };
    if user.is_admin()
        || may(Some(&user), Action::EditContent)
        || row.created_by == Some(user.id)
        || manages
    {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The call form: the structures the person may publish for, the territories, and the call's
/// values when it is an edit (`id` > 0).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CallFormData {
    pub structures: Vec<(String, String)>,
    pub territories: Vec<(String, String)>,
    /// Whether the portal itself may publish (admins, editors): the structure is optional.
    pub as_portal: bool,
    pub call: Option<CallRow>,
}

#[server(endpoint = "appels/formulaire")]
pub async fn load_call_form(#[server(default)] id: i64) -> Result<CallFormData, AppError> {
    use crate::features::accounts::policy::{Action, may};
    let user = require_user()?;
    let state = crate::state::app_state()?;
    let call = if id > 0 {
        let row = super::db::call(&state.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        require_call_editor(&state, &row).await?;
        Some(row)
    } else {
        if !may_publish(&state, &user).await? {
            return Err(AppError::Forbidden);
        }
        None
    };
    Ok(CallFormData {
        structures: crate::features::accounts::db::managed_structures(&state.db, user.id)
            .await?
            .into_iter()
            .map(|(_, slug, name)| (slug, name))
            .collect(),
        territories: crate::features::reference::db::wide_territories(&state.db).await?,
        as_portal: user.is_admin() || may(Some(&user), Action::EditContent),
        call,
    })
}

fn unknown_territory() -> AppError {
    AppError::validation("territory", "Choisissez le territoire dans la liste.")
}

/// Publishes a call, for a structure the person manages or (admins, editors) for the portal.
#[server(endpoint = "appels/publier")]
pub async fn publish_call(#[server(flatten)] form: CallForm) -> Result<Done, AppError> {
    use crate::features::accounts::policy::{Action, may};
    let user = require_user()?;
    let state = crate::state::app_state()?;
    if !may_publish(&state, &user).await? {
        return Err(AppError::Forbidden);
    }
    let call = form.validated(crate::timestamp::paris_today())?;
    let publisher = if call.structure.is_empty() {
        if !(user.is_admin() || may(Some(&user), Action::EditContent)) {
            return Err(AppError::validation(
                "structure",
                "Choisissez la structure qui publie l'appel.",
            ));
        }
        None
    } else {
        let id = crate::features::stewardship::db::structure_id(&state.db, &call.structure)
            .await?
            .ok_or_else(|| {
                AppError::validation(
                    "structure",
                    "Choisissez une structure dont vous gérez la fiche.",
                )
            })?;
        crate::features::stewardship::api::require_steward(&state, id).await?;
        Some(id)
    };
    let id = super::db::create_call(
        &state.db,
        &call,
        publisher,
        user.id,
        crate::timestamp::Timestamp::now(),
    )
    .await?
    .map_err(|()| unknown_territory())?;
    Ok(Done::notice(
        &format!("/appels/{id}"),
        "appel-publie",
        CALL_NOTICES,
    ))
}

crate::form_path!(PublishCall => "/appels/nouveau");

/// Changes a call, until its deadline (checked in the update itself).
#[server(endpoint = "appels/modifier")]
pub async fn edit_call(id: i64, #[server(flatten)] form: CallForm) -> Result<Done, AppError> {
    require_user()?;
    let state = crate::state::app_state()?;
    let row = super::db::call(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    require_call_editor(&state, &row).await?;
    let closed = || {
        AppError::Conflict(
            "La date limite de cet appel est passée : il ne se modifie plus.".to_owned(),
        )
    };
    if row.deadline < today() {
        return Err(closed());
    }
    let call = form.validated(crate::timestamp::paris_today())?;
    match super::db::update_call(
        &state.db,
        id,
        &call,
        &today(),
        crate::timestamp::Timestamp::now(),
    )
    .await?
    {
        super::db::Edited::Done => Ok(Done::notice(
            &format!("/appels/{id}"),
            "appel-modifie",
            CALL_NOTICES,
        )),
        super::db::Edited::Closed => Err(closed()),
        super::db::Edited::UnknownTerritory => Err(unknown_territory()),
    }
}

crate::form_path!(EditCall => "/appels/{id}/modifier");

/// A call's page: the call, the consortia formed (counted; named when they chose), the person's
/// own consortia, and the structures they could lead one with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CallPage {
    pub call: CallRow,
    pub open: bool,
    /// `(name, lead, members)`.
    pub public: Vec<(String, String, i64)>,
    /// `(id, name, status)`.
    pub mine: Vec<(i64, String, String)>,
    /// The structures the person manages: `(slug, name)`.
    pub structures: Vec<(String, String)>,
    pub logged_in: bool,
    pub may_edit: bool,
}

#[server(endpoint = "appels/fiche")]
pub async fn load_call(id: i64) -> Result<CallPage, AppError> {
    let state = crate::state::app_state()?;
    let call = super::db::call(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = crate::features::accounts::auth::current_user();
    let (mine, structures, may_edit) = match &user {
        Some(user) => (
            super::db::consortia_of_user(&state.db, id, user.id).await?,
            crate::features::accounts::db::managed_structures(&state.db, user.id)
                .await?
                .into_iter()
                .map(|(_, slug, name)| (slug, name))
                .collect(),
            require_call_editor(&state, &call).await.is_ok(),
        ),
        None => (Vec::new(), Vec::new(), false),
    };
    Ok(CallPage {
        open: call.deadline >= today(),
        public: super::db::public_consortia(&state.db, id).await?,
        call,
        mine,
        structures,
        logged_in: user.is_some(),
        may_edit,
    })
}

/// A manager forms a consortium, led by their structure, to answer an open call.
#[server(endpoint = "appels/former")]
pub async fn form_consortium(
    call: i64,
    #[server(flatten)] form: ConsortiumForm,
) -> Result<Done, AppError> {
    require_user()?;
    let state = crate::state::app_state()?;
    let row = super::db::call(&state.db, call)
        .await?
        .ok_or(AppError::NotFound)?;
    let (lead, name, visibility) = form.validated()?;
    let lead = crate::features::stewardship::db::structure_id(&state.db, &lead)
        .await?
        .ok_or_else(|| {
            AppError::validation(
                "structure",
                "Choisissez une structure dont vous gérez la fiche.",
            )
        })?;
    let user = crate::features::stewardship::api::require_steward(&state, lead).await?;
    if row.deadline < today() {
        return Err(AppError::Conflict(
            "La date limite de cet appel est passée : on ne forme plus de consortium.".to_owned(),
        ));
    }
    let id = super::db::create_consortium(
        &state.db,
        call,
        lead,
        (&name, &visibility),
        user.id,
        crate::timestamp::Timestamp::now(),
    )
    .await?
    .ok_or_else(|| {
        AppError::Conflict(
            "Cette structure mène déjà un consortium pour cet appel : retrouvez-le sur cette page."
                .to_owned(),
        )
    })?;
    Ok(Done::notice(
        &format!("/consortiums/{id}"),
        "consortium-forme",
        CALL_NOTICES,
    ))
}

crate::form_path!(FormConsortium => "/appels/{id}/consortiums");

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
