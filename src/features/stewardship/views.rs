//! The management box on an entry's page and the edit page.

use crate::ui::form::FormPath;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use super::Stewardship;
use super::api::{ConfirmClaim, DecideRequest, SaveEntry, load_entry_for_edit, load_stewardship};
use crate::error::AppError;
use crate::features::stewardship::api::RequestManagement;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::{CheckboxGroup, Choice, Field, FormErrors, TextArea};
use crate::ui::href::login_then;

/// « Gérer cette fiche »: what a visitor, a member, or a manager can do about the entry whose
/// page this is (its slug comes from the address).
#[component]
pub fn StewardshipBox() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    // Loaded inside the entry page's own suspense (these boxes are its children): a resource
    // made there, after the page's first wait, is what an async rendering may wait for without
    // end; an awaited call is simply part of the page's rendering (and sends no data to the
    // browser, which has nothing to hydrate here). The `Suspend` is the child itself, not a
    // closure that makes one: `Suspense` first walks its children once (`dry_resolve`), and a
    // closure would be called there and again to render, the first call's database work
    // started, then dropped in the middle of taking a pooled connection, which closes it.
    view! {
        <Suspense>
            {Suspend::new(async move {
                let back = format!("/annuaire/{slug}");
                let edit_href = format!("{back}/modifier");
                match load_stewardship(slug.clone()).await {
                    Ok(Stewardship::Visitor) => view! {
                        <section class="stewardship" aria-labelledby="gestion">
                            <h2 id="gestion">"Vous faites partie de cette structure ?"</h2>
                            <p><a href=login_then(&back)>"Connectez-vous"</a>" pour demander à gérer sa fiche."</p>
                        </section>
                    }.into_any(),
                    Ok(Stewardship::Member { pending: true }) => view! {
                        <section class="stewardship" aria-labelledby="gestion">
                            <h2 id="gestion">"Gérer cette fiche"</h2>
                            <p>"Votre demande pour gérer cette fiche est en attente."</p>
                        </section>
                    }.into_any(),
                    Ok(Stewardship::Member { pending: false }) => view! {
                        <section class="stewardship" aria-labelledby="gestion">
                            <h2 id="gestion">"Gérer cette fiche"</h2>
                            <p>"Vous faites partie de cette structure ? Demandez à gérer sa fiche : un administrateur ou un gestionnaire actuel validera."</p>
                            <form method="post" action=RequestManagement::action(&[&slug])>
                                <input type="hidden" name="slug" value=slug.clone() />
                                <button type="submit">"Demander à gérer cette fiche"</button>
                            </form>
                        </section>
                    }.into_any(),
                    Ok(Stewardship::Steward { requests }) => view! {
                        <section class="stewardship" aria-labelledby="gestion">
                            <h2 id="gestion">"Gérer cette fiche"</h2>
                            <Enhance>
                                <p><a class="button" href=edit_href data-load-form="#modifier-ici">"Modifier la fiche"</a>
                                    " "<a href=format!("{back}/historique")>"Historique et corrections proposées"</a></p>
                                <div id="modifier-ici"></div>
                                <div id="demandes-fiche">
                                    {(!requests.is_empty()).then(|| view! {
                                        <h3>"Demandes de gestion en attente"</h3>
                                        <ul class="requests">
                                            {requests.into_iter().map(|request| {
                                                view! {
                                                    <li>
                                                        {request.name}" ("{request.email}")"
                                                        <DecisionButtons request_id=request.id back=back.clone() refresh="#demandes-fiche" />
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    })}
                                </div>
                            </Enhance>
                        </section>
                    }.into_any(),
                    Err(_) => ().into_any(),
                }
            })}
        </Suspense>
    }
}

/// The workforce bands to choose from, « Non indiqué » first.
fn staff_bands() -> Vec<(String, String)> {
    std::iter::once(("", "Non indiqué"))
        .chain(crate::features::directory::STAFF_BANDS.iter().copied())
        .map(|(value, label)| (value.to_owned(), label.to_owned()))
        .collect()
}

/// `/annuaire/{slug}/modifier`: the entry's editable fields.
#[component]
pub fn EditEntryPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let entry = Resource::new_blocking(slug, load_entry_for_edit);
    view! {
        <Title text="Modifier la fiche" />
        <Suspense>
            {move || Suspend::new(async move {
                let slug = slug();
                match entry.await {
                    Ok(form) => {
                        let entry = form.edit;
                        let sectors = form.all_sectors;
                        view! {
                        <p class="breadcrumb"><a href=format!("/annuaire/{slug}")>"← Retour à la fiche"</a></p>
                        <h1>"Modifier la fiche"</h1>
                        <form method="post" action=SaveEntry::action(&[&slug]) class="stack-form wide"
                            id="modifier-fiche" data-fn=SaveEntry::PATH data-refresh=".entry-body, #modifier-ici">
                            <FormErrors />
                            <input type="hidden" name="slug" value=slug.clone() />
                            <Field name="name" label="Nom de la structure" value=entry.name />
                            <TextArea name="description" label="Présentation" value=entry.description />
                            <TextArea name="offer" label="Ce que la structure propose aux acheteurs" value=entry.offer
                                hint="Produits et services, en quelques lignes." />
                            <CheckboxGroup name="sectors" legend="Secteurs d'activité" options=sectors checked=entry.sectors.0
                                hint="Cochez un ou plusieurs secteurs : la structure apparaîtra dans chacun." />
                            <Field name="address" label="Adresse" value=entry.address required=false />
                            <Field name="postal_code" label="Code postal" value=entry.postal_code required=false />
                            <Field name="email" label="E-mail de contact" kind="email" value=entry.email required=false />
                            <Field name="phone" label="Téléphone" kind="tel" value=entry.phone required=false />
                            <Field name="website" label="Site web" kind="url" value=entry.website required=false
                                hint="Commence par https://" />
                            <Choice name="staff_band" label="Effectif salarié" options=staff_bands() value=entry.staff_band
                                hint="La tranche de l'INSEE. Elle compte dans l'observatoire de l'ESS du territoire." />
                            <button type="submit">"Enregistrer la fiche"</button>
                        </form>
                    }.into_any()
                    }
                    Err(AppError::Unauthorized) => view! {
                        <h1>"Modifier la fiche"</h1>
                        <p><a href=login_then(&format!("/annuaire/{slug}/modifier"))>"Connectez-vous"</a>" pour modifier cette fiche."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// « Accepter » / « Refuser » for a request to manage an entry, then back to `back`. Inside an
/// [`Enhance`] island the decision is made in place and `refresh` (a selector) is swapped in.
#[component]
pub fn DecisionButtons(
    request_id: i64,
    #[prop(into)] back: String,
    refresh: &'static str,
) -> impl IntoView {
    view! {
        <form method="post" action=DecideRequest::action(&[&request_id.to_string()]) class="inline-form"
            id=format!("demande-{request_id}") data-fn=DecideRequest::PATH data-refresh=refresh>
            <input type="hidden" name="request" value=request_id />
            <input type="hidden" name="retour" value=back />
            <button type="submit" name="decision" value="approuver">"Accepter"</button>
            " "
            <button type="submit" name="decision" value="refuser" class="secondary">"Refuser"</button>
        </form>
    }
}

/// `/annuaire/confirmer-gestion?jeton=…`: the button that lets a member manage an entry nobody
/// managed (the mail to the entry's public address leads here).
#[component]
pub fn ConfirmClaimPage() -> impl IntoView {
    let token = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("jeton").unwrap_or_default());
    view! {
        <Title text="Confirmer la gestion de la fiche" />
        <h1>"Confirmer la gestion de la fiche"</h1>
        <p>"Une personne demande à gérer la fiche de votre structure dans l'annuaire. Si elle en fait partie, confirmez : elle pourra tenir la fiche à jour."</p>
        <form method="post" action=ConfirmClaim::action(&[]) class="stack-form" id="confirmer-gestion" data-fn=ConfirmClaim::PATH>
            <FormErrors />
            <input type="hidden" name="jeton" value=token />
            <button type="submit">"Confirmer cette personne"</button>
        </form>
    }
}
