//! What people do with calls for projects: a site admin, an editor or a structure's manager
//! publishes one (and edits it until its deadline); a manager forms a consortium around it
//! (what happens inside a consortium: [`super::consortia`]).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::db::CallRow;
use super::model::{CallForm, ConsortiumForm};
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

pub(super) fn today() -> String {
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
