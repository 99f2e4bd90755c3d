//! Server functions of clubs. Each starts by asking who is asking: nobody for the public pages,
//! the structure's manager (`require_steward`) for a structure's own steps (ask, answer, leave),
//! a representative of a member structure for invitations, [`require_club_admin`] for the
//! membership page and its decisions.

use leptos::prelude::*;

use super::*;
use crate::error::AppError;
use crate::ui::notice::Done;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::features::accounts::CurrentUser;
    use crate::state::AppState;

    pub async fn club(state: &AppState, slug: &str) -> Result<ClubInfo, AppError> {
        db::find(&state.db, slug).await?.ok_or(AppError::NotFound)
    }

    /// The logged-in person when they administer the club or the site.
    pub async fn require_club_admin(
        state: &AppState,
        club_id: i64,
    ) -> Result<CurrentUser, AppError> {
        let user = crate::features::accounts::policy::require_user()?;
        if user.is_admin() || db::is_admin(&state.db.pool, club_id, user.id).await? {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The logged-in person when they may bring in new members: a representative of an active
    /// member structure, a club admin, a site admin.
    pub async fn require_member(state: &AppState, club_id: i64) -> Result<CurrentUser, AppError> {
        let user = crate::features::accounts::policy::require_user()?;
        if user.is_admin()
            || db::represents_member(&state.db.pool, club_id, user.id).await?
            || db::is_admin(&state.db.pool, club_id, user.id).await?
        {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn refused(error: db::ChangeError) -> AppError {
        match error {
            db::ChangeError::Conflict(sentence) => AppError::Conflict(sentence),
            db::ChangeError::LastAdmin => AppError::Conflict(
                "Le club doit garder au moins un administrateur : nommez d'abord quelqu'un d'une autre structure membre.".to_owned(),
            ),
            db::ChangeError::NoLongerAdmin => AppError::Forbidden,
            db::ChangeError::Db(error) => error.into(),
        }
    }

    /// Sends the same mail to each recipient.
    pub async fn notify(
        state: &AppState,
        recipients: Vec<(String, String)>,
        subject: &str,
        paragraphs: &[&str],
        link: (&str, &str),
    ) {
        let url = format!("{}{}", state.config.base_url, link.1);
        for (email, name) in recipients {
            let mail =
                crate::mail::compose(&email, subject, &name, paragraphs, Some((link.0, &url)));
            state.send_mail(mail).await;
        }
    }

    /// Tells the club's admins, with a link to the membership page of `page` (the club's).
    pub async fn tell_admins(
        state: &AppState,
        club_id: i64,
        subject: &str,
        sentence: &str,
        page: &str,
    ) -> Result<(), AppError> {
        let admins = db::admin_addresses(&state.db, club_id).await?;
        let members = format!("{page}/membres");
        notify(
            state,
            admins,
            subject,
            &[sentence],
            ("Voir les membres", &members),
        )
        .await;
        Ok(())
    }

    /// Applies a change to a structure's membership; the status it found and the new one.
    pub async fn apply(
        state: &AppState,
        club: &ClubInfo,
        structure: i64,
        actor: &CurrentUser,
        change: db::Change,
    ) -> Result<db::Changed, AppError> {
        // An admin's decisions are checked again under the club's lock.
        let as_admin = matches!(
            change,
            db::Change::Decide { .. } | db::Change::Remove { .. }
        );
        let actor = db::Actor {
            user: actor,
            as_admin,
        };
        let changed = db::change(&state.db, club.id, structure, actor, change)
            .await
            .map_err(refused)?;
        // The directory's club filter reads membership.
        crate::features::directory::index::changed(state).await;
        Ok(changed)
    }

    pub async fn structure_name(state: &AppState, structure: i64) -> Result<String, AppError> {
        db::structure_name(&state.db, structure)
            .await?
            .ok_or_else(|| {
                AppError::validation("structure", "Choisissez une structure de l'annuaire.")
            })
    }

    /// `(invitation id, club id, club slug, club name, message)` of a valid e-mail invitation.
    pub async fn email_invitation(
        state: &AppState,
        token: &str,
    ) -> Result<(i64, i64, String, String, String), AppError> {
        let hash = crate::features::accounts::tokens::hash_token(token.trim());
        db::email_invitation(&state.db, &hash)
            .await?
            .ok_or(AppError::InvalidLink)
    }
}

#[cfg(feature = "ssr")]
pub use server::require_club_admin;

/// Every club, with its number of member structures.
#[server(endpoint = "clubs/liste")]
pub async fn list_clubs() -> Result<Vec<ClubSummary>, AppError> {
    // Public.
    let state = crate::state::app_state()?;
    Ok(db::list(&state.db).await?)
}

/// A club's page: its charter, members and meetings, and what the person looking may do there;
/// `search` finds structures to invite (for members).
#[server(endpoint = "clubs/page")]
pub async fn load_club(
    slug: String,
    #[server(default)] search: String,
) -> Result<ClubPage, AppError> {
    // Public; members-only meetings and the invitation search need a member.
    let state = crate::state::app_state()?;
    let club = server::club(&state, &slug).await?;
    let viewer = match crate::features::accounts::auth::current_user() {
        Some(user) => db::viewer(&state.db, club.id, &user).await?,
        None => ClubViewer::default(),
    };
    let search: String = search.trim().chars().take(100).collect();
    let candidates = if viewer.member && !search.is_empty() {
        db::candidates(&state.db, club.id, &search).await?
    } else {
        Vec::new()
    };
    Ok(ClubPage {
        members: db::members(&state.db, club.id).await?,
        meetings: db::meetings(&state.db, club.id, viewer.member, Timestamp::now()).await?,
        club,
        viewer,
        search,
        candidates,
    })
}

/// The membership page: requests and invitations, members and their representatives, history
/// (club admins and site admins).
#[server(endpoint = "clubs/membres")]
pub async fn load_membership(slug: String) -> Result<MembershipPage, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let club = server::club(&state, &slug).await?;
    server::require_club_admin(&state, club.id).await?;
    Ok(db::membership(&state.db, club).await?)
}

/// A structure's manager asks for it to join the club, with a message for the admins (or
/// accepts, when the structure was invited).
#[server(endpoint = "clubs/adherer")]
pub async fn request_to_join(
    slug: String,
    structure: i64,
    #[server(default)] message: String,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let user = crate::features::stewardship::api::require_steward(&state, structure).await?;
    let club = server::club(&state, &slug).await?;
    let message = one_text("message", &message, None)?;
    let name = server::structure_name(&state, structure).await?;
    let changed = server::apply(
        &state,
        &club,
        structure,
        &user,
        db::Change::Request {
            message: message.clone(),
        },
    )
    .await?;
    let page = format!("/clubs/{}", club.slug);
    if changed.to == MemberStatus::Active {
        let first = format!(
            "{name} a accepté l'invitation : la structure est maintenant membre du club « {} ».",
            club.name
        );
        server::tell_admins(
            &state,
            club.id,
            &format!("Nouveau membre : {name}"),
            &first,
            &page,
        )
        .await?;
        return Ok(Done::notice(&page, "bienvenue", CLUB_NOTICES));
    }
    let first = format!(
        "{} demande que {name} rejoigne le club « {} ».",
        user.name, club.name
    );
    let words = (!message.is_empty()).then(|| format!("Son message : « {message} »"));
    let mut paragraphs = vec![first.as_str()];
    paragraphs.extend(words.as_deref());
    paragraphs
        .push("Vous pouvez approuver ou décliner la demande sur la page des membres du club.");
    let admins = db::admin_addresses(&state.db, club.id).await?;
    server::notify(
        &state,
        admins,
        &format!("Demande d'adhésion : {name}"),
        &paragraphs,
        ("Répondre à la demande", &format!("{page}/membres")),
    )
    .await;
    Ok(Done::notice(&page, "demande-envoyee", CLUB_NOTICES))
}

/// A representative of a member structure invites a structure of the directory; its managers
/// answer on the club's page.
#[server(endpoint = "clubs/inviter")]
pub async fn invite_structure(
    slug: String,
    structure: i64,
    #[server(default)] message: String,
    #[server(default)] retour: String,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let club = server::club(&state, &slug).await?;
    let user = server::require_member(&state, club.id).await?;
    let message = one_text("message", &message, None)?;
    let name = server::structure_name(&state, structure).await?;
    server::apply(
        &state,
        &club,
        structure,
        &user,
        db::Change::Invite {
            message: message.clone(),
        },
    )
    .await?;
    let page = format!("/clubs/{}", club.slug);
    let first = format!(
        "{} invite {name} à rejoindre le club « {} ».",
        user.name, club.name
    );
    let words = (!message.is_empty()).then(|| format!("Son message : « {message} »"));
    let mut paragraphs = vec![first.as_str()];
    paragraphs.extend(words.as_deref());
    paragraphs.push(
        "Vous pouvez accepter ou décliner l'invitation sur la page du club, une fois connecté·e.",
    );
    let managers = db::manager_addresses(&state.db, structure).await?;
    let reached = !managers.is_empty();
    server::notify(
        &state,
        managers,
        &format!("Invitation : {}", club.name),
        &paragraphs,
        ("Répondre à l'invitation", &page),
    )
    .await;
    let info = format!(
        "{} a invité {name} à rejoindre le club « {} ».",
        user.name, club.name
    );
    server::tell_admins(
        &state,
        club.id,
        &format!("Invitation envoyée : {name}"),
        &info,
        &page,
    )
    .await?;
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

/// Invites, by e-mail, a structure that is not in the directory yet: the link lets its manager
/// create the entry, which joins the club.
#[server(endpoint = "clubs/inviter-courriel")]
pub async fn invite_by_email(
    slug: String,
    email: String,
    #[server(default)] message: String,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let club = server::club(&state, &slug).await?;
    let user = server::require_member(&state, club.id).await?;
    state
        .limiter
        .check_account(crate::rate_limit::CLUB_INVITATION, &user.id.to_string())?;
    let mut errors = crate::error::FieldErrors::default();
    let email = errors.check("email", crate::features::accounts::normalise_email(&email));
    let message = checked_text(&mut errors, "message", &message, None);
    let email = errors.finish(email)?.unwrap_or_default();
    let (token, hash) = crate::features::accounts::tokens::new_token();
    db::invite_by_email(&state.db, club.id, &email, &message, &hash, &user).await?;
    let first = format!(
        "{} vous invite à faire entrer votre structure dans le club « {} », sur DESSINE, le portail de l'économie sociale et solidaire du territoire.",
        user.name, club.name
    );
    let words = (!message.is_empty()).then(|| format!("Son message : « {message} »"));
    let mut paragraphs = vec![first.as_str()];
    paragraphs.extend(words.as_deref());
    paragraphs.push("Le lien ci-dessous, valable 30 jours, vous permet de créer votre compte puis la fiche de votre structure dans l'annuaire ; elle rejoint alors le club. Si vous ne connaissez pas cette personne, ignorez ce message.");
    let link = format!("/clubs/invitation?jeton={token}");
    server::notify(
        &state,
        vec![(email, "".to_owned())],
        &format!("Invitation : {}", club.name),
        &paragraphs,
        ("Rejoindre le club", &link),
    )
    .await;
    Ok(Done::notice(
        &format!("/clubs/{}", club.slug),
        "invitation-courriel",
        CLUB_NOTICES,
    ))
}

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
    let club = server::club(&state, &slug).await?;
    let name = server::structure_name(&state, structure).await?;
    server::apply(&state, &club, structure, &user, db::Change::Answer(answer)).await?;
    let page = format!("/clubs/{}", club.slug);
    let (subject, sentence, code) = match answer {
        Answer::Accept => (
            format!("Nouveau membre : {name}"),
            format!(
                "{name} a accepté l'invitation et rejoint le club « {} ».",
                club.name
            ),
            "bienvenue",
        ),
        Answer::Decline => (
            format!("Invitation déclinée : {name}"),
            format!(
                "{name} a décliné l'invitation à rejoindre le club « {} ».",
                club.name
            ),
            "invitation-refusee",
        ),
    };
    server::tell_admins(&state, club.id, &subject, &sentence, &page).await?;
    Ok(Done::notice(&page, code, CLUB_NOTICES))
}

/// A structure's manager takes it out of the club.
#[server(endpoint = "clubs/quitter")]
pub async fn leave_club(slug: String, structure: i64) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let user = crate::features::stewardship::api::require_steward(&state, structure).await?;
    let club = server::club(&state, &slug).await?;
    let name = server::structure_name(&state, structure).await?;
    server::apply(&state, &club, structure, &user, db::Change::Leave).await?;
    let page = format!("/clubs/{}", club.slug);
    let sentence = format!(
        "{} a fait quitter le club « {} » à {name}.",
        user.name, club.name
    );
    server::tell_admins(
        &state,
        club.id,
        &format!("Départ : {name}"),
        &sentence,
        &page,
    )
    .await?;
    Ok(Done::notice(&page, "depart", CLUB_NOTICES))
}

/// A club admin approves or declines a request, or withdraws an invitation. When another admin
/// decided first, the answer says who did what and when.
#[server(endpoint = "clubs/decider")]
pub async fn decide_membership(
    slug: String,
    structure: i64,
    decision: Decision,
    #[server(default)] reason: String,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let club = server::club(&state, &slug).await?;
    let user = server::require_club_admin(&state, club.id).await?;
    let reason = one_text("reason", &reason, None)?;
    let name = server::structure_name(&state, structure).await?;
    let changed = server::apply(
        &state,
        &club,
        structure,
        &user,
        db::Change::Decide {
            decision,
            reason: reason.clone(),
        },
    )
    .await?;
    let page = format!("/clubs/{}", club.slug);
    let was_invited = changed.from == Some(MemberStatus::Invited);
    let (subject, sentence, code) = match (decision, was_invited) {
        (Decision::Approve, _) => (
            format!("Bienvenue au club « {} »", club.name),
            format!(
                "{name} est maintenant membre du club « {} » : la demande a été approuvée par {}.",
                club.name, user.name
            ),
            "approuvee",
        ),
        (Decision::Decline, false) => (
            format!("Demande d'adhésion : {}", club.name),
            format!(
                "La demande de {name} pour rejoindre le club « {} » n'a pas été retenue.",
                club.name
            ),
            "refusee",
        ),
        (Decision::Decline, true) => (
            format!("Invitation retirée : {}", club.name),
            format!(
                "L'invitation de {name} à rejoindre le club « {} » a été retirée.",
                club.name
            ),
            "invitation-retiree",
        ),
    };
    let why = (!reason.is_empty()).then(|| format!("Motif : « {reason} »"));
    let mut paragraphs = vec![sentence.as_str()];
    paragraphs.extend(why.as_deref());
    let managers = db::manager_addresses(&state.db, structure).await?;
    server::notify(
        &state,
        managers,
        &subject,
        &paragraphs,
        ("Voir le club", &page),
    )
    .await;
    Ok(Done::notice(&format!("{page}/membres"), code, CLUB_NOTICES))
}

/// A club admin removes a member structure, with the reason, which its managers receive.
#[server(endpoint = "clubs/retirer")]
pub async fn remove_member(
    slug: String,
    structure: i64,
    #[server(default)] reason: String,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let club = server::club(&state, &slug).await?;
    let user = server::require_club_admin(&state, club.id).await?;
    let reason = one_text(
        "reason",
        &reason,
        Some("Indiquez la raison du retrait : elle sera transmise à la structure."),
    )?;
    let name = server::structure_name(&state, structure).await?;
    server::apply(
        &state,
        &club,
        structure,
        &user,
        db::Change::Remove {
            reason: reason.clone(),
        },
    )
    .await?;
    let page = format!("/clubs/{}", club.slug);
    let sentence = format!("{name} ne fait plus partie du club « {} ».", club.name);
    let why = format!("Motif : « {reason} »");
    let managers = db::manager_addresses(&state.db, structure).await?;
    server::notify(
        &state,
        managers,
        &format!("Retrait du club « {} »", club.name),
        &[&sentence, &why],
        ("Voir le club", &page),
    )
    .await;
    Ok(Done::notice(
        &format!("{page}/membres"),
        "retiree",
        CLUB_NOTICES,
    ))
}

/// A club admin makes a representative of a member structure admin, or takes the role back (the
/// last admin stays).
#[server(endpoint = "clubs/administrateurs")]
pub async fn set_club_admin(
    slug: String,
    user: i64,
    change: AdminChange,
) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let club = server::club(&state, &slug).await?;
    let actor = server::require_club_admin(&state, club.id).await?;
    db::set_admin(&state.db, club.id, user, &actor, change)
        .await
        .map_err(server::refused)?;
    let code = match change {
        AdminChange::Appoint => "admin-nomme",
        AdminChange::Revoke => "admin-retire",
    };
    Ok(Done::notice(
        &format!("/clubs/{}/membres", club.slug),
        code,
        CLUB_NOTICES,
    ))
}

