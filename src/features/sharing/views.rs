//! The shared means' pages: the list, the form to offer or look for a mean, a mean's page with
//! its bookings.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::api::{
    DecideBooking, MeanFormData, MeanPage, ProposeMean, RequestBooking, SHARING_NOTICES, load_mean,
    load_mean_form, load_means,
};
use super::model::{BookingStatus, DIRECTIONS, KINDS, TERMS, label_of};
use crate::error::AppError;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::{Choice, Field, FormErrors, FormPath, TextArea};
use crate::ui::href::login_then;
use crate::ui::meta::Description;
use crate::ui::notice::Notice;

/// The table's options, after a first one meaning « any » when given.
fn options(table: &[(&str, &str)], first: Option<&str>) -> Vec<(String, String)> {
    first
        .map(|label| (String::new(), label.to_owned()))
        .into_iter()
        .chain(crate::text::choices::options(table))
        .collect()
}

use super::mails::period;

/// `/moyens?type=…&sens=…`.
#[component]
pub fn MeansPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        query.with(|q| {
            (
                q.get("type").unwrap_or_default(),
                q.get("sens").unwrap_or_default(),
            )
        })
    };
    let list = Resource::new_blocking(filters, |(kind, direction)| load_means(kind, direction));
    view! {
        <Title text="Moyens partagés entre structures" />
        <Description text="Salles, véhicules, matériel et compétences que les structures de l'ESS du territoire se prêtent ou cherchent." />
        <h1>"Moyens partagés"</h1>
        <p class="lead">"Les structures de l'ESS du territoire se prêtent des salles, des véhicules, du matériel et des compétences. Proposez ce que vous pouvez partager, dites ce que vous cherchez, réservez ce dont vous avez besoin."</p>
        <Suspense>
            {move || Suspend::new(async move {
                let (kind, direction) = filters();
                match list.await {
                    Ok(list) => {
                        let rows = list.means.into_iter().map(|mean| {
                            let what = format!("{} · {} · {}", label_of(DIRECTIONS, &mean.direction), label_of(KINDS, &mean.kind), label_of(TERMS, &mean.terms));
                            view! {
                                <li class="card">
                                    <h2><a href=format!("/moyens/{}", mean.id)>{mean.title.clone()}</a></h2>
                                    <p class="meta">{what}</p>
                                    <p>{mean.structure_name.clone()}" — "{mean.commune.clone()}</p>
                                </li>
                            }
                        }).collect_view();
                        view! {
                            <form method="get" action="/moyens" class="filters" aria-label="Filtrer les moyens">
                                <div class="field">
                                    <label for="type">"Ce qui est partagé"</label>
                                    <select id="type" name="type">
                                        {options(KINDS, Some("Tout")).into_iter().map(|(v, l)| { let selected = v == kind; view! { <option value=v selected=selected>{l}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="sens">"Offres ou recherches"</label>
                                    <select id="sens" name="sens">
                                        {options(DIRECTIONS, Some("Les deux")).into_iter().map(|(v, l)| { let selected = v == direction; view! { <option value=v selected=selected>{l}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit">"Afficher"</button>
                            </form>
                            <p><a href="/moyens/proposer">"Proposer ou chercher un moyen"</a>
                                {(!list.logged_in).then_some(" (pour les gestionnaires d'une fiche de l'annuaire, connectés)")}</p>
                            <ul class="cards">{rows}</ul>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/moyens/proposer`.
#[component]
pub fn NewMeanPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_mean_form());
    view! {
        <Title text="Proposer ou chercher un moyen" />
        <p class="breadcrumb"><a href="/moyens">"← Moyens partagés"</a></p>
        <h1>"Proposer ou chercher un moyen"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) if data.structures.is_empty() => view! {
                        <p>"Pour proposer un moyen au nom d'une structure, il faut gérer sa fiche dans "<a href="/annuaire">"l'annuaire"</a>" : demandez-le depuis la fiche de votre structure."</p>
                    }.into_any(),
                    Ok(data) => view! { <MeanFormView data /> }.into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <p>"Pour proposer un moyen, "<a href=login_then("/moyens/proposer")>"connectez-vous"</a>"."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MeanFormView(data: MeanFormData) -> impl IntoView {
    let structures: Vec<(String, String)> = data.structures;
    let mut communes = vec![(String::new(), "Celle de la structure".to_owned())];
    communes.extend(data.communes);
    view! {
        <Enhance>
            <form method="post" action=ProposeMean::action(&[]) class="stack-form wide" id="formulaire-moyen" data-fn=ProposeMean::PATH>
                <FormErrors />
                <Choice name="structure" label="Structure" options=structures />
                <Choice name="direction" label="Vous…" options=options(DIRECTIONS, None) />
                <Choice name="kind" label="Ce qui est partagé" options=options(KINDS, None) />
                <Field name="title" label="Titre" hint="Par exemple : Salle de réunion de 30 places, Camion 12 m³, Aide à la comptabilité." />
                <TextArea name="description" label="Description" hint="Ce que c'est, quand, comment le récupérer." />
                <Choice name="commune" label="Commune" options=communes />
                <Choice name="terms" label="Conditions" options=options(TERMS, None) />
                <button type="submit">"Publier"</button>
            </form>
        </Enhance>
    }
}

/// `/moyens/{id}`.
#[component]
pub fn MeanPageView() -> impl IntoView {
    let id = crate::ui::href::route_id();
    let page = Resource::new_blocking(id, load_mean);
    view! {
        <p class="breadcrumb"><a href="/moyens">"← Moyens partagés"</a></p>
        <Notice known=SHARING_NOTICES />
        <Suspense>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <MeanView page /> }.into_any(),
                    Err(error) => view! { <Title text="Moyen introuvable" /><ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MeanView(page: MeanPage) -> impl IntoView {
    let mean = page.mean;
    let id = mean.id.to_string();
    let back = format!("/moyens/{id}");
    let offer = mean.direction == "offre";
    let what = format!(
        "{} · {} · {}",
        label_of(DIRECTIONS, &mean.direction),
        label_of(KINDS, &mean.kind),
        label_of(TERMS, &mean.terms)
    );
    let owner = page.owner;
    let calendars = page.calendars;
    let taken = page
        .bookings
        .iter()
        .filter(|b| b.status == BookingStatus::Accepted.as_str())
        .map(|b| {
            let who = (!b.structure_name.is_empty()).then(|| format!(" — {}", b.structure_name));
            let file = calendars.contains(&b.id).then(|| {
                view! { " — "<a href=format!("/moyens/reservations/{}/calendrier.ics", b.id) download="reservation.ics">"ajouter à l'agenda (.ics)"</a> }
            });
            view! { <li>{period(&b.first_day, &b.last_day)}{who}{file}</li> }
        })
        .collect_view();
    let other_side = if offer {
        "Des structures cherchent un moyen de ce type"
    } else {
        "Des structures proposent un moyen de ce type"
    };
    let matches = page.matches;
    let has_matches = !matches.is_empty();
    let matches = matches
        .into_iter()
        .map(|m| {
            view! { <li><a href=format!("/moyens/{}", m.id)>{m.title.clone()}</a>" — "{m.structure_name.clone()}", "{m.commune.clone()}</li> }
        })
        .collect_view();
    let no_taken = !page
        .bookings
        .iter()
        .any(|b| b.status == BookingStatus::Accepted.as_str());
    let pending = page
        .bookings
        .iter()
        .filter(|b| b.status == BookingStatus::Pending.as_str())
        .map(|b| {
            let booking = b.id.to_string();
            let back = back.clone();
            view! {
                <li>
                    <p><strong>{b.structure_name.clone()}</strong>" demande ce moyen "{period(&b.first_day, &b.last_day)}"."</p>
                    {(!b.message.is_empty()).then(|| view! { <blockquote>{b.message.clone()}</blockquote> })}
                    <form method="post" action=DecideBooking::action(&[&booking]) class="inline-form"
                        id=format!("reservation-{booking}") data-fn=DecideBooking::PATH>
                        <input type="hidden" name="booking" value=booking.clone() />
                        <input type="hidden" name="retour" value=back />
                        <button type="submit" name="decision" value="accepter">"Accepter"</button>
                        " "
                        <button type="submit" name="decision" value="refuser" class="secondary">"Refuser"</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let has_pending = page
        .bookings
        .iter()
        .any(|b| b.status == BookingStatus::Pending.as_str());
    let mine = page.mine;
    let can_book = offer && !mine.is_empty();
    let login = login_then(&back);
    view! {
        <Title text=mean.title.clone() />
        <Description text=format!("{} : {}, proposé par {}.", mean.title, what, mean.structure_name) />
        <h1>{mean.title.clone()}</h1>
        <p class="meta">{what}</p>
        <p>"Structure : "<a href=format!("/annuaire/{}", mean.structure_slug)>{mean.structure_name.clone()}</a>" — "{mean.commune.clone()}</p>
        {(!mean.description.is_empty()).then(|| view! { <p class="prose">{mean.description.clone()}</p> })}
        {offer.then(|| view! {
            <h2>"Jours déjà réservés"</h2>
            {if no_taken { view! { <p>"Aucun pour l'instant."</p> }.into_any() } else { view! { <ul>{taken}</ul> }.into_any() }}
        })}
        {(owner && has_pending).then(|| view! {
            <h2>"Demandes en attente"</h2>
            // A refused decision (the days overlap, or someone answered first) comes back here.
            <FormErrors />
            <Enhance><ul class="requests">{pending}</ul></Enhance>
        })}
        {can_book.then(|| view! {
            <h2>"Demander à réserver"</h2>
            <Enhance>
                <form method="post" action=RequestBooking::action(&[&id]) class="stack-form" id="formulaire-reservation" data-fn=RequestBooking::PATH>
                    <FormErrors />
                    <input type="hidden" name="mean" value=id.clone() />
                    <Choice name="structure" label="Pour la structure" options=mine />
                    <Field name="first_day" label="Premier jour" kind="date" />
                    <Field name="last_day" label="Dernier jour" kind="date" required=false hint="Laissez vide pour un seul jour." />
                    <TextArea name="message" label="Message à la structure" hint="L'usage prévu, l'heure de retrait, une question." />
                    <button type="submit">"Envoyer la demande"</button>
                </form>
            </Enhance>
        })}
        {has_matches.then(|| view! {
            <h2>{other_side}</h2>
            <ul>{matches}</ul>
        })}
        {(offer && !page.logged_in).then(|| view! {
            <p>"Pour réserver au nom de votre structure, "<a href=login>"connectez-vous"</a>"."</p>
        })}
    }
}
