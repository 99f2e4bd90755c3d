//! Server functions of the news. Reading is public (drafts and scheduled articles only for
//! editors); everything else starts with `require(Action::EditContent)`: site admins and
//! editors.

use leptos::prelude::*;

use super::*;
use crate::ui::notice::Done;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::features::accounts::CurrentUser;
    use crate::features::accounts::policy::{Action, may};

    /// Whether the person asking may write (without failing for visitors).
    pub fn editor() -> bool {
        may(
            crate::features::accounts::auth::current_user().as_ref(),
            Action::EditContent,
        )
    }

    pub fn require_editor() -> Result<CurrentUser, AppError> {
        crate::features::accounts::policy::require(Action::EditContent)
    }

    pub fn refused(error: db::SaveError) -> AppError {
        match error {
            db::SaveError::UnknownLink(address) => AppError::validation(
                "body",
                format!(
                    "Le lien {address} ne mène à aucune page du portail : vérifiez son adresse."
                ),
            ),
            db::SaveError::NotFound => AppError::NotFound,
            db::SaveError::Db(error) => error.into(),
        }
    }

    /// Validates and saves a new article (`None`) or article `id`; where the editor goes next,
    /// with what the save did (saved as a draft, scheduled, published).
    pub async fn write(
        id: Option<i64>,
        edit: ArticleEdit,
        user: &CurrentUser,
    ) -> Result<Done, AppError> {
        let state = crate::state::app_state()?;
        let input = edit.validated()?;
        let links = crate::markdown::linked_pages(&input.body, &state.config.base_url);
        let now = crate::timestamp::Timestamp::now();
        let id = match id {
            None => db::create(&state.db, &input, &links, user, now)
                .await
                .map(|(id, _)| id),
            Some(id) => db::save(&state.db, id, &input, &links, user, now)
                .await
                .map(|_| id),
        }
        .map_err(refused)?;
        let code = match (input.publication, input.published_at) {
            (Publication::Draft, _) => "article-enregistre",
            (Publication::Published, Some(at)) if at > now => "article-programme",
            (Publication::Published, _) => "article-publie",
        };
        Ok(Done::notice(
            &format!("/redaction/articles/{id}"),
            code,
            NOTICES,
        ))
    }
}

/// `/actualites`: one page of the published articles, newest first, with the keyword `mot-cle`.
#[server(endpoint = "actualites/liste")]
pub async fn load_news(
    #[server(default)] page: u32,
    #[server(default)] keyword: String,
) -> Result<NewsPage, AppError> {
    // Public data: only what visitors may read is listed.
    let state = crate::state::app_state()?;
    let now = crate::timestamp::Timestamp::now();
    // An unknown keyword lists nothing rather than everything.
    let found = if crate::slug::is_slug(&keyword) {
        db::keyword(&state.db, &keyword).await?
    } else {
        None
    };
    let filter = (!keyword.is_empty()).then_some(keyword);
    let page = page.clamp(1, 10_000);
    let (articles, total) = db::visible(
        &state.db,
        filter.as_deref(),
        i64::from(PAGE_SIZE),
        i64::from((page - 1) * PAGE_SIZE),
        now,
    )
    .await?;
    Ok(NewsPage {
        articles,
        page,
        pages: (total as u32).div_ceil(PAGE_SIZE).max(1),
        total,
        keyword: found,
        can_edit: server::editor(),
    })
}

/// `/actualites/{slug}`: a published article (editors also see drafts and scheduled ones).
#[server(endpoint = "actualites/article")]
pub async fn load_article(slug: String) -> Result<Article, AppError> {
    // Public data; the rule of what visitors see is in `db::article`.
    let state = crate::state::app_state()?;
    db::article(
        &state.db,
        &slug,
        server::editor(),
        crate::timestamp::Timestamp::now(),
    )
    .await?
    .ok_or(AppError::NotFound)
}

/// The published articles that mention a structure (`annuaire`), a club (`clubs`) or an event
/// (`evenements`).
#[server(endpoint = "actualites/mentions")]
pub async fn load_mentioning(kind: String, slug: String) -> Result<Vec<Link>, AppError> {
    // Public data: published articles only.
    use crate::markdown::LinkedPage;
    let state = crate::state::app_state()?;
    let kind = match kind.as_str() {
        "annuaire" => LinkedPage::Structure,
        "clubs" => LinkedPage::Club,
        "evenements" => LinkedPage::Event,
        _ => return Err(AppError::NotFound),
    };
    Ok(db::mentioning(&state.db, kind, &slug, crate::timestamp::Timestamp::now()).await?)
}

/// `/redaction`: every article, drafts included, for editors.
#[server(endpoint = "redaction/liste")]
pub async fn load_editor_list() -> Result<Vec<EditorRow>, AppError> {
    server::require_editor()?;
    let state = crate::state::app_state()?;
    Ok(db::editor_rows(&state.db, crate::timestamp::Timestamp::now()).await?)
}