/// What an e-mail invitation's page shows: the club, and the structures the person manages.
#[server(endpoint = "clubs/invitation/charger")]
pub async fn load_email_invitation(token: String) -> Result<EmailInvitation, AppError> {
    // The token is the right to see the invitation.
    let state = crate::state::app_state()?;
    let (_, _, club_slug, club_name, message) = server::email_invitation(&state, &token).await?;
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
    let (invitation, club_id, club_slug, club_name, _) =
        server::email_invitation(&state, &token).await?;
    let joining = match structure.trim() {
        "" | "nouvelle" => db::Joining::New(entry.validated()?),
        id => db::Joining::Existing(id.parse().map_err(|_| {
            AppError::validation("structure", "Choisissez une structure que vous gérez.")
        })?),
    };
    let joined = db::join_by_email(&state.db, invitation, club_id, &user, joining)
        .await
        .map_err(server::refused)?;
    let Some(structure) = joined else {
        return Err(AppError::InvalidLink);
    };
    crate::features::directory::index::changed(&state).await;
    let name = server::structure_name(&state, structure)
        .await
        .unwrap_or_default();
    let page = format!("/clubs/{club_slug}");
    let sentence = format!(
        "{name} a rejoint le club « {club_name} » grâce à une invitation envoyée par e-mail."
    );
    server::tell_admins(
        &state,
        club_id,
        &format!("Nouveau membre : {name}"),
        &sentence,
        &page,
    )
    .await?;
    Ok(Done::notice(&page, "bienvenue", CLUB_NOTICES))
}

