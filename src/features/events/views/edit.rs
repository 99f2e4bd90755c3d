//! The event form, with its workshops and questions.

use super::refused;
use super::slug_param;
use crate::features::events::EVENT_NOTICES;
use crate::features::events::EventFormData;
use crate::features::events::EventKind;
use crate::features::events::QuestionInfo;
use crate::features::events::QuestionKind;
use crate::features::events::SessionInfo;
use crate::features::events::editing::CreateEvent;
use crate::features::events::editing::SaveEvent;
use crate::features::events::editing::load_event_form;
use crate::features::events::workshops::AddQuestion;
use crate::features::events::workshops::AddSession;
use crate::features::events::workshops::RemoveQuestion;
use crate::features::events::workshops::RemoveSession;
use crate::timestamp::Timestamp;
use crate::ui::form::Field;
use crate::ui::form::FormErrors;
use crate::ui::form::FormPath;
use crate::ui::form::TextArea;
use crate::ui::form::form_outcome;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;

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
                    let here = if slug.is_empty() { CreateEvent::action(&[]) } else { SaveEvent::action(&[&slug]) };
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
        ("Nouvel événement".to_owned(), CreateEvent::action(&[]))
    } else {
        (
            format!("Modifier : {}", edit.title),
            SaveEvent::action(&[&data.slug]),
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
                        <form method="post" action=RemoveSession::action(&[&slug, &s.id.to_string()]) class="inline-form">
                            <input type="hidden" name="slug" value=slug.clone() />
                            <input type="hidden" name="session" value=s.id />
                            <button type="submit" class="secondary">{format!("Retirer « {} »", s.title)}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
            <form method="post" action=AddSession::action(&[&slug]) class="stack-form" id="ajouter-atelier">
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
                        <form method="post" action=RemoveQuestion::action(&[&slug, &q.id.to_string()]) class="inline-form">
                            <input type="hidden" name="slug" value=slug.clone() />
                            <input type="hidden" name="question" value=q.id />
                            <button type="submit" class="secondary">{format!("Retirer « {} »", q.label)}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
            <form method="post" action=AddQuestion::action(&[&slug]) class="stack-form" id="ajouter-question">
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
