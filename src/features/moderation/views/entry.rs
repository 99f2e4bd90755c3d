//! `/annuaire/{slug}/administration`: publish an entry or take it out, and for site admins,
//! its managers and its deletion (with what refers to it).

use crate::features::directory::ENTRY_NOTICES;
use crate::features::moderation::EntryAdmin;
use crate::features::moderation::entries::{
    ChangeEntryManager, DeleteStructure, SetPublication, load_entry_admin,
};
use crate::ui::error::ErrorPage;
use crate::ui::form::{Field, FormErrors, FormPath};
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

#[component]
pub fn EntryAdminPage() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let entry = Resource::new_blocking(move || slug.clone(), load_entry_admin);
    view! {
        <Title text="Administrer la fiche" />
        <Suspense>
            {move || Suspend::new(async move {
                match entry.await {
                    Ok(entry) => view! { <Administration entry /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Administration(entry: EntryAdmin) -> impl IntoView {
    let slug = entry.slug.clone();
    let (state, button, value) = if entry.published {
        (
            "publiée dans l'annuaire",
            "Retirer de l'annuaire",
            "retirer",
        )
    } else {
        (
            "non publiée : elle n'apparaît ni dans les recherches ni sur les pages des clubs",
            "Publier dans l'annuaire",
            "publier",
        )
    };
    view! {
        <p class="breadcrumb"><a href="/moderation">"← Modération"</a></p>
        <h1>{format!("Administrer : {}", entry.name)}</h1>
        <Notice known=ENTRY_NOTICES />
        <FormErrors />
        <p>{format!("Cette fiche est {state}.")}
            {entry.published.then(|| view! { " "<a href=format!("/annuaire/{slug}")>"Voir la fiche"</a> })}
            " · "<a href=format!("/annuaire/{slug}/historique")>"Historique"</a></p>
        <form method="post" action=SetPublication::action(&[&slug]) id="publication" data-fn=SetPublication::PATH>
            <input type="hidden" name="slug" value=slug.clone() />
            <button type="submit" name="publication" value=value>{button}</button>
        </form>
        {entry.admin.then(|| {
            let slug = slug.clone();
            view! {
                <section aria-labelledby="gestionnaires">
                    <h2 id="gestionnaires">"Gestionnaires"</h2>
                    {entry.managers.is_empty().then(|| view! { <p>"Personne ne gère cette fiche."</p> })}
                    <ul>
                        {entry.managers.into_iter().map(|(id, name, email)| {
                            let slug = slug.clone();
                            view! {
                                <li>
                                    {format!("{name} ({email}) ")}
                                    <form method="post" action=ChangeEntryManager::action(&[&slug]) class="inline-form" data-fn=ChangeEntryManager::PATH>
                                        <input type="hidden" name="slug" value=slug.clone() />
                                        <input type="hidden" name="user" value=id />
                                        <button type="submit" name="change" value="retirer" class="secondary">{format!("Retirer {name}")}</button>
                                    </form>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <form method="post" action=ChangeEntryManager::action(&[&slug]) class="stack-form" id="ajouter-gestionnaire" data-fn=ChangeEntryManager::PATH>
                        <input type="hidden" name="slug" value=slug.clone() />
                        <Field name="email" label="E-mail du compte à ajouter" kind="email" />
                        <button type="submit" name="change" value="ajouter">"Ajouter comme gestionnaire"</button>
                    </form>
                </section>
                <section aria-labelledby="suppression">
                    <h2 id="suppression">"Supprimer la fiche"</h2>
                    {if entry.references.is_empty() {
                        view! { <p>"Rien ne fait référence à cette fiche."</p> }.into_any()
                    } else {
                        view! {
                            <p>"Avec la fiche disparaissent :"</p>
                            <ul>
                                {entry.references.into_iter().map(|(what, count)| view! { <li>{format!("{count} {what}")}</li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    <form method="post" action=DeleteStructure::action(&[&slug]) class="stack-form" id="supprimer" data-fn=DeleteStructure::PATH>
                        <input type="hidden" name="slug" value=slug.clone() />
                        <div class="field">
                            <label><input type="checkbox" name="confirmation" value="oui" />" J'ai lu ce qui disparaît avec la fiche"</label>
                        </div>
                        <button type="submit" class="danger">"Supprimer définitivement"</button>
                    </form>
                </section>
            }
        })}
    }
}
