//! An event's page, with its registration box and form.

use super::base_url;
use super::place_line;
use super::when;
use crate::error::AppError;
use crate::features::events::EVENT_NOTICES;
use crate::features::events::EventDetail;
use crate::features::events::EventPage;
use crate::features::events::Openness;
use crate::features::events::QuestionKind;
use crate::features::events::RegistrationStatus;
use crate::features::events::SessionInfo;
use crate::features::events::Visibility;
use crate::features::events::cancellation::CancelRegistration;
use crate::features::events::listing::load_event;
use crate::features::events::registration::RegisterForEvent;
use crate::timestamp::Timestamp;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::Field;
use crate::ui::form::FormErrors;
use crate::ui::form::FormPath;
use crate::ui::form::form_outcome;
use crate::ui::href::login_then;
use crate::ui::meta::Description;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

/// The schema.org `Event` of the page, for search engines.
fn json_ld(event: &EventDetail, base: &str) -> String {
    let location = if event.place_name.is_empty() && !event.online_url.is_empty() {
        serde_json::json!({ "@type": "VirtualLocation", "url": event.online_url })
    } else {
        serde_json::json!({
            "@type": "Place",
            "name": event.place_name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.address,
                "addressLocality": event.commune,
                "addressCountry": "FR",
            },
        })
    };
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description,
        "startDate": event.starts_at.in_paris().format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        "endDate": event.ends_at.in_paris().format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": if event.place_name.is_empty() && !event.online_url.is_empty() {
            "https://schema.org/OnlineEventAttendanceMode"
        } else {
            "https://schema.org/OfflineEventAttendanceMode"
        },
        "location": location,
        "url": format!("{base}/evenements/{}", event.slug),
    });
    if let Some((slug, name)) = &event.organiser {
        value["organizer"] = serde_json::json!({
            "@type": "Organization",
            "name": name,
            "url": format!("{base}/annuaire/{slug}"),
        });
    }
    if let Some(capacity) = event.capacity {
        value["maximumAttendeeCapacity"] = capacity.into();
        value["remainingAttendeeCapacity"] = event.seats_left().unwrap_or(0).into();
    }
    crate::ui::meta::json_ld(&value)
}

