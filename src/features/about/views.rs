//! The information pages and their editor (site admins, in the page, with versions).

use crate::error::AppError;
use crate::features::about::NOTICES;
use crate::features::about::PAGES;
use crate::features::about::PageForm;
use crate::features::about::api;
use crate::ui::error::ErrorPage;
use crate::ui::form::Field;
use crate::ui::form::FormErrors;
use crate::ui::form::FormPath;
use crate::ui::form::TextArea;
use crate::ui::href::login_then;
use crate::ui::markdown_field::MarkdownBody;
use crate::ui::meta::Description;
use crate::ui::notice::Notice;
use crate::ui::revisions::RevisionList;
use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

/// The information pages on the editors' desk.
#[component]
pub fn InfoPageLinks() -> impl IntoView {
    view! {
        <section aria-labelledby="pages-info">
            <h2 id="pages-info">"Pages d'information"</h2>
            <ul>
                {PAGES.iter().map(|page| view! {
                    <li><a href=format!("/redaction/pages/{}", page.slug)>{page.title}</a></li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// An information page, from the database or as shipped.
#[component]
fn InfoPageView(slug: &'static str) -> impl IntoView {
    let page = Resource::new_blocking(move || slug, |slug| api::load_info_page(slug.to_owned()));
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! {
                        <Title text=page.title.clone() />
                        <Description text=page.summary.clone() />
                        <Notice known=NOTICES />
                        <article class="prose info-page">
                            <h1>{page.title.clone()}</h1>
                            <div inner_html=page.body_html.clone()></div>
                        </article>
                        {page.can_edit.then(|| view! {
                            <p class="list-links"><a href=format!("/redaction/pages/{}", page.slug)>"Modifier cette page"</a></p>
                        })}
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// « Qu'est-ce que l'ESS ? »
#[component]
pub fn WhatIsEssPage() -> impl IntoView {
    view! { <InfoPageView slug="qu-est-ce-que-l-ess" /> }
}

/// « Qu'est-ce que DESSINE ? »
#[component]
pub fn WhatIsDessinePage() -> impl IntoView {
    view! { <InfoPageView slug="qu-est-ce-que-dessine" /> }
}

/// « Qui sommes-nous ? »
#[component]
pub fn WhoWeArePage() -> impl IntoView {
    view! { <InfoPageView slug="qui-sommes-nous" /> }
}

/// `/redaction/pages/{slug}`: an information page's editor, with its preview and versions.
#[component]
pub fn InfoPageEditorPage() -> impl IntoView {
    let slug = leptos_router::hooks::use_params_map()
        .with_untracked(|p| p.get("slug").unwrap_or_default());
    let form = Resource::new_blocking(move || slug.clone(), api::load_page_form);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(form) => view! { <PageEditor form /> }.into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <Title text="Connexion nécessaire" />
                        <h1>"Connexion nécessaire"</h1>
                        <p><a href=login_then("/redaction")>"Connectez-vous"</a>" pour modifier les pages."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PageEditor(form: PageForm) -> impl IntoView {
    let PageForm {
        slug,
        edit,
        revisions,
    } = form;
    let here = api::SaveInfoPage::action(&[&slug]);
    let title = format!("Modifier : {}", edit.title);
    view! {
        <Title text=title.clone() />
        <p class="breadcrumb"><a href="/redaction">"← Rédaction"</a></p>
        <Notice known=NOTICES />
        <h1>{title}</h1>
        <p class="meta"><a href=format!("/{slug}")>"Voir la page"</a></p>
        <FormErrors />
        <form method="post" action=here.clone() class="stack-form wide" data-fn=api::SaveInfoPage::PATH>
            <input type="hidden" name="retour" value=here.clone() />
            <Field name="title" label="Titre" value=edit.title.clone() autocomplete="off" />
            <TextArea name="summary" label="Résumé" rows=3 value=edit.summary.clone()
                hint="Deux phrases au plus : elles servent aux moteurs de recherche et aux partages." />
            <MarkdownBody value=edit.body.clone() endpoint=crate::features::news::preview::PreviewMarkdown::PATH />
            <div class="form-actions">
                <button type="submit">"Enregistrer"</button>
                <button type="submit" class="secondary" formaction=crate::features::news::preview::PREVIEW_PATH>"Prévisualiser"</button>
            </div>
        </form>
        <section aria-labelledby="versions">
            <h2 id="versions">"Versions"</h2>
            <RevisionList revisions action=api::RestorePageRevision::action(&[&slug]) hidden=("slug", slug.clone()) />
        </section>
    }
}
