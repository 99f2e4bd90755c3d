//! `/moderation/moderateurs`: the site admins choose who moderates, and where.

use crate::features::moderation::MODERATION_NOTICES;
use crate::features::moderation::moderators::{ChangeModerator, load_moderators};
use crate::ui::error::ErrorPage;
use crate::ui::form::{Choice, Field, FormErrors, FormPath};
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

#[component]
pub fn ModeratorsPage() -> impl IntoView {
    let page = Resource::new_blocking(|| (), |_| load_moderators());
    view! {
        <Title text="Modérateurs de l'annuaire" />
        <p class="breadcrumb"><a href="/moderation">"← Modération"</a></p>
        <h1>"Modérateurs de l'annuaire"</h1>
        <Notice known=MODERATION_NOTICES />
        <Suspense>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let mut territories = vec![(String::new(), "Tout le territoire".to_owned())];
                        territories.extend(page.departements);
                        view! {
                        <p>"Les administrateurs du site modèrent partout. Les modérateurs examinent les propositions de leur territoire."</p>
                        <ul class="moderators">
                            {page.moderators.into_iter().map(|m| view! {
                                <li>
                                    {format!("{} ({}) — {}", m.name, m.email, m.territory.unwrap_or_else(|| "tout le territoire".to_owned()))}
                                    <form method="post" action=ChangeModerator::action(&[]) class="inline-form" data-fn=ChangeModerator::PATH>
                                        <input type="hidden" name="user" value=m.user_id />
                                        <button type="submit" name="change" value="retirer" class="secondary">"Retirer"</button>
                                    </form>
                                </li>
                            }).collect_view()}
                        </ul>
                        <h2>"Ajouter un modérateur"</h2>
                        <form method="post" action=ChangeModerator::action(&[]) class="stack-form" id="ajouter-moderateur" data-fn=ChangeModerator::PATH>
                            <FormErrors />
                            <Field name="email" label="E-mail de son compte" kind="email" />
                            <Choice name="territoire" label="Territoire" options=territories />
                            <button type="submit" name="change" value="ajouter">"Ajouter"</button>
                        </form>
                    }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