/// The article editor: article `id`, or an empty form for 0.
#[server(endpoint = "redaction/article")]
pub async fn load_article_form(id: i64) -> Result<ArticleForm, AppError> {
    server::require_editor()?;
    let state = crate::state::app_state()?;
    if id == 0 {
        return Ok(ArticleForm {
            id: 0,
            slug: String::new(),
            edit: ArticleEdit::default(),
            visibility: None,
            image: None,
            revisions: Vec::new(),
        });
    }
    db::article_form(&state.db, id, crate::timestamp::Timestamp::now())
        .await?
        .ok_or(AppError::NotFound)
}

/// Writes a new article (a draft, published now, or scheduled).
#[server(endpoint = "redaction/nouveau")]
pub async fn create_article(#[server(flatten)] edit: ArticleEdit) -> Result<Done, AppError> {
    let user = server::require_editor()?;
    server::write(None, edit, &user).await
}

/// Saves article `id`: its text, keywords, state and date; a new revision.
#[server(endpoint = "redaction/enregistrer")]
pub async fn save_article(id: i64, #[server(flatten)] edit: ArticleEdit) -> Result<Done, AppError> {
    let user = server::require_editor()?;
    server::write(Some(id), edit, &user).await
}

/// Deletes article `id` with its revisions.
#[server(endpoint = "redaction/supprimer")]
pub async fn delete_article(id: i64) -> Result<Done, AppError> {
    server::require_editor()?;
    let state = crate::state::app_state()?;
    if !db::delete(&state.db, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Done::notice("/redaction", "article-supprime", NOTICES))
}

/// Puts an earlier revision of article `id` back, as a new revision.
#[server(endpoint = "redaction/restaurer")]
pub async fn restore_article_revision(id: i64, revision: i64) -> Result<Done, AppError> {
    let user = server::require_editor()?;
    let state = crate::state::app_state()?;
    db::restore(
        &state.db,
        id,
        revision,
        &state.config.base_url,
        &user,
        crate::timestamp::Timestamp::now(),
    )
    .await
    .map_err(server::refused)?;
    Ok(Done::notice(
        &format!("/redaction/articles/{id}"),
        "revision-restauree",
        NOTICES,
    ))
}

/// Takes the image off article `id` (the file stays: an earlier revision may show it again).
#[server(endpoint = "redaction/image/retirer")]
pub async fn remove_article_image(id: i64) -> Result<Done, AppError> {
    server::require_editor()?;
    let state = crate::state::app_state()?;
    if !db::set_image(&state.db, id, None).await? {
        return Err(AppError::NotFound);
    }
    Ok(Done::notice(
        &format!("/redaction/articles/{id}"),
        "image-retiree",
        NOTICES,
    ))
}

/// The cleaned HTML of Markdown being typed, for the editor's preview.
#[server(endpoint = "redaction/apercu")]
pub async fn preview_markdown(body: String) -> Result<String, AppError> {
    server::require_editor()?;
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(AppError::validation(
            "body",
            "Le texte ne doit pas dépasser 60 000 caractères.",
        ));
    }
    Ok(crate::markdown::to_safe_html(&body))
}

/// `POST /redaction/apercu` without JavaScript: the editor's page again, with what was typed
/// and its preview under the form (nothing is saved). The form says which page it lives on
/// (`retour`, a path under `/redaction/`).
#[cfg(feature = "ssr")]
pub async fn preview_form(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    request: axum::extract::Request,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 256 * 1024).await else {
        return AppError::form("Le formulaire envoyé est trop long.").into_response();
    };
    let fields: Vec<(String, String)> = serde_html_form::from_bytes(&bytes).unwrap_or_default();
    let fields = crate::web::forms::FormFields(fields);
    let back = fields.get("retour").to_owned();
    let allowed = back.starts_with("/redaction/")
        && crate::ui::href::is_local_path(&back)
        && !back.contains("/apercu");
    let check =
        crate::web::forms::in_request_context(&state, &parts, async { server::require_editor() })
            .await;
    match check {
        Err(AppError::Unauthorized) => crate::web::respond::login_first("/redaction"),
        Err(error) => error.into_response(),
        Ok(_) if !allowed => AppError::NotFound.into_response(),
        Ok(_) => {
            let mut values = fields.replayable();
            values.push((PREVIEW_FIELD.to_owned(), "1".to_owned()));
            let outcome = crate::ui::form::FormOutcome {
                values,
                errors: Vec::new(),
            };
            crate::web::replay::render_page(
                &state,
                &parts,
                &back,
                outcome,
                axum::http::StatusCode::OK,
            )
            .await
        }
    }
}

/// Set in a replayed form when it is shown for its preview.
pub const PREVIEW_FIELD: &str = "__apercu";
