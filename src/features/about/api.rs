//! Server functions of the information pages: reading is public; changing them needs
//! `Action::EditContent` (editors and site admins).

use leptos::prelude::*;

use crate::error::AppError;
use crate::features::about::InfoPage;
use crate::features::about::NOTICES;
use crate::features::about::PageDefault;
use crate::features::about::PageEdit;
use crate::features::about::PageForm;
use crate::features::about::db;
use crate::features::about::page_default;
use crate::ui::notice::Done;

fn known(slug: &str) -> Result<&'static PageDefault, AppError> {
    page_default(slug).ok_or(AppError::NotFound)
}

fn require_editor() -> Result<crate::features::accounts::CurrentUser, AppError> {
    use crate::features::accounts::policy::{Action, require};
    require(Action::EditContent)
}

/// An information page: its saved text, or the text the portal ships with.
#[server(endpoint = "pages/lire")]
pub async fn load_info_page(slug: String) -> Result<InfoPage, AppError> {
    // Public data.
    use crate::features::accounts::policy::{Action, may};
    let default = known(&slug)?;
    let state = crate::state::app_state()?;
    let can_edit = may(
        crate::features::accounts::auth::current_user().as_ref(),
        Action::EditContent,
    );
    let generated = generated(&slug, &state.config.legal);
    Ok(match db::find(&state.db, &slug).await? {
        Some(saved) => InfoPage {
            slug,
            title: saved.title,
            summary: saved.summary,
            body_html: saved.body_html,
            can_edit,
            generated,
        },
        None => InfoPage {
            slug,
            title: default.title.to_owned(),
            summary: default.summary.to_owned(),
            body_html: crate::markdown::to_safe_html(default.body),
            can_edit,
            generated,
        },
    })
}

/// What the portal adds below page `slug`: the legal notice's facts from the configuration,
/// the processings of personal data from the features' declarations, the contact address.
#[cfg(feature = "ssr")]
fn generated(slug: &str, legal: &crate::config::LegalNotice) -> crate::features::about::Generated {
    use crate::features::about::{Generated, ProcessingView};
    match slug {
        "mentions-legales" => Generated::Facts(vec![
            ("Éditeur".to_owned(), legal.publisher.clone()),
            (
                "Directeur ou directrice de la publication".to_owned(),
                legal.director.clone(),
            ),
            ("Hébergeur".to_owned(), legal.host.clone()),
            ("Contact".to_owned(), legal.contact.clone()),
        ]),
        "donnees-personnelles" => Generated::Processings {
            list: crate::features::PERSONAL_DATA
                .iter()
                .map(|p| ProcessingView {
                    name: p.name.to_owned(),
                    data: p.data.to_owned(),
                    purpose: p.purpose.to_owned(),
                    basis: p.basis.to_owned(),
                    retention: p.retention.to_owned(),
                    recipients: p.recipients.to_owned(),
                })
                .collect(),
            contact: legal.contact.clone(),
        },
        "accessibilite" => Generated::Checks {
            facts: vec![
                format!(
                    "Validateur HTML du W3C (Nu) : {} pages sans erreur.",
                    super::NU_PAGES
                ),
                format!(
                    "Lighthouse, qui embarque les règles d'axe-core : {} sortes de pages à 100 sur 100 en accessibilité.",
                    super::LIGHTHOUSE_PAGES
                ),
                format!(
                    "Parcours complets dans Chromium, avec et sans JavaScript : {}.",
                    super::JOURNEYS
                ),
            ],
            contact: legal.contact.clone(),
        },
        _ => Generated::Nothing,
    }
}

/// The page editor: the current text and the versions.
#[server(endpoint = "pages/formulaire")]
pub async fn load_page_form(slug: String) -> Result<PageForm, AppError> {
    require_editor()?;
    let default = known(&slug)?;
    let state = crate::state::app_state()?;
    let edit = match db::find(&state.db, &slug).await? {
        Some(saved) => PageEdit {
            title: saved.title,
            summary: saved.summary,
            body: saved.body,
        },
        None => PageEdit {
            title: default.title.to_owned(),
            summary: default.summary.to_owned(),
            body: default.body.trim().to_owned(),
        },
    };
    let revisions = crate::features::news::db::revisions(&state.db, None, Some(&slug)).await?;
    Ok(PageForm {
        slug,
        edit,
        revisions,
    })
}

/// Saves an information page, as a new version.
#[server(endpoint = "pages/enregistrer")]
pub async fn save_info_page(
    slug: String,
    #[server(flatten)] edit: PageEdit,
) -> Result<Done, AppError> {
    let user = require_editor()?;
    known(&slug)?;
    let state = crate::state::app_state()?;
    let edit = edit.validated()?;
    db::save(&state.db, &slug, &edit, &user, None).await?;
    Ok(Done::notice(
        &format!("/redaction/pages/{slug}"),
        "page-enregistree",
        NOTICES,
    ))
}

crate::form_path!(SaveInfoPage => "/redaction/pages/{slug}");

/// Puts an earlier version of a page back, as a new version.
#[server(endpoint = "pages/restaurer")]
pub async fn restore_page_revision(slug: String, revision: i64) -> Result<Done, AppError> {
    let user = require_editor()?;
    known(&slug)?;
    let state = crate::state::app_state()?;
    let edit = db::revision(&state.db, &slug, revision)
        .await?
        .ok_or(AppError::NotFound)?;
    db::save(&state.db, &slug, &edit, &user, Some(revision)).await?;
    Ok(Done::notice(
        &format!("/redaction/pages/{slug}"),
        "revision-restauree",
        NOTICES,
    ))
}

crate::form_path!(RestorePageRevision => "/redaction/pages/{slug}/restaurer");
