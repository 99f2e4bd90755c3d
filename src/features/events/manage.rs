//! The organisers' pages: registrations and waitlist, check-in at the door, the printable list,
//! and the event form with its workshops and questions.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;

use super::api::{CancelRegistration, CheckIn, EventFormData, load_event_form, load_management};
use super::*;
use crate::error::AppError;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::{Field, FormErrors, TextArea, form_outcome};
use crate::ui::href::login_then;
use crate::ui::notice::Notice;

fn slug_param() -> String {
    use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default())
}

/// The page for a visitor who must log in first, or the error.
fn refused(error: AppError, here: &str) -> AnyView {
    match error {
        AppError::Unauthorized => view! {
            <h1>"Connexion nécessaire"</h1>
            <p><a href=login_then(here)>"Connectez-vous"</a>" pour continuer."</p>
        }
        .into_any(),
        error => view! { <ErrorPage error /> }.into_any(),
    }
}

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
        <form method="post" action=format!("{base}/ouverture") class="inline-form">
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
                                    <form method="post" action=format!("/inscriptions/{}/annuler", a.id) class="inline-form"
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

/// `/evenements/{slug}/accueil`: check-in at the door, from a phone. One tap per person marks
/// them present (in place with JavaScript, one post per person without).
#[component]
pub fn CheckInPage() -> impl IntoView {
    let slug = slug_param();
    let for_load = slug.clone();
    let q = use_query_map().with_untracked(|q| q.get("q").unwrap_or_default());
    let data = Resource::new_blocking(move || for_load.clone(), load_management);
    view! {
        <Title text="Accueil des participants" />
        <Suspense>
            {move || {
                let slug = slug.clone();
                let q = q.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <CheckIn data q /> }.into_any(),
                        Err(error) => refused(error, &format!("/evenements/{slug}/accueil")),
                    }
                })
            }}
        </Suspense>
    }
}

fn folded(text: &str) -> String {
    crate::slug::slugify(text)
}

