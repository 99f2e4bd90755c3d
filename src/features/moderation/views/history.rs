//! `/annuaire/{slug}/historique`: every revision of an entry, the corrections waiting, and a
//! button to restore a version.

use crate::features::directory::{ENTRY_NOTICES, field_label};
use crate::features::moderation::history::{RestoreRevision, load_history};
use crate::ui::error::ErrorPage;
use crate::ui::form::{FormErrors, FormPath};
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

#[component]
pub fn HistoryPage() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let history = Resource::new_blocking(move || slug.clone(), load_history);
    view! {
        <Title text="Historique de la fiche" />
        <Suspense>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(history) => {
                        let slug = history.slug.clone();
                        view! {
                        <p class="breadcrumb"><a href=format!("/annuaire/{slug}")>"← Retour à la fiche"</a></p>
                        <h1>{format!("Historique : {}", history.name)}</h1>
                        <Notice known=ENTRY_NOTICES />
                        <FormErrors />
                        {(!history.pending.is_empty()).then(|| view! {
                            <section aria-labelledby="en-attente">
                                <h2 id="en-attente">"Corrections proposées, en attente de modération"</h2>
                                <ul>
                                    {history.pending.into_iter().map(|(who, fields, at)| {
                                        let what: Vec<String> = fields.iter().map(|(f, v)| format!("{} : « {v} »", field_label(f))).collect();
                                        view! { <li>{format!("{who}, le {} — {}", at.french_date(), what.join(" ; "))}</li> }
                                    }).collect_view()}
                                </ul>
                            </section>
                        })}
                        <h2>"Versions"</h2>
                        {history.revisions.is_empty().then(|| view! { <p>"Aucune modification enregistrée depuis l'ouverture de l'historique."</p> })}
                        <ol class="revisions">
                            {history.revisions.into_iter().map(|revision| {
                                let slug = slug.clone();
                                let form_id = format!("restaurer-{}", revision.id);
                                let restorable = !revision.before.is_empty();
                                view! {
                                    <li>
                                        <h3>{format!("{} — {}", revision.at.french_date_time(), revision.origin.label())}</h3>
                                        <p>{if revision.author.is_empty() { "Par le portail".to_owned() } else { format!("Par {}", revision.author) }}</p>
                                        <div class="table-scroll" role="region" aria-label=format!("Changements du {}", revision.at.french_date_time()) tabindex="0">
                                        <table>
                                            <thead><tr><th scope="col">"Champ"</th><th scope="col">"Avant"</th><th scope="col">"Après"</th></tr></thead>
                                            <tbody>
                                                {revision.after.iter().map(|(field, after)| view! {
                                                    <tr>
                                                        <th scope="row">{field_label(field).to_owned()}</th>
                                                        <td>{revision.before.get(field).cloned().unwrap_or_default()}</td>
                                                        <td>{after.clone()}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                        </div>
                                        {restorable.then(|| view! {
                                            <form method="post" action=RestoreRevision::action(&[&slug]) id=form_id data-fn=RestoreRevision::PATH class="inline-form">
                                                <input type="hidden" name="slug" value=slug.clone() />
                                                <input type="hidden" name="revision" value=revision.id />
                                                <button type="submit" class="secondary">"Revenir aux valeurs d'avant"</button>
                                            </form>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
