//! The organisers' page and the printable list.

use super::refused;
use super::slug_param;
use crate::features::events::Attendee;
use crate::features::events::EVENT_NOTICES;
use crate::features::events::Management;
use crate::features::events::RegistrationStatus;
use crate::features::events::cancellation::CancelRegistration;
use crate::features::events::management::SetOpening;
use crate::features::events::management::load_management;
use crate::ui::enhance::Enhance;
use crate::ui::form::FormPath;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

/// `/evenements/{slug}/gestion`: registrations, waitlist, closing, export.
#[component]
pub fn ManagementPage() -> impl IntoView {
    let slug = slug_param();
    let for_load = slug.clone();
    let data = Resource::new_blocking(move || for_load.clone(), load_management);
    view! {
        <Title text="Inscriptions" />
        <Suspense>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <Management data /> }.into_any(),
                        Err(error) => refused(error, &format!("/evenements/{slug}/gestion")),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Management(data: Management) -> impl IntoView {
    let event = data.event.clone();
    let base = format!("/evenements/{}", event.slug);
    let here = format!("{base}/gestion");
    let (confirmed, others): (Vec<Attendee>, Vec<Attendee>) = data
        .attendees
        .clone()
        .into_iter()
        .partition(|a| a.status == RegistrationStatus::Confirmed);
    let (waiting, pending): (Vec<Attendee>, Vec<Attendee>) = others
        .into_iter()
        .partition(|a| a.status == RegistrationStatus::Waitlisted);
    let closed = event.registration_closed;
    let capacity = event
        .capacity
        .map_or("sans limite".to_owned(), |c| format!("{c} places"));
    view! {
        <p class="breadcrumb"><a href=base.clone()>"← Retour à l'événement"</a></p>
        <h1>{format!("Inscriptions : {}", event.title)}</h1>
        <Notice known=EVENT_NOTICES />
        <p class="count">{format!("{} inscrit·es ({capacity}), {} sur liste d'attente, {} en attente de confirmation d'adresse.", confirmed.len(), waiting.len(), pending.len())}</p>
        <nav class="organiser-links" aria-label="Organisation">
            <a href=format!("{base}/accueil")>"Accueil le jour J"</a>
            <a href=format!("{base}/liste")>"Liste à imprimer"</a>
            <a href=format!("{base}/inscrits.csv") download=format!("inscrits-{}.csv", event.slug)>"Exporter (CSV)"</a>
            <a href=format!("{base}/modifier")>"Modifier l'événement"</a>
        </nav>
        <form method="post" action=SetOpening::action(&[&event.slug]) class="inline-form">
            <input type="hidden" name="slug" value=event.slug.clone() />
            {if closed {
                view! { <button type="submit" name="opening" value="ouvrir">"Rouvrir les inscriptions"</button> }.into_any()
            } else {
                view! { <button type="submit" name="opening" value="fermer" class="secondary">"Fermer les inscriptions"</button> }.into_any()
            }}
        </form>
        <Enhance>
            <div id="liste-inscrits">
                <AttendeeTable caption="Inscrit·es" attendees=confirmed back=here.clone() />
                <AttendeeTable caption="Liste d'attente (dans l'ordre)" attendees=waiting back=here.clone() />
                <AttendeeTable caption="En attente de confirmation de l'adresse" attendees=pending back=here.clone() />
            </div>
        </Enhance>
    }
}

#[component]
fn AttendeeTable(caption: &'static str, attendees: Vec<Attendee>, back: String) -> impl IntoView {
    if attendees.is_empty() {
        return view! { <h2>{caption}</h2><p>"Personne."</p> }.into_any();
    }
    view! {
        <h2>{caption}</h2>
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"N°"</th>
                        <th scope="col">"Nom"</th>
                        <th scope="col">"Structure"</th>
                        <th scope="col">"Ateliers"</th>
                        <th scope="col">"Réponses"</th>
                        <th scope="col"><span class="visually-hidden">"Action"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {attendees.into_iter().enumerate().map(|(n, a)| {
                        let back = back.clone();
                        view! {
                            <tr>
                                <td>{n + 1}</td>
                                <td>{a.name.clone()}<br /><span class="muted">{a.email.clone()}</span></td>
                                <td>{a.structure.clone()}</td>
                                <td>{a.sessions.join(", ")}</td>
                                <td>{a.answers.iter().map(|(q, r)| format!("{q} : {r}")).collect::<Vec<_>>().join(" ; ")}</td>
                                <td>
                                    <form method="post" action=CancelRegistration::action(&[&a.id.to_string()]) class="inline-form"
                                        id=format!("annuler-{}", a.id) data-fn=CancelRegistration::PATH data-refresh="#liste-inscrits">
                                        <input type="hidden" name="registration" value=a.id />
                                        <input type="hidden" name="retour" value=back />
                                        <button type="submit" class="secondary">"Annuler"<span class="visually-hidden">{format!(" l'inscription de {}", a.name)}</span></button>
                                    </form>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// `/evenements/{slug}/liste`: the attendee list to print (signature column).
#[component]
pub fn PrintListPage() -> impl IntoView {
    let slug = slug_param();
    let for_load = slug.clone();
    let data = Resource::new_blocking(move || for_load.clone(), load_management);
    view! {
        <Title text="Liste des participants" />
        <Suspense>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(data) => {
                            let event = data.event.clone();
                            let people: Vec<Attendee> = data.attendees.into_iter()
                                .filter(|a| a.status == RegistrationStatus::Confirmed).collect();
                            view! {
                                <h1>{event.title.clone()}</h1>
                                <p>{super::when(event.starts_at, event.ends_at)}" — "{format!("{} participant·es", people.len())}</p>
                                <table class="print-list">
                                    <thead><tr>
                                        <th scope="col">"Nom"</th><th scope="col">"Structure"</th>
                                        <th scope="col">"Ateliers"</th><th scope="col">"Signature"</th>
                                    </tr></thead>
                                    <tbody>
                                        {people.into_iter().map(|a| view! {
                                            <tr><td>{a.name}</td><td>{a.structure}</td><td>{a.sessions.join(", ")}</td><td class="signature"></td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }
                        Err(error) => refused(error, &format!("/evenements/{slug}/liste")),
                    }
                })
            }}
        </Suspense>
    }
}
