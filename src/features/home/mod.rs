//! The home page: what the portal is for, and the sectors and territories it covers.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::features::accounts::profile::GOODBYE_NOTICES;
use crate::features::directory::SearchParams;
use crate::features::directory::views::SearchForm;
use crate::features::reference::ReferenceOverview;
use crate::features::reference::api::load_reference_overview;
use crate::ui::error::ErrorPage;
use crate::ui::notice::Notice;

/// The home page. Its data is loaded before the first byte is sent (the route is `SsrMode::Async`),
/// so a database failure becomes a real 500 page.
#[component]
pub fn HomePage() -> impl IntoView {
    let overview = Resource::new_blocking(|| (), |_| load_reference_overview());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <HomeContent overview /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HomeContent(overview: ReferenceOverview) -> impl IntoView {
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
                                <span>{sector.description}</span>
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