/// `/evenements/{slug}`: everything about the event, and its registration.
#[component]
pub fn EventDetailPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let page = Resource::new_blocking(slug, load_event);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let news = crate::features::news::reading::mentions("evenements", slug()).await;
                        view! {
                            <EventView page />
                            <crate::ui::mentions::MentionedIn links=news />
                        }.into_any()
                    }
                    Err(AppError::Unauthorized) => {
                        let here = format!("/evenements/{}", slug());
                        view! {
                            <Title text="Événement réservé aux membres" />
                            <h1>"Événement réservé aux membres"</h1>
                            <p><a href=login_then(&here)>"Connectez-vous"</a>" pour voir cet événement et vous y inscrire."</p>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EventView(page: EventPage) -> impl IntoView {
    let event = page.event.clone();
    let json = json_ld(&event, &base_url());
    let place = place_line(
        &event.place_name,
        &event.commune,
        !event.online_url.is_empty(),
    );
    let seats = match (event.seats_left(), event.is_full()) {
        (_, true) => "Complet — liste d'attente".to_owned(),
        (Some(1), _) => "1 place restante".to_owned(),
        (Some(n), _) => format!("{n} places restantes sur {}", event.capacity.unwrap_or(n)),
        (None, _) => "Places sans limite".to_owned(),
    };
    let manage = page.may_manage.then(|| {
        let base = format!("/evenements/{}", event.slug);
        view! {
            <nav class="organiser-links" aria-label="Organisation">
                <a href=format!("{base}/gestion")>"Inscriptions"</a>
                <a href=format!("{base}/accueil")>"Accueil le jour J"</a>
                <a href=format!("{base}/modifier")>"Modifier l'événement"</a>
            </nav>
        }
    });
    view! {
        <Title text=event.title.clone() />
        <Description text=event.description.clone() />
        <script type="application/ld+json" inner_html=json></script>
        <p class="breadcrumb"><a href="/evenements">"← Tous les événements"</a></p>
        <Notice known=EVENT_NOTICES />
        <article class="event-page">
            <h1>{event.title.clone()}</h1>
            <p class="meta">
                {event.kind.label()}
                {(event.visibility == Visibility::Members).then_some(" · Réservé aux membres")}
            </p>
            {manage}
            <dl class="facts">
                <dt>"Quand"</dt>
                <dd><time datetime=event.starts_at.to_string()>{when(event.starts_at, event.ends_at)}</time></dd>
                {(!place.is_empty()).then(|| view! { <dt>"Où"</dt><dd>{place.clone()}{(!event.address.is_empty()).then(|| format!(" — {}", event.address))}</dd> })}
                {(!event.online_url.is_empty()).then(|| view! {
                    <dt>"En ligne"</dt><dd><a href=event.online_url.clone() rel="nofollow noopener">{event.online_url.clone()}</a></dd>
                })}
                {event.organiser.clone().map(|(slug, name)| view! {
                    <dt>"Organisé par"</dt><dd><a href=format!("/annuaire/{slug}")>{name}</a></dd>
                })}
                <dt>"Places"</dt>
                <dd class="event-seats">{seats}</dd>
            </dl>
            <p><a href=format!("/evenements/{}.ics", event.slug) download=format!("{}.ics", event.slug)>"Ajouter à mon agenda (.ics)"</a></p>
            {(!event.description.is_empty()).then(|| view! {
                <div class="prose">
                    {event.description.split("\n\n").map(|p| view! { <p>{p.to_owned()}</p> }).collect_view()}
                </div>
            })}
            {(!event.sessions.is_empty()).then(|| view! {
                <section aria-labelledby="ateliers">
                    <h2 id="ateliers">"Programme"</h2>
                    <ul class="sessions">
                        {event.sessions.iter().map(|s| view! { <li><SessionLine session=s.clone() /></li> }).collect_view()}
                    </ul>
                </section>
            })}
            <Enhance>
                <RegistrationBox page />
            </Enhance>
        </article>
    }
}

#[component]
fn SessionLine(session: SessionInfo) -> impl IntoView {
    let hour = |t: Timestamp| {
        let l = t.in_paris();
        format!("{} h {:02}", l.hour(), l.minute())
    };
    let seats = match session.seats_left() {
        Some(0) => " — complet, liste d'attente".to_owned(),
        Some(n) => format!(
            " — {n} place{} restante{}",
            if n > 1 { "s" } else { "" },
            if n > 1 { "s" } else { "" }
        ),
        None => String::new(),
    };
    view! {
        <strong>{session.title.clone()}</strong>
        {format!(" · {} – {}", hour(session.starts_at), hour(session.ends_at))}
        {(!session.room.is_empty()).then(|| format!(" · {}", session.room))}
        <span class="muted">{seats}</span>
    }
}

/// The viewer's registration, or the form to register.
#[component]
fn RegistrationBox(page: EventPage) -> impl IntoView {
    let event = page.event;
    let here = format!("/evenements/{}", event.slug);
    let shows_form = page.own.is_none() && page.openness == Openness::Open;
    let body = if let Some(own) = page.own {
        let status = match (own.status, own.waitlist_position) {
            (RegistrationStatus::Waitlisted, Some(p)) => {
                format!("Vous êtes sur la liste d'attente, en position {p}.")
            }
            (RegistrationStatus::Confirmed, _) => "Vous êtes inscrit·e à cet événement.".to_owned(),
            (status, _) => format!("Votre inscription : {}.", status.label()),
        };
        view! {
            <p class="notice">{status}</p>
            {(!own.sessions.is_empty()).then(|| view! {
                <ul>
                    {own.sessions.into_iter().map(|(title, status)| {
                        let state = if status == RegistrationStatus::Waitlisted { " (liste d'attente)" } else { "" };
                        view! { <li>{title}{state}</li> }
                    }).collect_view()}
                </ul>
            })}
            <form method="post" action=CancelRegistration::action(&[&own.id.to_string()]) class="inline-form"
                id="annuler-inscription" data-fn=CancelRegistration::PATH data-refresh="#inscription, .event-seats">
                <input type="hidden" name="registration" value=own.id />
                <input type="hidden" name="retour" value=here.clone() />
                <button type="submit" class="secondary">"Annuler mon inscription"</button>
            </form>
        }
        .into_any()
    } else {
        match page.openness {
            Openness::Open => view! {
                <RegistrationForm event=event.clone() member=page.member structures=page.structures />
            }
            .into_any(),
            Openness::NotYet(at) => view! { <p>{format!("Les inscriptions ouvriront le {}.", at.french_date_time())}</p> }.into_any(),
            Openness::Closed => view! { <p>"Les inscriptions sont fermées."</p> }.into_any(),
            Openness::Over => view! { <p>"Cet événement est passé."</p> }.into_any(),
        }
    };
    view! {
        <section id="inscription" class="registration" aria-labelledby="titre-inscription">
            <h2 id="titre-inscription">"Inscription"</h2>
            // A refused post (already registered, closed meanwhile) says why above what is shown now.
            {(!shows_form).then(|| view! { <FormErrors /> })}
            {body}
        </section>
    }
}

#[component]
fn RegistrationForm(
    event: EventDetail,
    member: Option<String>,
    structures: Vec<(i64, String)>,
) -> impl IntoView {
    let outcome = form_outcome();
    let full = event.is_full();
    let here = format!("/evenements/{}", event.slug);
    let chosen: Vec<String> = outcome
        .values
        .iter()
        .filter(|(k, _)| k == "sessions")
        .map(|(_, v)| v.clone())
        .collect();
    let who = match member {
        Some(name) => {
            let chosen_structure = outcome.value("structure").unwrap_or("").to_owned();
            let structure_error = outcome.error_for("structure").map(str::to_owned);
            view! {
                <p>"Vous vous inscrivez en tant que "<strong>{name}</strong>"."</p>
                {(!structures.is_empty()).then(|| view! {
                    <div class="field" class:has-error=structure_error.is_some()>
                        <label for="champ-structure">"Au titre de la structure"</label>
                        {structure_error.clone().map(|m| view! { <p class="field-error" id="champ-structure-erreur">{m}</p> })}
                        <select id="champ-structure" name="structure"
                            aria-describedby=structure_error.as_ref().map(|_| "champ-structure-erreur")>
                            <option value="">"À titre personnel"</option>
                            {structures.into_iter().map(|(id, name)| {
                                let selected = chosen_structure == id.to_string();
                                view! { <option value=id selected=selected>{name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                })}
            }
            .into_any()
        }
        None => view! {
            <p>
                "Vous avez un compte ? "<a href=login_then(&here)>"Connectez-vous"</a>
                " pour vous inscrire en un clic. Sinon, indiquez votre nom et votre adresse : un e-mail vous demandera de confirmer."
            </p>
            <Field name="name" label="Nom et prénom" autocomplete="name" />
            <Field name="email" label="Adresse e-mail" kind="email" autocomplete="email" />
        }
        .into_any(),
    };
    let sessions_error = outcome.error_for("sessions").map(str::to_owned);
    let answers_error = outcome.error_for("answer").map(str::to_owned);
    let answer_of = |id: i64| -> String {
        let questions: Vec<&str> = outcome
            .values
            .iter()
            .filter(|(k, _)| k == "question")
            .map(|(_, v)| v.as_str())
            .collect();
        let answers: Vec<&str> = outcome
            .values
            .iter()
            .filter(|(k, _)| k == "answer")
            .map(|(_, v)| v.as_str())
            .collect();
        questions
            .iter()
            .position(|q| *q == id.to_string())
            .and_then(|i| answers.get(i))
            .map(|a| (*a).to_owned())
            .unwrap_or_default()
    };
    view! {
        <form method="post" action=RegisterForEvent::action(&[&event.slug]) class="stack-form" id="formulaire-inscription"
            data-fn=RegisterForEvent::PATH data-refresh="#inscription, .event-seats">
            <FormErrors />
            <input type="hidden" name="slug" value=event.slug.clone() />
            {who}
            {(!event.sessions.is_empty()).then(|| view! {
                <fieldset class="field checkbox-group" class:has-error=sessions_error.is_some() id="champ-sessions">
                    <legend>"Ateliers (facultatif, plusieurs choix possibles)"</legend>
                    {sessions_error.clone().map(|m| view! { <p class="field-error">{m}</p> })}
                    <ul>
                        {event.sessions.iter().map(|s| {
                            let id = format!("atelier-{}", s.id);
                            let checked = chosen.contains(&s.id.to_string());
                            view! {
                                <li>
                                    <input type="checkbox" id=id.clone() name="sessions" value=s.id checked=checked />
                                    <label for=id><SessionLine session=s.clone() /></label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </fieldset>
            })}
            {(!event.questions.is_empty()).then(|| view! {
                <fieldset class="field questions" class:has-error=answers_error.is_some() id="champ-answer">
                    <legend>"Quelques questions"</legend>
                    {answers_error.clone().map(|m| view! { <p class="field-error">{m}</p> })}
                    {event.questions.iter().map(|q| {
                        let id = format!("question-{}", q.id);
                        let label = if q.required { format!("{} (obligatoire)", q.label) } else { q.label.clone() };
                        let previous = answer_of(q.id);
                        let input = match q.kind {
                            QuestionKind::Text => view! {
                                <input id=id.clone() name="answer" type="text" maxlength="1000" value=previous required=q.required />
                            }.into_any(),
                            QuestionKind::YesNo => view! {
                                <select id=id.clone() name="answer" required=q.required>
                                    <option value="">"—"</option>
                                    <option value="oui" selected=previous == "oui">"Oui"</option>
                                    <option value="non" selected=previous == "non">"Non"</option>
                                </select>
                            }.into_any(),
                            QuestionKind::Choice => view! {
                                <select id=id.clone() name="answer" required=q.required>
                                    <option value="">"—"</option>
                                    {q.choices.iter().map(|c| {
                                        let selected = previous == *c;
                                        view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
                                    }).collect_view()}
                                </select>
                            }.into_any(),
                        };
                        view! {
                            <div class="field">
                                <input type="hidden" name="question" value=q.id />
                                <label for=id>{label}</label>
                                {input}
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
            })}
            <button type="submit">{if full { "M'inscrire sur la liste d'attente" } else { "M'inscrire" }}</button>
        </form>
    }
}
