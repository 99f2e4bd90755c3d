//! The three information pages of the main menu: what the ESS is, what DESSINE is, who runs it.
//! Their text ships with the portal (the Markdown files beside this module) and editors change
//! it in the page (`/redaction/pages/{slug}`), each save kept as a revision.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use server_fn::ServerFn;

use crate::error::{AppError, FieldErrors};
use crate::features::news::Revision;
use crate::ui::error::ErrorPage;
use crate::ui::form::{Field, FormErrors, TextArea};
use crate::ui::href::login_then;
use crate::ui::markdown_field::MarkdownBody;
use crate::ui::meta::Description;
use crate::ui::notice::{Notice, Notices};
use crate::ui::revisions::RevisionList;

/// An information page as the portal ships it.
#[derive(Debug, Clone, Copy)]
pub struct PageDefault {
    pub slug: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub body: &'static str,
}

pub const PAGES: &[PageDefault] = &[
    PageDefault {
        slug: "qu-est-ce-que-l-ess",
        title: "Qu'est-ce que l'économie sociale et solidaire ?",
        summary: "L'économie sociale et solidaire en quelques mots : associations, coopératives, mutuelles, fondations et entreprises d'insertion qui placent l'utilité sociale avant le profit, sur le territoire.",
        body: include_str!("pages/qu-est-ce-que-l-ess.md"),
    },
    PageDefault {
        slug: "qu-est-ce-que-dessine",
        title: "Qu'est-ce que DESSINE ?",
        summary: "DESSINE, le portail des réseaux de l'ESS du Dunkerquois et de l'Artois : annuaire des structures, événements, clubs et achat responsable.",
        body: include_str!("pages/qu-est-ce-que-dessine.md"),
    },
    PageDefault {
        slug: "qui-sommes-nous",
        title: "Qui sommes-nous ?",
        summary: "Qui anime DESSINE : les réseaux de l'économie sociale et solidaire du territoire et leurs partenaires.",
        body: include_str!("pages/qui-sommes-nous.md"),
    },
];

pub fn page_default(slug: &str) -> Option<&'static PageDefault> {
    PAGES.iter().find(|page| page.slug == slug)
}

/// An information page as visitors read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfoPage {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub can_edit: bool,
}

/// The fields of the page editor, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageEdit {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub body: String,
}

impl PageEdit {
    /// Trimmed and checked, every bad field with its French message.
    pub fn validated(self) -> Result<PageEdit, AppError> {
        let mut errors = FieldErrors::default();
        let (title, summary, body) = crate::features::news::articles::checked_text(
            &mut errors,
            [&self.title, &self.summary, &self.body],
            "de la page",
        );
        errors.finish(PageEdit {
            title,
            summary,
            body,
        })
    }
}

/// What the page editor shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageForm {
    pub slug: String,
    pub edit: PageEdit,
    pub revisions: Vec<Revision>,
}

pub const NOTICES: Notices = &[
    ("page-enregistree", "La page est enregistrée."),
    (
        "revision-restauree",
        "La version choisie est restaurée ; elle devient une nouvelle version.",
    ),
];

/// The page editor's form posts.
#[cfg(feature = "ssr")]
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes, same_page};
    fn editor(path: &str, _: &FormFields) -> String {
        path.trim_end_matches("/restaurer").to_owned()
    }
    Routes::new()
        .form::<api::SaveInfoPage>("/redaction/pages/{slug}", same_page)
        .form::<api::RestorePageRevision>("/redaction/pages/{slug}/restaurer", editor)
}

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
    let here = format!("/redaction/pages/{slug}");
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
                <button type="submit" class="secondary" formaction="/redaction/apercu">"Prévisualiser"</button>
            </div>
        </form>
        <section aria-labelledby="versions">
            <h2 id="versions">"Versions"</h2>
            <RevisionList revisions action=format!("{here}/restaurer") hidden=("slug", slug.clone()) />
        </section>
    }
}
