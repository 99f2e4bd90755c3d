//! « Clubs »: the list.

use crate::features::clubs::listing::list_clubs;
use crate::features::clubs::views::is_site_admin;
use crate::features::clubs::views::members_count;
use crate::ui::error::ErrorPage;
use crate::ui::meta::Description;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/clubs`: every club of the territory.
#[component]
pub fn ClubsPage() -> impl IntoView {
    let clubs = Resource::new_blocking(|| (), |_| list_clubs());
    view! {
        <Title text="Clubs" />
        <Description text="Les clubs de structures de l'ESS du territoire : une charte, des rencontres chaque trimestre, des projets communs." />
        <h1>"Clubs"</h1>
        {is_site_admin().then(|| view! { <p class="list-links"><a href="/clubs/nouveau">"Créer un club"</a></p> })}
        <p class="lead">"Les clubs réunissent des structures de l'ESS d'un même territoire autour d'une charte : elles se rencontrent chaque trimestre, mutualisent des moyens et répondent ensemble aux marchés. Chaque membre peut y faire entrer de nouvelles structures."</p>
        <Suspense>
            {move || Suspend::new(async move {
                match clubs.await {
                    Ok(clubs) if clubs.is_empty() => view! { <p>"Aucun club pour le moment."</p> }.into_any(),
                    Ok(clubs) => view! {
                        <ul class="cards">
                            {clubs.into_iter().map(|club| view! {
                                <li class="card">
                                    <h2><a href=format!("/clubs/{}", club.slug)>{club.name}</a></h2>
                                    <p class="meta">{club.territory}" · "{members_count(club.members as usize)}</p>
                                    <p>{club.description.split("\n\n").next().unwrap_or_default().to_owned()}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
