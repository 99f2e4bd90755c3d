//! « Mes achats ».

use super::list::NeedItem;
use crate::error::AppError;
use crate::features::purchasing::Answer;
use crate::features::purchasing::needs::load_my_purchasing;
use crate::ui::error::ErrorPage;
use crate::ui::href::login_then;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/achats/mes-demandes`.
#[component]
pub fn MyPurchasingPage() -> impl IntoView {
    let mine = Resource::new_blocking(|| (), |_| load_my_purchasing());
    view! {
        <Title text="Mes demandes d'achat" />
        <p class="breadcrumb"><a href="/achats">"← Achats responsables"</a></p>
        <h1>"Mes demandes d'achat"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match mine.await {
                    Ok(mine) => view! {
                        <section aria-labelledby="mes-besoins">
                            <h2 id="mes-besoins">"Mes besoins d'acheteur"</h2>
                            {match &mine.buyer {
                                None => view! { <p>"Vous n'avez pas encore publié de besoin. "<a href="/achats/nouveau">"Publier un besoin"</a></p> }.into_any(),
                                Some(buyer) => view! {
                                    <p>{format!("Pour {}. ", buyer.organisation)}<a href="/achats/nouveau">"Publier un besoin"</a></p>
                                }.into_any(),
                            }}
                            <ul class="result-list">
                                {mine.needs.into_iter().map(|need| view! { <NeedItem need /> }).collect_view()}
                            </ul>
                        </section>
                        <section aria-labelledby="recus">
                            <h2 id="recus">"Besoins reçus par mes structures"</h2>
                            {mine.received.is_empty().then(|| view! { <p>"Aucun besoin reçu pour le moment."</p> })}
                            <ul class="result-list">
                                {mine.received.into_iter().map(|(need, structure, answer)| view! {
                                    <li class="result">
                                        <h3><a href=format!("/achats/{}", need.id)>{need.title.clone()}</a></h3>
                                        <p class="meta">{format!("{} · pour {structure} · {} · {}", need.organisation,
                                            answer.map_or("à répondre", Answer::label), need.status.label())}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <p><a href=login_then("/achats/mes-demandes")>"Connectez-vous"</a>" pour voir vos demandes."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
