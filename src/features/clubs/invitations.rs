//! Bringing in new members: members invite a structure of the directory, or someone by mail
//! (who may not have an account yet); the invited side answers.

use super::db;
use super::membership::Change;
use crate::error::AppError;
use crate::features::clubs::Answer;
use crate::features::clubs::CLUB_NOTICES;
use crate::features::clubs::EmailInvitation;
use crate::features::clubs::MessageForm;
use crate::features::clubs::NewEntry;
use crate::features::clubs::mails;
use crate::features::clubs::mails::AdminNews;
use crate::features::clubs::mails::tell_admins;
use crate::features::clubs::rights::apply;
use crate::features::clubs::rights::club;
use crate::features::clubs::rights::require_member;
use crate::features::clubs::rights::structure_name;
use crate::state::AppState;
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// `(invitation id, club id, club slug, club name, message)` of a valid e-mail invitation.
pub async fn email_invitation(
    state: &AppState,
    token: &str,
) -> Result<(i64, i64, String, String, String), AppError> {
    db::email_invitation(&state.db, token)
        .await?
        .ok_or(AppError::InvalidLink)
}

/// A representative of a member structure invites a structure of the directory; its managers
/// answer on the club's page.
#[server(endpoint = "clubs/inviter")]
pub async fn invite_structure(
    slug: String,
    structure: i64,
    #[server(flatten)] message: MessageForm,
    #[server(default)] retour: String,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let club = club(&state, &slug).await?;
    let user = require_member(&state, club.id).await?;
    let message = message.validated()?;
    crate::web::client::spend_mails(&state, crate::rate_limit::Sender::Account(user.id), 1).await?;
    let name = structure_name(&state, structure).await?;
    apply(
        &state,
        &club,
        structure,
        &user,
        Change::Invite {
            message: message.clone(),
        },
    )
    .await?;
    let page = format!("/clubs/{}", club.slug);
    let about = mails::Club {
        slug: &club.slug,
        name: &club.name,
    };
    let letter = mails::invited(&state.config.base_url, &about, &user.name, &name, &message);
    let managers = crate::features::accounts::db::manager_addresses(&state.db, structure).await?;
    let reached = !managers.is_empty();
    mails::send(&state, managers, &letter).await;
    let news = AdminNews::InvitationSent {
        structure: &name,
        by: &user.name,
    };
    tell_admins(&state, club.id, &about, news).await?;
    let code = if reached {
        "invitation-envoyee"
    } else {
        "invitation-sans-gerant"
    };
    // Back to the search that found the structure, when it came from this club's page.
    let back = crate::ui::href::local_path(&retour)
        .filter(|back| back.starts_with(&format!("{page}?")))
        .unwrap_or(page);
    Ok(Done::notice(&back, code, CLUB_NOTICES))
}

crate::form_path!(InviteStructure => "/clubs/{slug}/invitations");

/// An invitation by e-mail, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailInvitationForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub message: String,
}

impl EmailInvitationForm {
    /// `(address, message)`: the address normalised, the message trimmed; or the fields' errors.
    pub fn validated(self) -> Result<(String, String), AppError> {
        let mut errors = crate::error::FieldErrors::default();
        let email = errors.check(
            "email",
            crate::features::accounts::normalise_email(&self.email),
        );
        let message = errors.take(
            MessageForm {
                message: self.message,
            }
            .validated(),
        );
        let (email, message) = errors.finish((email, message))?;
        Ok((email.unwrap_or_default(), message.unwrap_or_default()))
    }
}

/// Invites, by e-mail, a structure that is not in the directory yet: the link lets its manager
/// create the entry, which joins the club.
#[server(endpoint = "clubs/inviter-courriel")]
pub async fn invite_by_email(
    slug: String,
    #[server(flatten)] invitation: EmailInvitationForm,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let club = club(&state, &slug).await?;
    let user = require_member(&state, club.id).await?;
    let (email, message) = invitation.validated()?;
    crate::web::client::spend_mails(&state, crate::rate_limit::Sender::Account(user.id), 1).await?;
    let token = db::invite_by_email(&state.db, club.id, &email, &message, &user).await?;
    let about = mails::Club {
        slug: &club.slug,
        name: &club.name,
    };
    let letter =
        mails::invited_by_email(&state.config.base_url, &about, &user.name, &message, &token);
    mails::send(&state, vec![(email, String::new())], &letter).await;
    Ok(Done::notice(
        &format!("/clubs/{}", club.slug),
        "invitation-courriel",
        CLUB_NOTICES,
    ))
}

