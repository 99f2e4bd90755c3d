//! The news pages: `/actualites` (filtered by keyword in the URL), an article, the editors'
//! list `/redaction` and the article editor, with its preview (a button without JavaScript; with
//! it, [`LivePreview`] follows the typing).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;

use super::api::*;
use super::*;
use crate::ui::error::ErrorPage;
use crate::ui::form::{Field, FormErrors, TextArea, form_outcome};
use crate::ui::href::login_then;
use crate::ui::meta::Description;
use crate::ui::notice::Notice;
use crate::ui::pagination::Pagination;

/// « 3 articles ».
fn articles_count(n: i64) -> String {
    match n {
        0 => "Aucun article".to_owned(),
        1 => "1 article".to_owned(),
        n => format!("{n} articles"),
    }
}

/// One article in a list: its image (its place reserved), title, date, summary, keywords.
#[component]
pub fn ArticleCard(article: ArticleSummary, #[prop(default = 2)] level: u8) -> impl IntoView {
    let href = format!("/actualites/{}", article.slug);
    let title = view! { <a href=href>{article.title.clone()}</a> };
    let heading = if level == 2 {
        view! { <h2>{title}</h2> }.into_any()
    } else {
        view! { <h3>{title}</h3> }.into_any()
    };
    view! {
        <li class="card article-card">
            {article.image.map(|image| view! {
                <img src=image.src alt="" width=image.width height=image.height loading="lazy" decoding="async" />
            })}
            {heading}
            <p class="meta"><time datetime=article.published_at.to_string()>{article.published_at.french_date()}</time></p>
            <p>{article.summary}</p>
            <KeywordList keywords=article.keywords />
        </li>
    }
}

#[component]
fn KeywordList(keywords: Vec<Keyword>) -> impl IntoView {
    (!keywords.is_empty()).then(|| {
        view! {
            <ul class="tags" aria-label="Mots clés">
                {keywords.into_iter().map(|k| { let href = k.href(); view! { <li><a href=href>{k.name}</a></li> } }).collect_view()}
            </ul>
        }
    })
}