/// The club form: empty for a new club (site admins), the club's fields for its admins.
#[server(endpoint = "clubs/formulaire")]
pub async fn load_club_form(#[server(default)] slug: String) -> Result<ClubForm, AppError> {
    let user = crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let edit = if slug.is_empty() {
        if !user.is_admin() {
            return Err(AppError::Forbidden);
        }
        ClubEdit::default()
    } else {
        let club = server::club(&state, &slug).await?;
        server::require_club_admin(&state, club.id).await?;
        db::club_edit(&state.db, club.id)
            .await?
            .ok_or(AppError::NotFound)?
    };
    Ok(ClubForm {
        slug,
        edit,
        territories: db::club_territories(&state.db).await?,
    })
}

#[cfg(feature = "ssr")]
fn unknown_territory() -> AppError {
    AppError::validation("territory", "Choisissez le territoire dans la liste.")
}

/// A site admin creates a club (its first members then ask to join, and an admin is appointed
/// among their representatives).
#[server(endpoint = "clubs/nouveau")]
pub async fn create_club(#[server(flatten)] edit: ClubEdit) -> Result<Done, AppError> {
    use crate::features::accounts::policy::{Action, require};
    require(Action::AdministerSite)?;
    let state = crate::state::app_state()?;
    let edit = edit.validated()?;
    let slug = db::create_club(&state.db, &edit)
        .await?
        .ok_or_else(unknown_territory)?;
    Ok(Done::notice(
        &format!("/clubs/{slug}"),
        "club-enregistre",
        CLUB_NOTICES,
    ))
}

/// A club's admins (and site admins) edit its name, territory, presentation, charter and
/// meetings.
#[server(endpoint = "clubs/modifier")]
pub async fn save_club(slug: String, #[server(flatten)] edit: ClubEdit) -> Result<Done, AppError> {
    crate::features::accounts::policy::require_user()?;
    let state = crate::state::app_state()?;
    let club = server::club(&state, &slug).await?;
    server::require_club_admin(&state, club.id).await?;
    let edit = edit.validated()?;
    if !db::save_club(&state.db, club.id, &edit).await? {
        return Err(unknown_territory());
    }
    crate::features::directory::index::changed(&state).await;
    Ok(Done::notice(
        &format!("/clubs/{slug}"),
        "club-enregistre",
        CLUB_NOTICES,
    ))
}
