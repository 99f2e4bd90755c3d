//! « Achats responsables »: the needs open to ESS suppliers.

use crate::features::purchasing::CLAUSES;
use crate::features::purchasing::NEED_KINDS;
use crate::features::purchasing::NeedStatus;
use crate::features::purchasing::NeedSummary;
use crate::features::purchasing::label_of;
use crate::features::purchasing::needs::load_needs;
use crate::ui::error::ErrorPage;
use crate::ui::meta::Description;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A need in a list.
#[component]
pub(super) fn NeedItem(need: NeedSummary) -> impl IntoView {
    let deadline = need.deadline_text();
    view! {
        <li class="result">
            <h3><a href=format!("/achats/{}", need.id)>{need.title.clone()}</a></h3>
            <p class="meta">
                {format!("{} · {} · {} · réponses jusqu'au {deadline}",
                    need.organisation, need.commune, label_of(NEED_KINDS, &need.kind))}
            </p>
            <p class="meta">
                {need.sectors.join(", ")}
                {(need.clause != "aucune").then(|| format!(" · {}", label_of(CLAUSES, &need.clause)))}
                {(!need.public).then_some(" · diffusion restreinte")}
                {(need.status != NeedStatus::Open).then(|| format!(" · {}", need.status.label()))}
            </p>
        </li>
    }
}

/// `/achats`: what responsible purchasing on the portal is, and the open public needs.
#[component]
pub fn PurchasingPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        query.with(|q| {
            (
                q.get("secteur").unwrap_or_default(),
                q.get("territoire").unwrap_or_default(),
            )
        })
    };
    let list = Resource::new_blocking(filters, |(sector, territory)| load_needs(sector, territory));
    view! {
        <Title text="Achats responsables" />
        <Description text="Collectivités, bailleurs, entreprises et comités d'entreprise : publiez un besoin, les structures de l'ESS du territoire qui peuvent y répondre le reçoivent." />
        <h1>"Achats responsables"</h1>
        <p class="lead">"Une collectivité, un bailleur social, une entreprise ou un comité d'entreprise a besoin d'un traiteur, d'une équipe de nettoyage, d'un imprimeur, d'un déménagement ? Le portail trouve les structures de l'économie sociale et solidaire du territoire qui savent le faire, leur transmet la demande, et suit le besoin jusqu'au contrat."</p>
        <Suspense>
            {move || Suspend::new(async move {
                let (sector, territory) = filters();
                match list.await {
                    Ok(list) => {
                        let mut sectors = vec![(String::new(), "Tous les secteurs".to_owned())];
                        sectors.extend(list.sectors.clone());
                        let mut territories = vec![(String::new(), "Tout le territoire".to_owned())];
                        territories.extend(list.territories.clone());
                        view! {
                            <p class="button-row">
                                <a class="button" href="/achats/nouveau">"Publier un besoin"</a>
                                {list.logged_in.then(|| view! { <a href="/achats/mes-demandes">"Mes demandes"</a> })}
                                <a href="/achats/bilan">"Le bilan des achats"</a>
                            </p>
                            {(!list.fairs.is_empty()).then(|| view! {
                                <ul class="days">
                                    {list.fairs.iter().map(|(slug, title)| view! {
                                        <li><a href=format!("/evenements/{slug}/rendez-vous")>{format!("Rendez-vous d'affaires : {title}")}</a></li>
                                    }).collect_view()}
                                </ul>
                            })}
                            <form method="get" action="/achats" class="filters" role="search" aria-label="Filtrer les besoins">
                                <div class="field">
                                    <label for="secteur">"Secteur"</label>
                                    <select id="secteur" name="secteur">
                                        {sectors.into_iter().map(|(value, text)| {
                                            let selected = value == sector;
                                            view! { <option value=value selected=selected>{text}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="territoire">"Territoire"</label>
                                    <select id="territoire" name="territoire">
                                        {territories.into_iter().map(|(value, text)| {
                                            let selected = value == territory;
                                            view! { <option value=value selected=selected>{text}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit">"Filtrer"</button>
                            </form>
                            <section aria-labelledby="besoins-ouverts">
                                <h2 id="besoins-ouverts">{match list.needs.len() {
                                    0 => "Aucun besoin ouvert pour ces critères".to_owned(),
                                    1 => "1 besoin ouvert".to_owned(),
                                    n => format!("{n} besoins ouverts"),
                                }}</h2>
                                <ul class="result-list">
                                    {list.needs.into_iter().map(|need| view! { <NeedItem need /> }).collect_view()}
                                </ul>
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