#[component]
fn CheckIn(data: Management, q: String) -> impl IntoView {
    let present = data.present();
    let expected = data.expected();
    let event = data.event;
    let base = format!("/evenements/{}", event.slug);
    let needle = folded(&q);
    let people: Vec<Attendee> = data
        .attendees
        .into_iter()
        .filter(|a| a.status == RegistrationStatus::Confirmed)
        .filter(|a| {
            needle.is_empty()
                || folded(&a.name).contains(&needle)
                || folded(&a.structure).contains(&needle)
                || a.email.contains(&q.to_lowercase())
        })
        .collect();
    let shown = people.len();
    view! {
        <p class="breadcrumb"><a href=format!("{base}/gestion")>"← Inscriptions"</a></p>
        <h1>{format!("Accueil : {}", event.title)}</h1>
        <Notice known=EVENT_NOTICES />
        <p class="checkin-count count" role="status">{format!(
            "{present} {} sur {expected} {}",
            if present > 1 { "présent·es" } else { "présent·e" },
            if expected > 1 { "attendu·es" } else { "attendu·e" }
        )}</p>
        <form method="get" action=format!("{base}/accueil") role="search" class="search-form">
            <label for="q">"Chercher une personne"</label>
            <div class="search-row">
                <input id="q" name="q" type="search" value=q.clone() autocomplete="off" placeholder="Nom, structure…" />
                <button type="submit">"Chercher"</button>
            </div>
        </form>
        {(!q.is_empty()).then(|| view! { <p>{format!("{shown} personne(s) trouvée(s). ")}<a href=format!("{base}/accueil")>"Tout afficher"</a></p> })}
        <Enhance>
            <ul class="checkin-list">
                {people.into_iter().map(|a| {
                    let slug = event.slug.clone();
                    let row_id = format!("inscription-{}", a.id);
                    let (value, label, class) = if a.checked_in {
                        ("absent", "Annuler la présence", "secondary")
                    } else {
                        ("present", "Marquer présent·e", "")
                    };
                    view! {
                        <li id=row_id.clone() class:checked=a.checked_in>
                            <span class="person">
                                <strong>{a.name.clone()}</strong>
                                {(!a.structure.is_empty()).then(|| view! { <span class="muted">{format!(" · {}", a.structure)}</span> })}
                                {a.checked_in.then(|| view! { <span class="present-mark">" ✓ présent·e"</span> })}
                            </span>
                            <form method="post" action=format!("/evenements/{slug}/accueil/{}", a.id) class="inline-form"
                                id=format!("pointer-{}", a.id) data-fn=CheckIn::PATH data-refresh=format!("#{row_id}, .checkin-count")>
                                <input type="hidden" name="slug" value=slug.clone() />
                                <input type="hidden" name="registration" value=a.id />
                                <button type="submit" name="presence" value=value class=class>{label}<span class="visually-hidden">{format!(" : {}", a.name)}</span></button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Enhance>
    }
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
                                <p>{super::views::when(event.starts_at, event.ends_at)}" — "{format!("{} participant·es", people.len())}</p>
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

/// `/evenements/nouveau` and `/evenements/{slug}/modifier`: the event's fields, then its
/// workshops and questions.
#[component]
pub fn EventFormPage() -> impl IntoView {
    let slug = slug_param();
    let for_load = slug.clone();
    let data = Resource::new_blocking(move || for_load.clone(), load_event_form);
    let title = if slug.is_empty() {
        "Nouvel événement"
    } else {
        "Modifier l'événement"
    };
    view! {
        <Title text=title />
        <Suspense>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    let here = if slug.is_empty() { "/evenements/nouveau".to_owned() } else { format!("/evenements/{slug}/modifier") };
                    match data.await {
                        Ok(data) => view! { <EventForm data /> }.into_any(),
                        Err(error) => refused(error, &here),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn EventForm(data: EventFormData) -> impl IntoView {
    let outcome = form_outcome();
    let value = |name: &str, current: &str| outcome.value(name).unwrap_or(current).to_owned();
    let edit = data.edit.clone();
    let is_new = data.slug.is_empty();
    let (title, action) = if is_new {
        (
            "Nouvel événement".to_owned(),
            "/evenements/nouveau".to_owned(),
        )
    } else {
        (
            format!("Modifier : {}", edit.title),
            format!("/evenements/{}/modifier", data.slug),
        )
    };
    let kind = value("kind", &edit.kind);
    let commune = value("commune", &edit.commune);
    let organiser = value("organiser", &edit.organiser);
    let visibility = value("visibility", &edit.visibility);
    let select_error = |name: &str| outcome.error_for(name).map(str::to_owned);
    let visibility_error = select_error("visibility");
    let (kind_error, commune_error, organiser_error) = (
        select_error("kind"),
        select_error("commune"),
        select_error("organiser"),
    );
    view! {
        {(!is_new).then(|| view! { <p class="breadcrumb"><a href=format!("/evenements/{}", data.slug)>"← Retour à l'événement"</a></p> })}
        <h1>{title}</h1>
        <Notice known=EVENT_NOTICES />
        <form method="post" action=action class="stack-form wide" id="formulaire-evenement">
            <FormErrors />
            {(!is_new).then(|| view! { <input type="hidden" name="slug" value=data.slug.clone() /> })}
            <Field name="title" label="Titre" value=edit.title.clone() />
            <div class="field" class:has-error=kind_error.is_some()>
                <label for="champ-kind">"Type d'événement"</label>
                {kind_error.clone().map(|m| view! { <p class="field-error" id="champ-kind-erreur">{m}</p> })}
                <select id="champ-kind" name="kind">
                    {EventKind::ALL.into_iter().map(|k| view! { <option value=k.slug() selected=kind == k.slug()>{k.label()}</option> }).collect_view()}
                </select>
            </div>
            <TextArea name="description" label="Présentation" value=edit.description.clone() />
            <Field name="start_date" label="Date de début" kind="date" value=edit.start_date.clone() hint="Heure de Paris." />
            <Field name="start_time" label="Heure de début" kind="time" value=edit.start_time.clone() />
            <Field name="end_date" label="Date de fin" kind="date" value=edit.end_date.clone() required=false hint="Laissez vide si l'événement finit le jour même." />
            <Field name="end_time" label="Heure de fin" kind="time" value=edit.end_time.clone() />
            <Field name="place_name" label="Lieu" value=edit.place_name.clone() required=false hint="Par exemple : Communauté urbaine de Dunkerque, salle du conseil." />
            <Field name="address" label="Adresse" value=edit.address.clone() required=false />
            <div class="field" class:has-error=commune_error.is_some()>
                <label for="champ-commune">"Commune"</label>
                {commune_error.clone().map(|m| view! { <p class="field-error" id="champ-commune-erreur">{m}</p> })}
                <select id="champ-commune" name="commune">
                    <option value="">"—"</option>
                    {data.communes.into_iter().map(|(slug, name)| {
                        let selected = commune == slug;
                        view! { <option value=slug selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Field name="online_url" label="Lien de connexion (événement en ligne)" kind="url" value=edit.online_url.clone() required=false />
            <div class="field" class:has-error=organiser_error.is_some()>
                <label for="champ-organiser">"Structure organisatrice"</label>
                {organiser_error.clone().map(|m| view! { <p class="field-error" id="champ-organiser-erreur">{m}</p> })}
                <select id="champ-organiser" name="organiser">
                    <option value="">"Aucune (l'équipe DESSINE)"</option>
                    {data.organisers.into_iter().map(|(id, name)| {
                        let selected = organiser == id.to_string();
                        view! { <option value=id selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Field name="capacity" label="Nombre de places" kind="number" value=edit.capacity.clone() required=false hint="Laissez vide pour ne pas limiter." />
            <Field name="per_structure_limit" label="Places au plus par structure" kind="number" value=edit.per_structure_limit.clone() required=false hint="Laissez vide pour ne pas limiter." />
            <Field name="opens_date" label="Ouverture des inscriptions" kind="date" value=edit.opens_date.clone() required=false hint="Laissez vide : ouvertes dès maintenant." />
            <Field name="closes_date" label="Clôture des inscriptions (dernier jour)" kind="date" value=edit.closes_date.clone() required=false hint="Laissez vide : jusqu'au début de l'événement." />
            <fieldset class="field" class:has-error=visibility_error.is_some()>
                <legend>"Qui peut voir l'événement ?"</legend>
                {visibility_error.clone().map(|message| view! { <p class="field-error" id="champ-visibility-erreur">{message}</p> })}
                <ul class="choices">
                    <li><input type="radio" id="visibilite-public" name="visibility" value="public" checked=visibility != "membres" /><label for="visibilite-public">"Tout le monde"</label></li>
                    <li><input type="radio" id="visibilite-membres" name="visibility" value="membres" checked=visibility == "membres" /><label for="visibilite-membres">"Les membres connectés"</label></li>
                    {data.clubs.iter().map(|(slug, name)| {
                        let value = format!("club:{slug}");
                        let id = format!("visibilite-club-{slug}");
                        let checked = visibility == value;
                        view! {
                            <li><input type="radio" id=id.clone() name="visibility" value=value checked=checked /><label for=id>{format!("Les membres du {name} (réunion de club)")}</label></li>
                        }
                    }).collect_view()}
                </ul>
            </fieldset>
            <button type="submit">{if is_new { "Créer l'événement" } else { "Enregistrer" }}</button>
        </form>
        {(!is_new).then(|| view! { <Parts slug=data.slug.clone() sessions=data.sessions questions=data.questions /> })}
    }
}

/// Workshops and questions of an existing event.
#[component]
fn Parts(slug: String, sessions: Vec<SessionInfo>, questions: Vec<QuestionInfo>) -> impl IntoView {
    let base = format!("/evenements/{slug}");
    let hour = |t: Timestamp| {
        let l = t.in_paris();
        format!("{} h {:02}", l.hour(), l.minute())
    };
    view! {
        <section aria-labelledby="titre-ateliers">
            <h2 id="titre-ateliers">"Ateliers"</h2>
            <ul class="parts">
                {sessions.into_iter().map(|s| view! {
                    <li>
                        {format!("{} · {} · {} – {}{} · {}", s.title, s.starts_at.french_date(), hour(s.starts_at), hour(s.ends_at),
                            if s.room.is_empty() { String::new() } else { format!(" · {}", s.room) },
                            s.capacity.map_or("sans limite".to_owned(), |c| format!("{c} places")))}
                        <form method="post" action=format!("{base}/ateliers/{}/retirer", s.id) class="inline-form">
                            <input type="hidden" name="slug" value=slug.clone() />
                            <input type="hidden" name="session" value=s.id />
                            <button type="submit" class="secondary">{format!("Retirer « {} »", s.title)}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
            <form method="post" action=format!("{base}/ateliers") class="stack-form" id="ajouter-atelier">
                <h3>"Ajouter un atelier"</h3>
                <input type="hidden" name="slug" value=slug.clone() />
                <Field name="session_title" label="Titre de l'atelier" />
                <Field name="session_date" label="Date" kind="date" />
                <Field name="session_start" label="Début" kind="time" />
                <Field name="session_end" label="Fin" kind="time" />
                <Field name="room" label="Salle" required=false />
                <Field name="session_capacity" label="Places" kind="number" required=false hint="Laissez vide pour ne pas limiter." />
                <button type="submit">"Ajouter l'atelier"</button>
            </form>
        </section>
        <section aria-labelledby="titre-questions">
            <h2 id="titre-questions">"Questions posées à l'inscription"</h2>
            <ul class="parts">
                {questions.into_iter().map(|q| view! {
                    <li>
                        {format!("{}{} ({})", q.label, if q.required { " — obligatoire" } else { "" }, match q.kind {
                            QuestionKind::Text => "réponse libre".to_owned(),
                            QuestionKind::YesNo => "oui / non".to_owned(),
                            QuestionKind::Choice => q.choices.join(", "),
                        })}
                        <form method="post" action=format!("{base}/questions/{}/retirer", q.id) class="inline-form">
                            <input type="hidden" name="slug" value=slug.clone() />
                            <input type="hidden" name="question" value=q.id />
                            <button type="submit" class="secondary">{format!("Retirer « {} »", q.label)}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
            <form method="post" action=format!("{base}/questions") class="stack-form" id="ajouter-question">
                <h3>"Ajouter une question"</h3>
                <input type="hidden" name="slug" value=slug.clone() />
                <Field name="label" label="Question" />
                <div class="field">
                    <label for="champ-question_kind">"Type de réponse"</label>
                    <select id="champ-question_kind" name="question_kind">
                        <option value="texte">"Réponse libre"</option>
                        <option value="oui-non">"Oui / non"</option>
                        <option value="choix">"Choix dans une liste"</option>
                    </select>
                </div>
                <TextArea name="choices" label="Réponses possibles (une par ligne, pour un choix)" />
                <div class="field">
                    <input type="checkbox" id="champ-required" name="required" value="oui" />
                    <label for="champ-required">"Réponse obligatoire"</label>
                </div>
                <button type="submit">"Ajouter la question"</button>
            </form>
        </section>
    }
}
