//! `/moderation/fusion?garder=…&fusionner=…`: what merging two entries will do, and the button.

use crate::features::moderation::merging::{MergeEntries, load_merge};
use crate::ui::error::ErrorPage;
use crate::ui::form::{FormErrors, FormPath};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

#[component]
pub fn MergePage() -> impl IntoView {
    let (keep, merge) = use_query_map().with_untracked(|q| {
        (
            q.get("garder").unwrap_or_default(),
            q.get("fusionner").unwrap_or_default(),
        )
    });
    let preview = Resource::new_blocking(
        move || (keep.clone(), merge.clone()),
        |(keep, merge)| load_merge(keep, merge),
    );
    view! {
        <Title text="Fusionner deux fiches" />
        <p class="breadcrumb"><a href="/moderation">"← Modération"</a></p>
        <h1>"Fusionner deux fiches"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok(preview) => view! {
                        <p>"La fiche "<a href=format!("/annuaire/{}", preview.keep.0)>{preview.keep.1.clone()}</a>
                            " reste ; la fiche "<a href=format!("/annuaire/{}", preview.merge.0)>{preview.merge.1.clone()}</a>
                            " disparaît et son adresse mène à celle qui reste."</p>
                        {if preview.moving.is_empty() {
                            view! { <p>"Rien ne fait référence à la fiche qui disparaît."</p> }.into_any()
                        } else {
                            view! {
                                <p>"Passent à la fiche qui reste :"</p>
                                <ul>{preview.moving.into_iter().map(|(what, count)| view! { <li>{format!("{count} {what}")}</li> }).collect_view()}</ul>
                            }.into_any()
                        }}
                        <form method="post" action=MergeEntries::action(&[]) class="stack-form" id="fusion" data-fn=MergeEntries::PATH>
                            <FormErrors />
                            <input type="hidden" name="garder" value=preview.keep.0.clone() />
                            <input type="hidden" name="fusionner" value=preview.merge.0.clone() />
                            <button type="submit">"Fusionner"</button>
                        </form>
                        <p><a href=format!("/moderation/fusion?garder={}&fusionner={}", preview.merge.0, preview.keep.0)>"Garder plutôt l'autre fiche"</a></p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
