//! « Mes inscriptions ».

use crate::features::events::EVENT_NOTICES;
use crate::features::events::MyRegistration;
use crate::features::events::RegistrationStatus;
use crate::features::events::cancellation::CancelRegistration;
use crate::features::events::registration::load_my_registrations;
use crate::ui::enhance::Enhance;
use crate::ui::form::FormPath;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use server_fn::ServerFn;

/// « Mes inscriptions », on `/compte`: upcoming and past registrations, waitlist positions,
/// cancellation.
#[component]
pub fn MyRegistrations() -> impl IntoView {
    let list = Resource::new_blocking(|| (), |_| load_my_registrations());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => {
                        let (upcoming, past): (Vec<_>, Vec<_>) = list.into_iter().partition(|r| !r.past);
                        view! {
                            <section aria-labelledby="mes-inscriptions" id="mes-inscriptions-section">
                                <h2 id="mes-inscriptions">"Mes inscriptions"</h2>
                                <Notice known=EVENT_NOTICES />
                                {if upcoming.is_empty() {
                                    view! { <p>"Aucune inscription à venir. "<a href="/evenements">"Voir les événements"</a></p> }.into_any()
                                } else {
                                    view! {
                                        <Enhance>
                                            <ul class="my-registrations">
                                                {upcoming.into_iter().map(|r| view! { <MyRegistrationLine registration=r /> }).collect_view()}
                                            </ul>
                                        </Enhance>
                                    }.into_any()
                                }}
                                {(!past.is_empty()).then(|| view! {
                                    <h3>"Événements passés"</h3>
                                    <ul>
                                        {past.into_iter().map(|r| view! {
                                            <li><a href=format!("/evenements/{}", r.slug)>{r.title}</a>" — "{r.starts_at.french_date()}</li>
                                        }).collect_view()}
                                    </ul>
                                })}
                            </section>
                        }.into_any()
                    }
                    Err(_) => ().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MyRegistrationLine(registration: MyRegistration) -> impl IntoView {
    let status = match (registration.status, registration.waitlist_position) {
        (RegistrationStatus::Waitlisted, Some(p)) => format!("liste d'attente, position {p}"),
        (status, _) => status.label().to_owned(),
    };
    view! {
        <li>
            <a href=format!("/evenements/{}", registration.slug)>{registration.title.clone()}</a>
            " — "{registration.starts_at.french_date_time()}" — "<strong>{status}</strong>
            <form method="post" action=CancelRegistration::action(&[&registration.id.to_string()]) class="inline-form"
                id=format!("annuler-{}", registration.id) data-fn=CancelRegistration::PATH data-refresh="#mes-inscriptions-section">
                <input type="hidden" name="registration" value=registration.id />
                <input type="hidden" name="retour" value="/compte" />
                <button type="submit" class="secondary">"Annuler"<span class="visually-hidden">{format!(" l'inscription à {}", registration.title)}</span></button>
            </form>
        </li>
    }
}
