//! The fair's page: stands and meeting slots.

use crate::error::AppError;
use crate::features::purchasing::Fair;
use crate::features::purchasing::PURCHASING_NOTICES;
use crate::features::purchasing::fair::AddStand;
use crate::features::purchasing::fair::BookMeeting;
use crate::features::purchasing::fair::OpenSlots;
use crate::features::purchasing::fair::load_fair;
use crate::features::purchasing::views::hour;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::Choice;
use crate::ui::form::Field;
use crate::ui::form::FormErrors;
use crate::ui::form::FormPath;
use crate::ui::href::login_then;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

/// `/evenements/{slug}/rendez-vous`: the fair's one-to-one meetings.
#[component]
pub fn FairPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let fair = Resource::new_blocking(slug, load_fair);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let here = format!("/evenements/{}/rendez-vous", slug());
                match fair.await {
                    Ok(fair) => view! { <FairView fair /> }.into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <Title text="Rendez-vous d'affaires" />
                        <h1>"Rendez-vous d'affaires"</h1>
                        <p><a href=login_then(&here)>"Connectez-vous"</a>" pour voir cet événement."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FairView(fair: Fair) -> impl IntoView {
    let here = BookMeeting::action(&[&fair.slug]);
    let title = format!("Rendez-vous d'affaires : {}", fair.title);
    let free_slots: Vec<(String, String)> = fair
        .slots
        .iter()
        .filter(|(id, _, _, _)| !fair.busy.contains(id))
        .map(|(id, starts, ends, _)| {
            (
                id.to_string(),
                format!("{} – {}", hour(*starts), hour(*ends)),
            )
        })
        .collect();
    let stands: Vec<(String, String)> = fair
        .stands
        .iter()
        .map(|(id, _, name)| (id.to_string(), name.clone()))
        .collect();
    let (book_here, book_slug, login_here) = (here.clone(), fair.slug.clone(), here.clone());
    let booking = match (&fair.buyer, fair.logged_in) {
        (Some(buyer), _) if !fair.slots.is_empty() && !fair.stands.is_empty() => view! {
            <section aria-labelledby="reserver">
                <h2 id="reserver">"Réserver un rendez-vous"</h2>
                <p>{format!("Pour {}. Un créneau déjà pris par la structure vous sera signalé.", buyer.organisation)}</p>
                <Enhance>
                    <form method="post" action=book_here class="stack-form" id="formulaire-rendez-vous" data-fn=BookMeeting::PATH data-refresh="#programme,#creneaux">
                        <FormErrors />
                        <input type="hidden" name="slug" value=book_slug />
                        <Choice name="structure" label="Structure (stand)" options=stands />
                        <Choice name="slot" label="Créneau" options=free_slots />
                        <button type="submit">"Réserver"</button>
                    </form>
                </Enhance>
            </section>
        }.into_any(),
        (Some(_), _) => view! { <p>"Les créneaux et les stands ne sont pas encore ouverts."</p> }.into_any(),
        (None, true) => view! {
            <p>"Les rendez-vous se réservent par les acheteurs : "<a href="/achats/nouveau">"indiquez pour quelle organisation vous achetez"</a>"."</p>
        }.into_any(),
        (None, false) => view! {
            <p>"Acheteur ? "<a href=login_then(&login_here)>"Connectez-vous"</a>" pour réserver un rendez-vous avec une structure exposante."</p>
        }.into_any(),
    };
    view! {
        <Title text=title.clone() />
        <p class="breadcrumb"><a href=format!("/evenements/{}", fair.slug)>{format!("← {}", fair.title)}</a></p>
        <h1>{title}</h1>
        <Notice known=PURCHASING_NOTICES />
        <p class="lead">{format!("Le {}, les acheteurs rencontrent en tête-à-tête les structures de l'ESS qui tiennent un stand.", fair.starts_at.french_date())}</p>
        <section aria-labelledby="programme-titre" id="programme" tabindex="-1">
            <h2 id="programme-titre">"Mon programme"</h2>
            {fair.schedule.is_empty().then(|| view! { <p>"Aucun rendez-vous pour vous à ce salon."</p> })}
            <ul class="requests">
                {fair.schedule.into_iter().map(|m| view! {
                    <li>{format!("{} – {} : {} avec ", hour(m.starts_at), hour(m.ends_at), m.buyer)}
                        <a href=format!("/annuaire/{}", m.structure_slug)>{m.structure}</a></li>
                }).collect_view()}
            </ul>
        </section>
        {booking}
        <section aria-labelledby="exposants">
            <h2 id="exposants">{format!("Structures exposantes ({})", fair.stands.len())}</h2>
            <ul class="result-list">
                {fair.stands.iter().map(|(_, slug, name)| view! {
                    <li><a href=format!("/annuaire/{slug}")>{name.clone()}</a></li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="creneaux-titre" id="creneaux" tabindex="-1">
            <h2 id="creneaux-titre">{format!("Créneaux ({})", fair.slots.len())}</h2>
            <ul class="days">
                {fair.slots.iter().map(|(_, starts, ends, booked)| view! {
                    <li>{format!("{} – {} · {booked} rendez-vous réservé(s)", hour(*starts), hour(*ends))}</li>
                }).collect_view()}
            </ul>
        </section>
        {fair.organiser.then(|| view! {
            <section aria-labelledby="organiser">
                <h2 id="organiser">"Organiser les rendez-vous"</h2>
                <Enhance>
                <form method="post" action=OpenSlots::action(&[&fair.slug]) class="stack-form" id="formulaire-creneaux" data-fn=OpenSlots::PATH>
                    <FormErrors />
                    <input type="hidden" name="slug" value=fair.slug.clone() />
                    <Field name="start_time" label="Premier créneau à" kind="time" value="10:00" />
                    <Field name="end_time" label="Dernier créneau fini à" kind="time" value="17:00" />
                    <Field name="minutes" label="Durée d'un créneau (minutes)" kind="number" value="20" />
                    <button type="submit">"Ouvrir les créneaux"</button>
                </form>
                <form method="post" action=AddStand::action(&[&fair.slug]) class="stack-form" id="formulaire-stand" data-fn=AddStand::PATH>
                    <input type="hidden" name="slug" value=fair.slug.clone() />
                    <Field name="exposant" label="Structure exposante" hint="Son nom exact, ou l'adresse de sa fiche (…/annuaire/…)." />
                    <button type="submit">"Ajouter l'exposant"</button>
                </form>
                </Enhance>
            </section>
        })}
    }
}
