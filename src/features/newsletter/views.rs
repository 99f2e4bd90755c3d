//! The newsletter's pages: `/lettre` (subscribe), `/lettre/confirmer`, `/lettre/desinscription`
//! and, for editors, `/lettre/abonnes`.

use super::subscription::{
    ConfirmSubscription, NEWSLETTER_NOTICES, Subscribe, Unsubscribe, load_confirmation,
    load_subscriber_counts, load_territories, load_unsubscription,
};
use crate::error::AppError;
use crate::ui::error::ErrorPage;
use crate::ui::form::{Choice, Field, FormErrors, FormPath};
use crate::ui::href::login_then;
use crate::ui::meta::Description;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/lettre`: what the letter holds, and the form.
#[component]
pub fn NewsletterPage() -> impl IntoView {
    let territories = Resource::new_blocking(|| (), |_| load_territories());
    view! {
        <Title text="Lettre d'information" />
        <Description text="Recevez chaque semaine ou chaque mois les nouvelles actualités et les prochains événements de l'économie sociale et solidaire du territoire." />
        <h1>"Lettre d'information"</h1>
        <Notice known=NEWSLETTER_NOTICES />
        <p>"Chaque semaine ou chaque mois, selon votre choix : les actualités publiées depuis la lettre précédente et les événements publics des deux mois à venir, sur tout le territoire ou près de chez vous. Un lien dans chaque lettre vous désabonne en un clic."</p>
        <Suspense>
            {move || Suspend::new(async move {
                let mut choices = vec![(String::new(), "Tout le territoire".to_owned())];
                choices.extend(territories.await.unwrap_or_default());
                view! {
                    <FormErrors />
                    <form method="post" action=Subscribe::action(&[]) class="stack-form" id="abonnement">
                        <Field name="email" label="Votre adresse e-mail" kind="email" autocomplete="email"
                            hint="Un courriel vous demandera de confirmer : rien n'est envoyé avant." />
                        <Choice name="frequence" label="Fréquence"
                            options=vec![("hebdomadaire".to_owned(), "Une lettre par semaine".to_owned()), ("mensuelle".to_owned(), "Une lettre par mois".to_owned())] />
                        <Choice name="territoire" label="Territoire des événements" options=choices />
                        <button type="submit">"Je m'abonne"</button>
                    </form>
                    <p class="meta">"Ce que nous gardons et pourquoi : "<a href="/donnees-personnelles">"données personnelles"</a>"."</p>
                }
            })}
        </Suspense>
    }
}

/// The page behind a mailed link: the address it concerns and one button.
#[component]
fn LinkPage(
    title: &'static str,
    sentence: &'static str,
    button: &'static str,
    action: String,
    resource: Resource<Result<String, AppError>>,
) -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get("jeton").unwrap_or_default());
    view! {
        <Title text=title />
        <h1>{title}</h1>
        <Suspense>
            {move || {
                let (token, action) = (token.clone(), action.clone());
                Suspend::new(async move {
                    match resource.await {
                        Ok(email) => view! {
                            <p>{format!("{sentence} {email}.")}</p>
                            <FormErrors />
                            <form method="post" action=action class="stack-form">
                                <input type="hidden" name="token" value=token />
                                <button type="submit">{button}</button>
                            </form>
                        }.into_any(),
                        Err(error) => {
                            crate::ui::error::set_status(error.status_code());
                            view! {
                                <FormErrors />
                                <p class="notice">"Ce lien n'est pas (ou plus) valable : il a peut-être déjà servi, ou expiré."</p>
                                <p><a href="/lettre">"La lettre d'information"</a></p>
                            }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// `/lettre/confirmer?jeton=…`
#[component]
pub fn ConfirmSubscriptionPage() -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get("jeton").unwrap_or_default());
    let resource = Resource::new_blocking(move || token.clone(), load_confirmation);
    view! {
        <LinkPage title="Confirmer mon abonnement" sentence="Vous allez recevoir la lettre de DESSINE à l'adresse"
            button="Confirmer mon abonnement" action=ConfirmSubscription::action(&[]) resource />
    }
}

/// `/lettre/desinscription?jeton=…`
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get("jeton").unwrap_or_default());
    let resource = Resource::new_blocking(move || token.clone(), load_unsubscription);
    view! {
        <LinkPage title="Me désabonner" sentence="Plus aucune lettre ne sera envoyée à l'adresse"
            button="Me désabonner" action=Unsubscribe::action(&[]) resource />
    }
}

/// `/lettre/abonnes`: how many confirmed subscribers, by territory (editors).
#[component]
pub fn SubscribersPage() -> impl IntoView {
    let counts = Resource::new_blocking(|| (), |_| load_subscriber_counts());
    view! {
        <Title text="Abonnés à la lettre" />
        <p class="breadcrumb"><a href="/redaction">"← Rédaction"</a></p>
        <h1>"Abonnés à la lettre"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match counts.await {
                    Ok(rows) if rows.is_empty() => view! { <p>"Aucun abonné confirmé pour l'instant."</p> }.into_any(),
                    Ok(rows) => view! {
                        <table class="report">
                            <caption>"Abonnés confirmés, par territoire et fréquence"</caption>
                            <thead><tr><th scope="col">"Territoire"</th><th scope="col">"Lettre"</th><th scope="col">"Abonnés"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|(territory, frequency, count)| view! {
                                    <tr><th scope="row">{territory}</th><td>{frequency}</td><td>{count}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <p><a href=login_then("/lettre/abonnes")>"Connectez-vous"</a>" avec un compte de rédaction."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
