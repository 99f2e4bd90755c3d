//! The article editor, with its image and versions.

use super::refused;
use crate::error::AppError;
use crate::features::news::ArticleForm;
use crate::features::news::Image;
use crate::features::news::NOTICES;
use crate::features::news::Publication;
use crate::features::news::Visibility;
use crate::features::news::articles::CreateArticle;
use crate::features::news::articles::DeleteArticle;
use crate::features::news::articles::RemoveArticleImage;
use crate::features::news::articles::RestoreArticleRevision;
use crate::features::news::articles::SaveArticle;
use crate::features::news::articles::load_article_form;
use crate::ui::form::Field;
use crate::ui::form::FormErrors;
use crate::ui::form::FormPath;
use crate::ui::form::TextArea;
use crate::ui::form::form_outcome;
use crate::ui::markdown_field::MarkdownBody;
use crate::ui::notice::Notice;
use crate::ui::revisions::Revision;
use crate::ui::revisions::RevisionList;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

/// `/redaction/articles/nouveau` and `/redaction/articles/{id}`.
#[component]
pub fn ArticleEditorPage() -> impl IntoView {
    let id: i64 = use_params_map()
        .with_untracked(|p| p.get("id"))
        .map_or(Some(0), |id| id.parse().ok())
        .unwrap_or(-1);
    let form = Resource::new_blocking(
        move || id,
        |id| async move {
            if id < 0 {
                Err(AppError::NotFound)
            } else {
                load_article_form(id).await
            }
        },
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(form) => view! { <ArticleEditor form /> }.into_any(),
                    Err(error) => refused(error, "/redaction"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ArticleEditor(form: ArticleForm) -> impl IntoView {
    let ArticleForm {
        id,
        slug,
        edit,
        visibility,
        image,
        revisions,
    } = form;
    let is_new = id == 0;
    let here = if is_new {
        CreateArticle::action(&[])
    } else {
        SaveArticle::action(&[&id.to_string()])
    };
    let endpoint = if is_new {
        CreateArticle::PATH
    } else {
        SaveArticle::PATH
    };
    let outcome = form_outcome();
    let publication = outcome
        .value("publication")
        .map_or(edit.publication.form_value(), |v| {
            if v == Publication::Published.form_value() {
                Publication::Published.form_value()
            } else {
                Publication::Draft.form_value()
            }
        });
    let title = if is_new {
        "Nouvel article".to_owned()
    } else {
        format!("Modifier : {}", edit.title)
    };
    view! {
        <Title text=title.clone() />
        <p class="breadcrumb"><a href="/redaction">"← Rédaction"</a></p>
        <Notice known=NOTICES />
        <h1>{title}</h1>
        {visibility.map(|v| view! {
            <p class="meta">
                {format!("État : {}", v.label())}
                {(v == Visibility::Published).then(|| view! { " · "<a href=format!("/actualites/{slug}")>"Voir l'article"</a> })}
                {(v != Visibility::Published).then(|| view! { " · "<a href=format!("/actualites/{slug}")>"Voir tel quel"</a> })}
            </p>
        })}
        <FormErrors />
        <form method="post" action=here.clone() class="stack-form wide" data-fn=endpoint>
            <input type="hidden" name="retour" value=here.clone() />
            <Field name="title" label="Titre" value=edit.title.clone() autocomplete="off" />
            <TextArea name="summary" label="Résumé" rows=3 value=edit.summary.clone()
                hint="Deux ou trois phrases (300 caractères au plus) : elles apparaissent dans les listes, le flux et les partages." />
            <MarkdownBody value=edit.body.clone() endpoint=crate::features::news::preview::PreviewMarkdown::PATH />
            <Field name="keywords" label="Mots clés" value=edit.keywords.clone() required=false autocomplete="off"
                hint="Séparés par des virgules, par exemple : achat responsable, clause sociale" />
            <fieldset class="field">
                <legend>"Publication"</legend>
                <p class="choice">
                    <input type="radio" id="publication-brouillon" name="publication" value="brouillon" checked=publication == "brouillon" />
                    <label for="publication-brouillon">"Brouillon (visible de la rédaction seulement)"</label>
                </p>
                <p class="choice">
                    <input type="radio" id="publication-publie" name="publication" value="publie" checked=publication == "publie" />
                    <label for="publication-publie">"Publié (à la date ci-dessous, ou tout de suite si elle est vide)"</label>
                </p>
            </fieldset>
            <div class="field-row">
                <Field name="date" label="Date de publication" kind="date" value=edit.date.clone() required=false />
                <Field name="time" label="Heure" kind="time" value=edit.time.clone() required=false />
            </div>
            <div class="form-actions">
                <button type="submit">"Enregistrer"</button>
                <button type="submit" class="secondary" formaction=crate::features::news::preview::PREVIEW_PATH>"Prévisualiser"</button>
            </div>
        </form>
        {(!is_new).then(|| view! {
            <ImageForm id image />
            <Revisions id revisions />
            <section aria-labelledby="supprimer">
                <h2 id="supprimer">"Supprimer l'article"</h2>
                <form method="post" action=DeleteArticle::action(&[&id.to_string()]) class="stack-form">
                    <input type="hidden" name="id" value=id />
                    <p class="choice">
                        <input type="checkbox" id="confirmer-suppression" name="confirmer" required />
                        <label for="confirmer-suppression">"Je supprime cet article et toutes ses versions : c'est définitif."</label>
                    </p>
                    <button type="submit" class="danger">"Supprimer l'article"</button>
                </form>
            </section>
        })}
    }
}

#[component]
fn ImageForm(id: i64, image: Option<Image>) -> impl IntoView {
    let outcome = form_outcome();
    let image_error = outcome.error_for("image").map(str::to_owned);
    view! {
        <section aria-labelledby="image-titre" class="image-form">
            <h2 id="image-titre">"Image"</h2>
            {image.map(|image| view! {
                <img src=image.src alt=image.alt.clone() width=image.width height=image.height class="article-image" />
                <p class="meta">{format!("Description : {}", image.alt)}</p>
                <form method="post" action=RemoveArticleImage::action(&[&id.to_string()]) class="inline-form">
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="secondary">"Retirer l'image"</button>
                </form>
            })}
            <form method="post" action=crate::ui::form::fill_path(crate::features::news::articles::UPLOAD_PATH, &[&id.to_string()]) enctype="multipart/form-data" class="stack-form">
                <div class="field" class:has-error=image_error.is_some()>
                    <label for="champ-image">"Fichier"</label>
                    <p class="hint" id="champ-image-aide">"PNG, JPEG ou WebP, 2 Mo au plus."</p>
                    {image_error.clone().map(|m| view! { <p class="field-error" id="champ-image-erreur">{m}</p> })}
                    <input type="file" id="champ-image" name="image" accept="image/png,image/jpeg,image/webp" required
                        aria-invalid=image_error.is_some().then_some("true")
                        aria-describedby=if image_error.is_some() { "champ-image-aide champ-image-erreur" } else { "champ-image-aide" } />
                </div>
                <Field name="alt" label="Description de l'image" hint="Ce qu'elle montre, pour qui ne la voit pas." autocomplete="off" />
                <button type="submit">"Envoyer l'image"</button>
            </form>
        </section>
    }
}

#[component]
pub fn Revisions(id: i64, revisions: Vec<Revision>) -> impl IntoView {
    view! {
        <section aria-labelledby="versions">
            <h2 id="versions">"Versions"</h2>
            <RevisionList revisions action=RestoreArticleRevision::action(&[&id.to_string()]) hidden=("id", id.to_string()) />
        </section>
    }
}
