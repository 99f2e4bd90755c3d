//! The pages of mailed links: confirm a guest's registration, cancel one.

use crate::error::AppError;
use crate::features::events::cancellation::CancelByLink;
use crate::features::events::cancellation::load_cancel_link;
use crate::features::events::guests::ConfirmGuest;
use crate::features::events::guests::load_confirmation;
use crate::ui::form::FormErrors;
use crate::ui::form::FormPath;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

/// `/evenements/confirmer?jeton=…`: a guest confirms their address (a button, so that mail
/// scanners that open links do not register anybody).
#[component]
pub fn ConfirmGuestPage() -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get("jeton").unwrap_or_default());
    let for_load = token.clone();
    let target = Resource::new_blocking(move || for_load.clone(), load_confirmation);
    view! {
        <Title text="Confirmer mon inscription" />
        <h1>"Confirmer mon inscription"</h1>
        <Suspense>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match target.await {
                        Ok(target) => view! {
                            <p>{format!("Bonjour {}, confirmez votre inscription à « {} ».", target.name, target.title)}</p>
                            <form method="post" action=ConfirmGuest::action(&[]) class="stack-form"
                                id="confirmer" data-fn=ConfirmGuest::PATH>
                                <FormErrors />
                                <input type="hidden" name="token" value=token />
                                <button type="submit">"Confirmer mon inscription"</button>
                            </form>
                        }.into_any(),
                        Err(error) => view! { <LinkProblem error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// `/evenements/annuler?jeton=…`: cancel from the mail's link.
#[component]
pub fn CancelLinkPage() -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get("jeton").unwrap_or_default());
    let for_load = token.clone();
    let target = Resource::new_blocking(move || for_load.clone(), load_cancel_link);
    view! {
        <Title text="Annuler mon inscription" />
        <h1>"Annuler mon inscription"</h1>
        <Suspense>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match target.await {
                        Ok(target) => view! {
                            <p>{format!("Bonjour {}, voulez-vous annuler votre inscription à « {} » ? Votre place ira à la personne suivante sur la liste d'attente.", target.name, target.title)}</p>
                            <form method="post" action=CancelByLink::action(&[]) class="stack-form"
                                id="annuler" data-fn=CancelByLink::PATH>
                                <FormErrors />
                                <input type="hidden" name="token" value=token />
                                <button type="submit">"Oui, annuler mon inscription"</button>
                            </form>
                            <p><a href=format!("/evenements/{}", target.slug)>"Non, revenir à l'événement"</a></p>
                        }.into_any(),
                        Err(error) => view! { <LinkProblem error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn LinkProblem(error: AppError) -> impl IntoView {
    crate::ui::error::set_status(error.status_code());
    let message = match &error {
        AppError::Conflict(message) => message.clone(),
        _ => {
            "Ce lien n'est pas (ou plus) valable. Il a peut-être déjà servi, ou expiré.".to_owned()
        }
    };
    view! {
        <FormErrors />
        <p class="notice">{message}</p>
        <p><a href="/evenements">"Voir les événements"</a></p>
    }
}