crate::form_path!(InviteByEmail => "/clubs/{slug}/invitations/courriel");

/// The invited structure's manager accepts or declines.
#[server(endpoint = "clubs/repondre")]
pub async fn answer_invitation(
    slug: String,
    structure: i64,
    answer: Answer,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let user = crate::features::stewardship::api::require_steward(&state, structure).await?;
    let club = club(&state, &slug).await?;
    let name = structure_name(&state, structure).await?;
    apply(&state, &club, structure, &user, Change::Answer(answer)).await?;
    let page = format!("/clubs/{}", club.slug);
    let (news, code) = match answer {
        Answer::Accept => (AdminNews::Accepted { structure: &name }, "bienvenue"),
        Answer::Decline => (
            AdminNews::Declined { structure: &name },
            "invitation-refusee",
        ),
    };
    let about = mails::Club {
        slug: &club.slug,
        name: &club.name,
    };
    tell_admins(&state, club.id, &about, news).await?;
    Ok(Done::notice(&page, code, CLUB_NOTICES))
}

crate::form_path!(AnswerInvitation => "/clubs/{slug}/reponse");

/// What an e-mail invitation's page shows: the club, and the structures the person manages.
#[server(endpoint = "clubs/invitation/charger")]
pub async fn load_email_invitation(token: String) -> Result<EmailInvitation, AppError> {
    // The token is the right to see the invitation.
    let state = crate::state::app_state()?;
    let (_, _, club_slug, club_name, message) = email_invitation(&state, &token).await?;
    let own = match crate::features::accounts::auth::current_user() {
        Some(user) => db::managed_structures(&state.db, user.id).await?,
        None => Vec::new(),
    };
    let communes = crate::features::reference::db::communes(&state.db).await?;
    Ok(EmailInvitation {
        club_slug,
        club_name,
        message,
        own,
        communes,
    })
}

/// Follows an e-mail invitation: the person (logged in) brings in a structure they manage, or
/// creates their structure's entry, which joins the club.
#[server(endpoint = "clubs/invitation")]
pub async fn join_by_email_invitation(
    token: String,
    #[server(default)] structure: String,
    #[server(flatten)] entry: NewEntry,
) -> Result<Done, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let (_, club_id, club_slug, club_name, _) = email_invitation(&state, &token).await?;
    let new_entry = matches!(structure.trim(), "" | "nouvelle");
    let joining = match structure.trim() {
        "" | "nouvelle" => db::Joining::New(entry.validated()?),
        id => db::Joining::Existing(id.parse().map_err(|_| {
            AppError::validation("structure", "Choisissez une structure que vous gérez.")
        })?),
    };
    let joined = db::join_by_email(&state.db, &token, club_id, &user, joining).await?;
    let Some(structure) = joined else {
        return Err(AppError::InvalidLink);
    };
    crate::features::directory::index::changed(&state).await;
    // A new entry waits, unpublished, for the moderators: the name is read whatever its state.
    let name: String = sqlx::query_scalar("SELECT name FROM structures WHERE id = $1")
        .bind(structure)
        .fetch_optional(&state.db.pool)
        .await?
        .unwrap_or_default();
    let page = format!("/clubs/{club_slug}");
    let about = mails::Club {
        slug: &club_slug,
        name: &club_name,
    };
    let news = AdminNews::JoinedByEmail { structure: &name };
    tell_admins(&state, club_id, &about, news).await?;
    let code = if new_entry {
        "fiche-a-verifier"
    } else {
        "bienvenue"
    };
    Ok(Done::notice(&page, code, CLUB_NOTICES))
}

crate::form_path!(JoinByEmailInvitation => "/clubs/invitation");

/// An invitation by e-mail (the address and the message) is deleted once its link has expired:
/// daily, once whatever the number of servers. Its link goes with it (a trigger).
pub const OLD_EMAIL_INVITATIONS: crate::jobs::Job = crate::jobs::Job {
    name: "club-email-invitations",
    every: 24 * 3600,
    run: |state, now| {
        Box::pin(async move {
            let lifetime = crate::tokens::Purpose::ClubInvitation.lifetime();
            let done = sqlx::query("DELETE FROM club_email_invitations WHERE created_at < $1")
                .bind(now.plus(-lifetime))
                .execute(&state.db.pool)
                .await?;
            Ok(done.rows_affected())
        })
    },
};
