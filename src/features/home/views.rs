//! The home page.

use crate::features::accounts::profile::GOODBYE_NOTICES;
use crate::features::directory::SearchParams;
use crate::features::directory::views::SearchForm;
use crate::features::home::data::HomeData;
use crate::features::home::data::load_home;
use crate::features::news::views::ArticleCard;
use crate::ui::error::ErrorPage;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;

/// The home page. Its data is loaded before the first byte is sent (the route is `SsrMode::Async`),
/// so a database failure becomes a real 500 page.
#[component]
pub fn HomePage() -> impl IntoView {
    let home = Resource::new_blocking(|| (), |_| load_home());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(home) => view! { <HomeContent home /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// « 1 structure », « 12 structures ».
fn structures_count(n: i64) -> String {
    if n == 1 {
        "1 structure".to_owned()
    } else {
        format!("{n} structures")
    }
}

#[component]
fn HomeContent(home: HomeData) -> impl IntoView {
    let HomeData {
        overview,
        news,
        events,
        clubs,
        structures,
        sectors,
    } = home;
    let count_of = move |slug: &str| {
        sectors
            .iter()
            .find(|facet| facet.slug == slug)
            .map_or(0, |facet| facet.count)
    };
    view! {
        <Title text="" />
        <Notice known=GOODBYE_NOTICES />
        <h1>"L'économie sociale et solidaire du territoire, réunie en un portail"</h1>
        <p class="lead">
            "Associations, coopératives, structures d'insertion, mutuelles et fondations font vivre une part importante de l'emploi local : sur le Dunkerquois, plus d'un emploi sur huit relève de l'économie sociale et solidaire. DESSINE les rend visibles et les aide à travailler ensemble."
        </p>
        <SearchForm
            params=SearchParams::default()
            label="Chercher un acteur de l'ESS"
            class="search-form home-search"
        />
        <p class="figures">{format!("{} dans l'annuaire", structures_count(structures))}" · "<a href="/annuaire/referencer">"Référencer ma structure"</a></p>
        <div class="home-columns">
            <section aria-labelledby="actualites">
                <h2 id="actualites">"Dernières actualités"</h2>
                {if news.is_empty() {
                    view! { <p>"Aucun article pour le moment."</p> }.into_any()
                } else {
                    view! {
                        <ul class="cards article-list">
                            {news.into_iter().map(|article| view! { <ArticleCard article level=3 /> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <p><a href="/actualites">"Toutes les actualités"</a></p>
            </section>
            <section aria-labelledby="prochains">
                <h2 id="prochains">"Prochains événements"</h2>
                {if events.is_empty() {
                    view! { <p>"Aucun événement annoncé pour le moment."</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list">
                            {events.into_iter().map(|event| view! {
                                <li>
                                    <a href=format!("/evenements/{}", event.slug)>{event.title}</a>
                                    <br />
                                    <span class="meta">
                                        {crate::features::events::views::when(event.starts_at, event.ends_at)}
                                        {(!event.commune.is_empty()).then(|| format!(" · {}", event.commune))}
                                    </span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <p><a href="/evenements">"Tous les événements"</a></p>
            </section>
        </div>
        <section aria-labelledby="clubs">
            <h2 id="clubs">"Les clubs"</h2>
            <ul class="cards">
                {clubs.into_iter().map(|club| view! {
                    <li class="card">
                        <h3><a href=format!("/clubs/{}", club.slug)>{club.name}</a></h3>
                        <p class="meta">{club.territory}" · "{structures_count(club.members)}</p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="pour-qui">
            <h2 id="pour-qui">"À qui sert DESSINE ?"</h2>
            <ul class="cards">
                <li class="card">
                    <h3>"Aux habitants"</h3>
                    <p>
                        "Pour découvrir qui agit près de chez soi, suivre l'actualité des structures et participer à leurs rencontres, comme le mois de l'ESS."
                    </p>
                </li>
                <li class="card">
                    <h3>"Aux acheteurs publics et privés"</h3>
                    <p>
                        "Pour trouver des fournisseurs de l'ESS qui répondent à un besoin, à une clause d'insertion ou à une politique d'achat responsable."
                    </p>
                </li>
                <li class="card">
                    <h3>"Aux structures de l'ESS"</h3>
                    <p>
                        "Pour tenir à jour leur fiche, rejoindre un club, s'inscrire aux événements et faire reconnaître leurs pratiques par la démarche progrès."
                    </p>
                </li>
            </ul>
        </section>
        <section aria-labelledby="secteurs">
            <h2 id="secteurs">"Les secteurs d'activité"</h2>
            <ul class="sector-list">
                {overview
                    .sectors
                    .into_iter()
                    .map(|sector| {
                        view! {
                            <li>
                                <a href=format!("/annuaire?secteur={}", sector.slug)><strong>{sector.name}</strong></a>
                                <span>{format!("{} · {}", structures_count(count_of(&sector.slug)), sector.description)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <section aria-labelledby="territoires">
            <h2 id="territoires">"Les territoires couverts"</h2>
            {overview
                .intercommunalities
                .into_iter()
                .map(|interco| {
                    let count = interco.communes.len();
                    let communes = if count == 1 { "1 commune".to_owned() } else { format!("{count} communes") };
                    view! {
                        <h3><a href=format!("/annuaire?territoire={}", interco.slug)>{interco.name}</a>" ("{interco.departement}")"</h3>
                        <p class="muted">{communes}" : "{interco.communes.join(", ")}"."</p>
                    }
                })
                .collect_view()}
        </section>
    }
}