/// `/actualites`, `/actualites?mot-cle=…&page=n`.
#[component]
pub fn NewsListPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let keyword = query.get("mot-cle").unwrap_or_default();
    let page: u32 = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let news = Resource::new_blocking(
        move || (page, keyword.clone()),
        |(page, keyword)| load_news(page, keyword),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match news.await {
                    Ok(news) => view! { <NewsList news /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewsList(news: NewsPage) -> impl IntoView {
    let NewsPage {
        articles,
        page,
        pages,
        total,
        keyword,
        can_edit,
    } = news;
    let (title, feed) = match &keyword {
        Some(k) => (
            format!("Actualités : {}", k.name),
            format!("/actualites.atom?mot-cle={}", k.slug),
        ),
        None => ("Actualités".to_owned(), "/actualites.atom".to_owned()),
    };
    let slug = keyword.as_ref().map(|k| k.slug.clone());
    let href = move |n: u32| {
        let mut query = Vec::new();
        if let Some(slug) = &slug {
            query.push(format!("mot-cle={slug}"));
        }
        if n > 1 {
            query.push(format!("page={n}"));
        }
        if query.is_empty() {
            "/actualites".to_owned()
        } else {
            format!("/actualites?{}", query.join("&"))
        }
    };
    view! {
        <Title text=title.clone() />
        <Description text="L'actualité de l'économie sociale et solidaire du territoire : lancements de clubs, salons, labels, rencontres." />
        <leptos_meta::Link rel="alternate" type_="application/atom+xml" title=title.clone() href=feed.clone() />
        <Notice known=NOTICES />
        <h1>{title}</h1>
        <p class="list-links">
            <a href=feed>"S'abonner (flux Atom)"</a>
            {keyword.is_some().then(|| view! { <a href="/actualites">"Toutes les actualités"</a> })}
            {can_edit.then(|| view! { <a href="/redaction">"Rédaction"</a> })}
        </p>
        {if articles.is_empty() {
            view! {
                <p>{if keyword.is_some() || page > 1 { "Aucun article ne correspond." } else { "Aucun article pour le moment." }}</p>
            }.into_any()
        } else {
            view! {
                <p class="meta">{articles_count(total)}</p>
                <ul class="cards article-list">
                    {articles.into_iter().map(|article| view! { <ArticleCard article /> }).collect_view()}
                </ul>
            }.into_any()
        }}
        <Pagination page pages href />
    }
}

/// `/actualites/{slug}`.
#[component]
pub fn ArticlePage() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let article = Resource::new_blocking(move || slug.clone(), load_article);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match article.await {
                    Ok(article) => view! { <ArticleView article /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// schema.org `NewsArticle`; `</` is escaped so the text cannot close the script.
pub fn news_article_json_ld(article: &Article) -> String {
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "datePublished": article.published_at.to_string(),
        "dateModified": article.updated_at.max(article.published_at).to_string(),
        "author": { "@type": "Person", "name": article.author_name },
        "publisher": { "@type": "Organization", "name": "DESSINE" },
        "keywords": article.keywords.iter().map(|k| k.name.as_str()).collect::<Vec<_>>().join(", "),
    });
    if let Some(image) = &article.image {
        value["image"] = serde_json::Value::String(image.src.clone());
    }
    value.to_string().replace("</", "<\\/")
}

#[component]
fn ArticleView(article: Article) -> impl IntoView {
    let json_ld = news_article_json_ld(&article);
    let hidden = (article.visibility != Visibility::Published).then(|| {
        format!(
            "{} : les visiteurs ne voient pas encore cet article.",
            article.visibility.label()
        )
    });
    view! {
        <Title text=article.title.clone() />
        <Description text=article.summary.clone() />
        <script type="application/ld+json" nonce=leptos::nonce::use_nonce() inner_html=json_ld></script>
        <p class="breadcrumb"><a href="/actualites">"← Actualités"</a></p>
        {hidden.map(|text| view! { <p class="notice warning">{text}</p> })}
        <article class="news-article">
            <h1>{article.title.clone()}</h1>
            <p class="meta">
                "Publié le "<time datetime=article.published_at.to_string()>{article.published_at.french_date()}</time>
                {format!(" par {}", article.author_name)}
            </p>
            <p class="lead">{article.summary.clone()}</p>
            {article.image.clone().map(|image| view! {
                <img class="article-image" src=image.src alt=image.alt width=image.width height=image.height decoding="async" />
            })}
            <div class="prose" inner_html=article.body_html.clone()></div>
            {(!article.keywords.is_empty()).then(|| view! {
                <section aria-labelledby="mots-cles" class="keywords">
                    <h2 id="mots-cles">"Mots clés"</h2>
                    <KeywordList keywords=article.keywords.clone() />
                </section>
            })}
            {(!article.mentions.is_empty()).then(|| view! {
                <section aria-labelledby="cites">
                    <h2 id="cites">"Cités dans cet article"</h2>
                    <ul>
                        {article.mentions.clone().into_iter().map(|link| view! { <li><a href=link.href>{link.name}</a></li> }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
        {article.can_edit.then(|| view! {
            <p class="list-links"><a href=format!("/redaction/articles/{}", article.id)>"Modifier l'article"</a></p>
        })}
    }
}

/// The published articles that mention a structure (`annuaire`), a club (`clubs`) or an event
/// (`evenements`); none when they cannot be read (the page shows without them).
pub async fn mentions(kind: &'static str, slug: String) -> Vec<Link> {
    load_mentioning(kind.to_owned(), slug)
        .await
        .unwrap_or_default()
}

/// « Dans l'actualité » on a structure's, club's or event's page. Nothing when no article
/// mentions it.
#[component]
pub fn MentionedIn(links: Vec<Link>) -> impl IntoView {
    (!links.is_empty()).then(|| {
        view! {
            <section aria-labelledby="dans-l-actualite" class="mentioned-in">
                <h2 id="dans-l-actualite">"Dans l'actualité"</h2>
                <ul>
                    {links.into_iter().map(|link| view! { <li><a href=link.href>{link.name}</a></li> }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The page to show a visitor who must log in first, or the error.
fn refused(error: AppError, here: &str) -> AnyView {
    match error {
        AppError::Unauthorized => view! {
            <Title text="Connexion nécessaire" />
            <h1>"Connexion nécessaire"</h1>
            <p><a href=login_then(here)>"Connectez-vous"</a>" pour écrire les actualités."</p>
        }
        .into_any(),
        error => view! { <ErrorPage error /> }.into_any(),
    }
}

/// `/redaction`: the editors' desk: every article with its state; `children` add the other
/// things editors write (the information pages).
#[component]
pub fn EditorDeskPage(children: ChildrenFn) -> impl IntoView {
    let rows = Resource::new_blocking(|| (), |_| load_editor_list());
    view! {
        <Suspense>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match rows.await {
                        Ok(rows) => view! { <EditorDesk rows>{children()}</EditorDesk> }.into_any(),
                        Err(error) => refused(error, "/redaction"),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn EditorDesk(rows: Vec<EditorRow>, children: Children) -> impl IntoView {
    view! {
        <Title text="Rédaction" />
        <Notice known=NOTICES />
        <h1>"Rédaction"</h1>
        <p class="list-links"><a href="/redaction/articles/nouveau" class="button">"Écrire un article"</a></p>
        <section aria-labelledby="articles">
            <h2 id="articles">"Articles"</h2>
            {if rows.is_empty() {
                view! { <p>"Aucun article pour le moment."</p> }.into_any()
            } else {
                view! {
                    <table class="editor-list">
                        <thead><tr><th scope="col">"Titre"</th><th scope="col">"État"</th><th scope="col">"Publication"</th><th scope="col">"Dernière modification"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! {
                                <tr>
                                    <td><a href=format!("/redaction/articles/{}", row.id)>{row.title}</a></td>
                                    <td>{row.visibility.label()}</td>
                                    <td>{match row.visibility { Visibility::Draft => "—".to_owned(), _ => row.published_at.french_date_time() }}</td>
                                    <td>{row.updated_at.french_date_time()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        {children()}
    }
}

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

/// The preview of the text typed, when the editor's page is shown for it (no JavaScript).
pub fn replayed_preview() -> Option<String> {
    let outcome = form_outcome();
    outcome.value(PREVIEW_FIELD)?;
    let body = outcome.value("body").unwrap_or_default().to_owned();
    #[cfg(feature = "ssr")]
    let html = crate::markdown::to_safe_html(&body);
    #[cfg(not(feature = "ssr"))]
    let html = {
        let _ = body;
        String::new()
    };
    Some(html)
}

/// The Markdown field with its preview: the « Prévisualiser » button of the form shows it
/// without JavaScript; with JavaScript it follows the typing.
#[component]
pub fn MarkdownBody(#[prop(into)] value: String) -> impl IntoView {
    let preview = replayed_preview();
    view! {
        <LivePreview>
            <TextArea name="body" label="Texte" rows=18 value
                hint="En Markdown : une ligne vide entre les paragraphes, ## pour un intertitre, **gras**, *italique*, [texte du lien](adresse), - pour une liste. Un lien vers une fiche de l'annuaire, un club ou un événement du portail l'ajoute aux pages citées." />
            <section class="preview" aria-labelledby="apercu-titre">
                <h2 id="apercu-titre">"Aperçu"</h2>
                <div class="prose" data-preview inner_html=preview.unwrap_or_default()></div>
            </section>
        </LivePreview>
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
        "/redaction/articles/nouveau".to_owned()
    } else {
        format!("/redaction/articles/{id}")
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
            <MarkdownBody value=edit.body.clone() />
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
                <button type="submit" class="secondary" formaction="/redaction/apercu">"Prévisualiser"</button>
            </div>
        </form>
        {(!is_new).then(|| view! {
            <ImageForm id image />
            <Revisions id revisions />
            <section aria-labelledby="supprimer">
                <h2 id="supprimer">"Supprimer l'article"</h2>
                <form method="post" action=format!("/redaction/articles/{id}/supprimer") class="stack-form">
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
                <form method="post" action=format!("/redaction/articles/{id}/image/retirer") class="inline-form">
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="secondary">"Retirer l'image"</button>
                </form>
            })}
            <form method="post" action=format!("/redaction/articles/{id}/image") enctype="multipart/form-data" class="stack-form">
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
            <RevisionList revisions action=format!("/redaction/articles/{id}/restaurer") hidden=("id", id.to_string()) />
        </section>
    }
}

/// Every saved version, newest first, each but the current one with « Restaurer ».
#[component]
pub fn RevisionList(
    revisions: Vec<Revision>,
    action: String,
    hidden: (&'static str, String),
) -> impl IntoView {
    if revisions.is_empty() {
        return view! { <p>"Aucune version enregistrée pour le moment."</p> }.into_any();
    }
    view! {
        <ol class="revisions" reversed>
            {revisions.into_iter().enumerate().map(|(n, revision)| {
                let restored = revision.restored_from.map(|at| format!(" (restauration de la version du {})", at.french_date_time()));
                view! {
                    <li>
                        {format!("{} — {}", revision.created_at.french_date_time(), revision.editor_name)}
                        {restored}
                        {(n == 0).then_some(" — version actuelle")}
                        {(n > 0).then(|| view! {
                            <form method="post" action=action.clone() class="inline-form">
                                <input type="hidden" name=hidden.0 value=hidden.1.clone() />
                                <input type="hidden" name="revision" value=revision.id />
                                <button type="submit" class="secondary">
                                    "Restaurer"<span class="visually-hidden">{format!(" la version du {}", revision.created_at.french_date_time())}</span>
                                </button>
                            </form>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// With JavaScript, the preview under the Markdown field follows the typing: after a pause the
/// text goes to the server, which answers the cleaned HTML (the same rendering as the save).
#[island]
pub fn LivePreview(children: Children) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    crate::ui::browser::count_hydrated();
    let on_input = move |event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        browser::schedule(event);
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    };
    view! { <div class="live-preview" on:input=on_input>{children()}</div> }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::{Cell, RefCell};

    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{Element, HtmlTextAreaElement};

    thread_local! {
        static PENDING: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
        static LATEST: Cell<u32> = const { Cell::new(0) };
    }

    pub fn schedule(event: leptos::ev::Event) {
        let Some(area) = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlTextAreaElement>().ok())
        else {
            return;
        };
        PENDING.with(|pending| {
            if let Some(handle) = pending.borrow_mut().take() {
                handle.clear();
            }
            let refresh = move || {
                leptos::task::spawn_local(async move {
                    // A failed preview leaves the last one; the button still works.
                    let _ = refresh(area).await;
                })
            };
            *pending.borrow_mut() =
                set_timeout_with_handle(refresh, std::time::Duration::from_millis(400)).ok();
        });
    }

    async fn refresh(area: HtmlTextAreaElement) -> Result<(), JsValue> {
        let island: Element = area.closest(".live-preview")?.ok_or(JsValue::NULL)?;
        let target = island
            .query_selector("[data-preview]")?
            .ok_or(JsValue::NULL)?;
        let request = LATEST.with(|latest| {
            latest.set(latest.get().wrapping_add(1));
            latest.get()
        });
        let params = web_sys::UrlSearchParams::new()?;
        params.append("body", &area.value());
        let (status, value) = crate::ui::browser::post_form(
            <super::PreviewMarkdown as server_fn::ServerFn>::PATH,
            String::from(params.to_string()),
        )
        .await?;
        if status == 200
            && LATEST.with(Cell::get) == request
            && let Some(html) = value.as_string()
        {
            target.set_inner_html(&html);
        }
        Ok(())
    }
}
