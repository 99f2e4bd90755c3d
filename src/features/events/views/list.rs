//! « Événements »: the list and its filters.

use super::PAGE_TITLE;
use super::place_line;
use super::when;
use crate::features::events::EventKind;
use crate::features::events::EventList;
use crate::features::events::EventSummary;
use crate::features::events::ListParams;
use crate::features::events::listing::list_events;
use crate::ui::error::ErrorPage;
use crate::ui::meta::Description;
use crate::ui::pagination::Pagination;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/evenements`: upcoming events (or the archive), filtered by kind, territory and month.
#[component]
pub fn EventsPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        query.with(|map| ListParams::from_pairs(map.into_iter().map(|(k, v)| (k.as_ref(), v))))
    };
    let list = Resource::new_blocking(params, list_events);
    view! {
        <Title text=PAGE_TITLE />
        <Description text="Les événements de l'économie sociale et solidaire du territoire : salons, ateliers, tables rondes, Mois de l'ESS, réunions de clubs. Inscription en ligne." />
        <h1>{PAGE_TITLE}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                let params = params();
                match list.await {
                    Ok(list) => view! { <EventList params list /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EventList(params: ListParams, list: EventList) -> impl IntoView {
    let pages = list.page_count();
    let heading = match (params.past, list.total) {
        (false, 0) => "Aucun événement à venir".to_owned(),
        (true, 0) => "Aucun événement passé".to_owned(),
        (false, 1) => "1 événement à venir".to_owned(),
        (true, 1) => "1 événement passé".to_owned(),
        (false, n) => format!("{n} événements à venir"),
        (true, n) => format!("{n} événements passés"),
    };
    let switch = ListParams {
        past: !params.past,
        page: 1,
        ..params.clone()
    };
    let switch_label = if params.past {
        "Voir les événements à venir"
    } else {
        "Voir les événements passés"
    };
    let feed = ListParams {
        page: 1,
        past: false,
        ..params.clone()
    }
    .href("/evenements.ics");
    let kind = params.kind.clone().unwrap_or_default();
    let territory = params.territory.clone().unwrap_or_default();
    let month = params.month.clone().unwrap_or_default();
    let page_params = params.clone();
    view! {
        <form method="get" action="/evenements" class="filters" aria-label="Filtrer les événements">
            <div class="field">
                <label for="filtre-type">"Type"</label>
                <select id="filtre-type" name="type">
                    <option value="" selected=kind.is_empty()>"Tous les types"</option>
                    {EventKind::ALL.into_iter().map(|k| view! {
                        <option value=k.slug() selected=kind == k.slug()>{k.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filtre-territoire">"Territoire"</label>
                <select id="filtre-territoire" name="territoire">
                    <option value="" selected=territory.is_empty()>"Tous les territoires"</option>
                    {list.territories.into_iter().map(|(slug, name)| {
                        let selected = territory == slug;
                        view! { <option value=slug selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filtre-mois">"Mois"</label>
                <input id="filtre-mois" name="mois" type="month" value=month />
            </div>
            {params.past.then(|| view! { <input type="hidden" name="passes" value="1" /> })}
            <button type="submit">"Filtrer"</button>
        </form>
        <p class="list-links">
            {list.may_create.then(|| view! { <a href="/evenements/nouveau">"Créer un événement"</a>" · " })}
            <a href=switch.href("/evenements")>{switch_label}</a>
            " · "
            <a href=feed>"S'abonner au calendrier (.ics)"</a>
        </p>
        <section aria-labelledby="liste-evenements">
            <h2 id="liste-evenements">{heading}</h2>
            <ol class="result-list event-list">
                {list.items.into_iter().map(|item| view! { <EventItem item /> }).collect_view()}
            </ol>
            <Pagination page=list.page pages href=move |n| page_params.with_page(n).href("/evenements") />
        </section>
    }
}

#[component]
fn EventItem(item: EventSummary) -> impl IntoView {
    let href = format!("/evenements/{}", item.slug);
    let place = place_line(&item.place, &item.commune, item.online);
    let seats = match item.seats_left {
        Some(0) => Some("Complet — liste d'attente".to_owned()),
        Some(1) => Some("1 place restante".to_owned()),
        Some(n) => Some(format!("{n} places restantes")),
        None => None,
    };
    view! {
        <li class="result event">
            <p class="event-date">
                <time datetime=item.starts_at.to_string()>{when(item.starts_at, item.ends_at)}</time>
            </p>
            <h3><a href=href>{item.title}</a></h3>
            <p class="meta">
                {item.kind.label()}
                {(!place.is_empty()).then(|| format!(" · {place}"))}
                {item.members_only.then_some(" · Réservé aux membres")}
            </p>
            {seats.map(|s| view! { <p class="seats">{s}</p> })}
        </li>
    }
}
