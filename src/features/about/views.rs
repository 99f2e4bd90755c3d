//! The information pages and their editor (site admins, in the page, with versions).

use crate::error::AppError;
use crate::features::about::Generated;
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
            <p><a href="/lettre/abonnes">"Abonnés à la lettre d'information, par territoire"</a></p>
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
                            <GeneratedPart generated=page.generated.clone() />
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

/// « Non renseigné » for a fact the operator has not set (a demo), plainly visible.
fn fact(value: Option<String>) -> AnyView {
    match value {
        Some(value) => view! { <span class="prewrap">{value}</span> }.into_any(),
        None => {
            view! { <em class="missing">"à compléter par l'exploitant du portail"</em> }.into_any()
        }
    }
}

fn contact_line(contact: Option<String>) -> impl IntoView {
    view! {
        <p>"Écrire à l'équipe du portail : "{match contact {
            Some(address) => view! { <a href=format!("mailto:{address}")>{address.clone()}</a> }.into_any(),
            None => fact(None),
        }}</p>
    }
}

/// The part of a page that comes from the configuration or the code.
#[component]
fn GeneratedPart(generated: Generated) -> impl IntoView {
    match generated {
        Generated::Nothing => ().into_any(),
        Generated::Facts(facts) => view! {
            <h2>"Éditeur, publication, hébergement"</h2>
            <dl class="stacked-facts">
                {facts.into_iter().map(|(label, value)| view! {
                    <dt>{label}</dt>
                    <dd>{fact(value)}</dd>
                }).collect_view()}
            </dl>
        }.into_any(),
        Generated::Processings { list, contact } => view! {
            {list.into_iter().map(|p| view! {
                <section class="processing" aria-labelledby=format!("traitement-{}", crate::slug::slugify(&p.name))>
                    <h3 id=format!("traitement-{}", crate::slug::slugify(&p.name))>{p.name.clone()}</h3>
                    <dl class="stacked-facts">
                        <dt>"Données"</dt><dd>{p.data}</dd>
                        <dt>"Pourquoi"</dt><dd>{p.purpose}</dd>
                        <dt>"Base légale"</dt><dd>{p.basis}</dd>
                        <dt>"Durée de conservation"</dt><dd>{p.retention}</dd>
                        <dt>"Qui y a accès"</dt><dd>{p.recipients}</dd>
                    </dl>
                </section>
            }).collect_view()}
            <h2>"Nous écrire"</h2>
            {contact_line(contact)}
        }.into_any(),
        Generated::Checks { facts, contact } => view! {
            <h2>"Vérifications à chaque version"</h2>
            <ul>{facts.into_iter().map(|fact| view! { <li>{fact}</li> }).collect_view()}</ul>
            <h2>"Adresse de contact"</h2>
            {contact_line(contact)}
        }.into_any(),
    }
}

/// « Mentions légales »
#[component]
pub fn LegalNoticePage() -> impl IntoView {
    view! { <InfoPageView slug="mentions-legales" /> }
}

/// « Données personnelles »
#[component]
pub fn PersonalDataPage() -> impl IntoView {
    view! { <InfoPageView slug="donnees-personnelles" /> }
}

/// « Déclaration d'accessibilité »
#[component]
pub fn AccessibilityPage() -> impl IntoView {
    view! { <InfoPageView slug="accessibilite" /> }
}

/// `/plan-du-site`: every section and kind of public page, for people (`/sitemap.xml` is for
/// robots). Written here rather than read from the router: a person needs words, not paths.
#[component]
pub fn SitePlanPage() -> impl IntoView {
    let sections: &[(&str, &[(&str, &str)])] = &[
        (
            "Découvrir",
            &[
                ("/", "Accueil"),
                (
                    "/qu-est-ce-que-l-ess",
                    "Qu'est-ce que l'économie sociale et solidaire ?",
                ),
                ("/qu-est-ce-que-dessine", "Qu'est-ce que DESSINE ?"),
                ("/qui-sommes-nous", "Qui sommes-nous ?"),
            ],
        ),
        (
            "Annuaire des structures",
            &[
                (
                    "/annuaire",
                    "Chercher une structure (par mots, secteur, territoire, forme juridique, label)",
                ),
                ("/annuaire/referencer", "Référencer ma structure"),
                ("/annuaire/carte", "La carte des structures"),
                (
                    "/observatoire",
                    "L'observatoire : l'ESS du territoire en chiffres",
                ),
                (
                    "/donnees",
                    "Données ouvertes : l'annuaire en CSV, JSON et GeoJSON",
                ),
            ],
        ),
        (
            "Coopérer",
            &[
                (
                    "/cooperer",
                    "Coopérer entre structures et avec les porteurs de projets",
                ),
                (
                    "/accompagnement",
                    "Je porte un projet : demander un accompagnement",
                ),
                (
                    "/accompagnement/reseaux",
                    "Les réseaux d'accompagnement et leurs chiffres",
                ),
                (
                    "/appels",
                    "Appels à projets : y répondre à plusieurs, en consortium",
                ),
                (
                    "/moyens",
                    "Moyens partagés : salles, véhicules, matériel, compétences",
                ),
            ],
        ),
        (
            "Agenda",
            &[
                ("/evenements", "Les événements à venir"),
                ("/evenements?passes=1", "Les événements passés"),
            ],
        ),
        (
            "Actualités",
            &[
                ("/actualites", "Les actualités"),
                ("/actualites.atom", "Le flux Atom des actualités"),
                (
                    "/lettre",
                    "La lettre d'information, par semaine ou par mois",
                ),
            ],
        ),
        ("Clubs", &[("/clubs", "Les clubs de l'ESS du territoire")]),
        (
            "Label « démarche progrès »",
            &[
                ("/label", "Le label et ses structures"),
                ("/label/verifier", "Vérifier un identifiant de label"),
            ],
        ),
        (
            "Achats responsables",
            &[
                (
                    "/achats",
                    "Les besoins des acheteurs et les rendez-vous d'affaires",
                ),
                ("/achats/nouveau", "Publier un besoin d'achat"),
                ("/achats/bilan", "Le bilan des achats responsables"),
            ],
        ),
        (
            "Mon espace",
            &[
                ("/inscription", "Créer un compte"),
                ("/connexion", "Se connecter"),
                ("/mot-de-passe-oublie", "Mot de passe oublié"),
                ("/compte", "Mon compte : mes inscriptions, mes données"),
            ],
        ),
        (
            "Le portail",
            &[
                ("/mentions-legales", "Mentions légales"),
                ("/donnees-personnelles", "Données personnelles"),
                ("/accessibilite", "Déclaration d'accessibilité"),
            ],
        ),
    ];
    view! {
        <Title text="Plan du site" />
        <Description text="Toutes les rubriques de DESSINE : l'ESS, l'annuaire, l'agenda, les actualités, les clubs, le label, les achats responsables et votre espace." />
        <article class="prose info-page">
            <h1>"Plan du site"</h1>
            {sections.iter().map(|(title, links)| view! {
                <h2>{*title}</h2>
                <ul>
                    {links.iter().map(|(href, text)| view! { <li><a href=*href>{*text}</a></li> }).collect_view()}
                </ul>
            }).collect_view()}
        </article>
    }
}

/// `/cooperer`: what the portal offers to work together, beyond the directory.
#[component]
pub fn CooperatePage() -> impl IntoView {
    view! {
        <Title text="Coopérer" />
        <Description text="Demander un accompagnement pour un projet de l'ESS, trouver les réseaux qui accompagnent, répondre à plusieurs aux appels à projets, partager des salles, des véhicules, du matériel et des compétences entre structures." />
        <h1>"Coopérer"</h1>
        <p class="lead">"L'économie sociale et solidaire du territoire avance à plusieurs : des réseaux accompagnent celles et ceux qui créent, les structures se prêtent ce qu'elles ont."</p>
        <ul class="cards">
            <li class="card">
                <h2><a href="/accompagnement">"Je porte un projet"</a></h2>
                <p>"Une idée, une création, un développement : décrivez votre projet, les réseaux d'accompagnement de votre territoire vous répondent."</p>
            </li>
            <li class="card">
                <h2><a href="/accompagnement/reseaux">"Les réseaux d'accompagnement"</a></h2>
                <p>"Qui accompagne, sur quels territoires et pour quels besoins ; les demandes reçues en chiffres."</p>
            </li>
            <li class="card">
                <h2><a href="/appels">"Appels à projets"</a></h2>
                <p>"Les appels qui concernent l'ESS du territoire ; formez un consortium avec vos partenaires de l'annuaire pour y répondre ensemble."</p>
            </li>
            <li class="card">
                <h2><a href="/moyens">"Moyens partagés"</a></h2>
                <p>"Salles, véhicules, matériel et compétences que les structures se prêtent ou cherchent."</p>
            </li>
        </ul>
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
