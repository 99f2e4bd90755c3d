//! The label's pages: `/label` (the scheme and the labelled structures), `/label/verifier` (a GET
//! form anyone can use), the referents' desk `/label/gestion`, a training day's attendance
//! screen, and the label box of a structure's page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;

use super::api::{
    AdmitToCohort, RecordStep, SaveAttendance, load_attendance, load_label_box, load_label_desk,
    load_label_overview, load_my_journeys, verify_label,
};
use super::{
    Badge, Cohort, JourneyAction, JourneyDetail, JourneySummary, LABEL_FILTER, LABEL_NOTICES,
    State, Verification,
};
use crate::error::AppError;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::{Choice, Field, FormErrors, form_outcome};
use crate::ui::href::login_then;
use crate::ui::meta::Description;
use crate::ui::notice::Notice;

/// `/label`: what the « démarche progrès » is, the form to check an identifier, and the
/// structures whose label is valid today.
#[component]
pub fn LabelPage() -> impl IntoView {
    let overview = Resource::new_blocking(|| (), |_| load_label_overview());
    view! {
        <Title text="Le label « démarche progrès »" />
        <Description text="Le label « démarche progrès » du Pas-de-Calais : six journées de formation collective, un identifiant renouvelé tous les deux ans, et la liste des structures labellisées." />
        <h1>"Le label « démarche progrès »"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => {
                        let days = overview.scheme.training_days;
                        let years = overview.scheme.renewal_months / 12;
                        view! {
                            <p class="lead">"Né des travaux du Conseil départemental de l'ESS du Pas-de-Calais, ce label reconnaît les structures qui font vivre au quotidien les valeurs de l'économie sociale et solidaire, et les accompagne pour qu'elles continuent de progresser."</p>
                            <section aria-labelledby="etapes">
                                <h2 id="etapes">"Comment ça marche"</h2>
                                <ol class="steps">
                                    <li><strong>"Candidature. "</strong>"Après une réunion d'information sur son territoire, la structure candidate depuis sa fiche de l'annuaire."</li>
                                    <li><strong>"Mise en place. "</strong>{format!("Elle suit {days} journées de formation collective avec les autres structures de sa cohorte, animées par un référent du label.")}</li>
                                    <li><strong>"Identifiant. "</strong>{format!("À la fin de la formation, elle reçoit un identifiant qui atteste qu'elle répond pleinement aux valeurs de l'ESS. Il est valable {years} ans.")}</li>
                                    <li><strong>"Lancement. "</strong>"Elle continue de progresser, avec des suivis collectifs et des entretiens de bilan."</li>
                                    <li><strong>"Renouvellement. "</strong>{format!("Tous les {years} ans, après un entretien de bilan, l'identifiant est renouvelé si la démarche est aboutie ; sinon, il expire.")}</li>
                                </ol>
                                <p>"Pour un acheteur ou un client, l'identifiant garantit une prestation solidaire, sociale et locale : vérifiez-le ci-dessous."</p>
                            </section>
                            <VerifyForm typed=String::new() />
                            <section aria-labelledby="labellisees">
                                <h2 id="labellisees">{match overview.labelled.len() {
                                    0 => "Aucune structure labellisée pour le moment".to_owned(),
                                    1 => "1 structure labellisée".to_owned(),
                                    n => format!("{n} structures labellisées"),
                                }}</h2>
                                {(!overview.labelled.is_empty()).then(|| view! {
                                    <p><a href=format!("/annuaire?label={LABEL_FILTER}")>"Les chercher dans l'annuaire"</a></p>
                                })}
                                <ul class="result-list">
                                    {overview.labelled.into_iter().map(|badge| view! { <LabelledItem badge /> }).collect_view()}
                                </ul>
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LabelledItem(badge: Badge) -> impl IntoView {
    view! {
        <li class="result">
            <h3><a href=format!("/annuaire/{}", badge.entry.slug)>{badge.entry.name}</a></h3>
            <p class="meta">{badge.entry.commune}" · identifiant "<span class="identifier">{badge.identifier}</span>" · valable jusqu'au "{badge.valid_until.french_date()}</p>
        </li>
    }
}

/// The GET form of `/label/verifier`.
#[component]
fn VerifyForm(typed: String) -> impl IntoView {
    view! {
        <form method="get" action="/label/verifier" class="search-form" role="search" aria-label="Vérification d'un identifiant">
            <label for="identifiant">"Vérifier un identifiant"</label>
            <div class="search-row">
                <input id="identifiant" name="identifiant" type="text" value=typed maxlength="40"
                    placeholder="DP-62-XXXX-XXXX" autocomplete="off" spellcheck="false" aria-describedby="identifiant-aide" />
                <button type="submit">"Vérifier"</button>
            </div>
            <p class="hint" id="identifiant-aide">"L'identifiant figure sur la fiche de la structure et sur ses documents."</p>
        </form>
    }
}

/// `/label/verifier?identifiant=…`: valid until, suspended, expired, withdrawn or unknown.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let query = use_query_map();
    let typed = move || query.with(|q| q.get("identifiant").unwrap_or_default());
    let answer = Resource::new_blocking(typed, verify_label);
    view! {
        <Title text="Vérifier un identifiant « démarche progrès »" />
        <Description text="Vérifiez qu'un identifiant du label « démarche progrès » est valable aujourd'hui." />
        <p class="breadcrumb"><a href="/label">"← Le label « démarche progrès »"</a></p>
        <h1>"Vérifier un identifiant"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                let typed = typed();
                match answer.await {
                    Ok(verification) => view! {
                        <VerifyForm typed=typed />
                        <VerificationAnswer verification />
                    }.into_any(),
                    Err(error @ AppError::TooManyRequests { .. }) => view! {
                        <VerifyForm typed=typed />
                        <p class="verdict" role="status">{error.to_string()}</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn VerificationAnswer(verification: Verification) -> impl IntoView {
    let entry = |entry: super::PublicEntry| {
        view! { <p><a href=format!("/annuaire/{}", entry.slug)>{entry.name}</a>" ("{entry.commune}")"</p> }
    };
    match verification {
        Verification::Nothing => ().into_any(),
        Verification::Valid { identifier, structure, until } => view! {
            <section class="verdict verdict-valid" aria-labelledby="verdict">
                <h2 id="verdict">{format!("{identifier} : valable jusqu'au {}", until.french_date())}</h2>
                {entry(structure)}
            </section>
        }.into_any(),
        Verification::Suspended { identifier, structure, since } => view! {
            <section class="verdict verdict-warning" aria-labelledby="verdict">
                <h2 id="verdict">{format!("{identifier} : suspendu depuis le {}", since.french_date())}</h2>
                {entry(structure)}
                <p>"Le label est suspendu le temps d'une vérification : il ne vaut pas garantie aujourd'hui."</p>
            </section>
        }.into_any(),
        Verification::Expired { identifier, structure, on } => view! {
            <section class="verdict verdict-warning" aria-labelledby="verdict">
                <h2 id="verdict">{format!("{identifier} : expiré le {}", on.french_date())}</h2>
                {entry(structure)}
                <p>"Cet identifiant n'a pas été renouvelé : il ne vaut plus garantie."</p>
            </section>
        }.into_any(),
        Verification::Withdrawn { identifier, structure, on } => view! {
            <section class="verdict verdict-warning" aria-labelledby="verdict">
                <h2 id="verdict">{format!("{identifier} : retiré le {}", on.french_date())}</h2>
                {entry(structure)}
                <p>"Le label a été retiré à cette structure."</p>
            </section>
        }.into_any(),
        Verification::Unknown { typed } => view! {
            <section class="verdict verdict-warning" aria-labelledby="verdict">
                <h2 id="verdict">"Identifiant inconnu"</h2>
                <p>{format!("« {typed} » ne correspond à aucun identifiant délivré. Vérifiez la saisie : un identifiant ressemble à DP-62-7KQ3-XM4P.")}</p>
            </section>
        }.into_any(),
    }
}

/// The label box of `/annuaire/{slug}`: the badge; for the entry's managers, their journey or
/// the button to apply; for the referents, the journey and its actions.
#[component]
pub fn LabelBox() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let for_slug = slug.clone();
    let label_box = Resource::new_blocking(move || for_slug.clone(), load_label_box);
    view! {
        <Suspense>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    let Ok(label_box) = label_box.await else {
                        return ().into_any();
                    };
                    let back = format!("/annuaire/{slug}");
                    let journey = label_box.journey.map(|journey| view! {
                        <section class="stewardship" aria-labelledby="label-parcours" id="label-parcours-section">
                            <h2 id="label-parcours">"Label « démarche progrès » : le parcours"</h2>
                            <JourneyView journey back=back.clone() actions=label_box.referent />
                        </section>
                    });
                    let apply = label_box.may_apply.then(|| view! {
                        <section class="stewardship" aria-labelledby="label-candidature">
                            <h2 id="label-candidature">"Label « démarche progrès »"</h2>
                            <p>"Six journées de formation collective, puis un identifiant qui atteste des valeurs de l'ESS de la structure. "<a href="/label">"En savoir plus"</a></p>
                            <form method="post" action=format!("{back}/label")>
                                <input type="hidden" name="slug" value=slug.clone() />
                                <button type="submit">"Candidater au label"</button>
                            </form>
                        </section>
                    });
                    view! { {journey}{apply} }.into_any()
                })
            }}
        </Suspense>
    }
}

fn state_text(summary: &JourneySummary, training_days: u32) -> String {
    match summary.state {
        State::Admitted => format!(
            "en formation ({} journée(s) sur {training_days})",
            summary.days_attended
        ),
        State::Labelled => match summary.valid_until {
            Some(until) => format!("labellisée jusqu'au {}", until.french_date()),
            None => State::Labelled.label().to_owned(),
        },
        state => state.label().to_owned(),
    }
}

/// A journey: where it stands, what is missing, its history; the referent's actions when
/// `actions` (their forms refresh `#label-parcours-section`).
#[component]
fn JourneyView(journey: JourneyDetail, back: String, actions: bool) -> impl IntoView {
    let summary = journey.summary;
    let state = state_text(&summary, journey.training_days);
    let missing = match summary.state {
        State::Applied => {
            Some("En attente d'admission dans une cohorte par un référent.".to_owned())
        }
        State::Admitted if !journey.missing_days.is_empty() => {
            Some("Journées restant à suivre :".to_owned())
        }
        State::Admitted => Some(
            "Toutes les journées sont suivies : le référent peut délivrer l'identifiant."
                .to_owned(),
        ),
        State::Labelled | State::Expired if !journey.reviewed => {
            Some("Un entretien de bilan est nécessaire avant le renouvellement.".to_owned())
        }
        _ => None,
    };
    view! {
        <p><strong>"État : "</strong>{state}
            {summary.identifier.clone().map(|id| view! { " · identifiant "<span class="identifier">{id}</span> })}
            {summary.cohort.clone().map(|c| format!(" · cohorte {c}"))}
        </p>
        {missing.map(|m| view! { <p>{m}</p> })}
        {(summary.state == State::Admitted && !journey.missing_days.is_empty()).then(|| view! {
            <ul class="days">
                {journey.cohort_days.iter().filter(|(day, _, _)| journey.missing_days.contains(day)).map(|(day, slug, starts)| view! {
                    <li>
                        <a href=format!("/evenements/{slug}")>{format!("Journée {day}")}</a>
                        {format!(" — {}", starts.french_date())}
                    </li>
                }).collect_view()}
            </ul>
        })}
        <details>
            <summary>{format!("Historique ({} étapes)", journey.steps.len())}</summary>
            <ol class="history">
                {journey.steps.into_iter().map(|step| {
                    let mut text = format!("{} — {}", step.at.french_date(), step.kind.label());
                    if let Some(day) = step.day {
                        text.push_str(&format!(" (journée {day})"));
                    }
                    if let Some(identifier) = &step.identifier {
                        text.push_str(&format!(" : {identifier}"));
                    }
                    if let Some(by) = &step.by {
                        text.push_str(&format!(", par {by}"));
                    }
                    if !step.note.is_empty() {
                        text.push_str(&format!(" — « {} »", step.note));
                    }
                    view! { <li>{text}</li> }
                }).collect_view()}
            </ol>
        </details>
        {actions.then(|| view! {
            <ReferentActions id=summary.id state=summary.state complete=journey.missing_days.is_empty() back />
        })}
    }
}

/// The referent's buttons for a journey (the server function checks the role again).
#[component]
fn ReferentActions(id: i64, state: State, complete: bool, back: String) -> impl IntoView {
    let offered = JourneyAction::offered(state, complete);
    (!offered.is_empty()).then(|| view! {
        <Enhance>
            <form method="post" action=format!("/label/parcours/{id}") class="stack-form"
                id=format!("parcours-{id}") data-fn=RecordStep::PATH data-refresh="#label-parcours-section">
                <input type="hidden" name="journey" value=id />
                <input type="hidden" name="retour" value=back />
                <div class="field">
                    <label for=format!("note-{id}")>"Note (facultative)"</label>
                    <input id=format!("note-{id}") name="note" type="text" maxlength="1000" />
                </div>
                <p class="button-row">
                    {offered.into_iter().map(|(_, value, label)| view! {
                        <button type="submit" name="action" value=value class=if value == "retirer" { "secondary" } else { "" }>{label}</button>
                    }).collect_view()}
                </p>
            </form>
        </Enhance>
    })
}

/// « Label démarche progrès » on « Mon compte »: the journeys of the structures the member
/// manages and what each is missing.
#[component]
pub fn MyJourneys() -> impl IntoView {
    let journeys = Resource::new_blocking(|| (), |_| load_my_journeys());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match journeys.await {
                    Ok(journeys) if !journeys.is_empty() => view! {
                        <section aria-labelledby="mes-labels">
                            <h2 id="mes-labels">"Label « démarche progrès »"</h2>
                            {journeys.into_iter().map(|journey| {
                                let slug = journey.summary.entry.slug.clone();
                                let name = journey.summary.entry.name.clone();
                                view! {
                                    <h3><a href=format!("/annuaire/{slug}")>{name}</a></h3>
                                    <JourneyView journey back=format!("/annuaire/{slug}") actions=false />
                                }
                            }).collect_view()}
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/label/gestion`: the referents' desk.
#[component]
pub fn DeskPage() -> impl IntoView {
    let desk = Resource::new_blocking(|| (), |_| load_label_desk());
    view! {
        <Title text="Label « démarche progrès » : gestion" />
        <h1>"Label « démarche progrès » : gestion"</h1>
        <Notice known=LABEL_NOTICES />
        <Suspense>
            {move || Suspend::new(async move {
                match desk.await {
                    Ok(desk) => {
                        let days = desk.scheme.training_days;
                        let cohorts = desk.cohorts.clone();
                        view! {
                            <Enhance>
                            <section aria-labelledby="parcours" id="section-parcours" tabindex="-1">
                                <h2 id="parcours">{format!("Parcours ({})", desk.journeys.len())}</h2>
                                {desk.journeys.is_empty().then(|| view! { <p>"Aucune candidature pour le moment."</p> })}
                                <ul class="requests">
                                    {desk.journeys.into_iter().map(|journey| {
                                        let state = state_text(&journey, days);
                                        let slug = journey.entry.slug.clone();
                                        let admit = (journey.state == State::Applied && !cohorts.is_empty()).then(|| {
                                            let id = journey.id;
                                            view! {
                                                <form method="post" action="/label/admission" class="inline-form"
                                                    id=format!("admission-{id}") data-fn=AdmitToCohort::PATH data-refresh="#section-parcours">
                                                    <input type="hidden" name="journey" value=id />
                                                    <input type="hidden" name="retour" value="/label/gestion" />
                                                    <label for=format!("cohorte-{id}")>"Cohorte"</label>
                                                    <select id=format!("cohorte-{id}") name="cohort">
                                                        {cohorts.iter().map(|c| view! { <option value=c.id>{c.name.clone()}</option> }).collect_view()}
                                                    </select>
                                                    <button type="submit">"Admettre"<span class="visually-hidden">{format!(" : {}", journey.entry.name)}</span></button>
                                                </form>
                                            }
                                        });
                                        view! {
                                            <li>
                                                <a href=format!("/annuaire/{slug}#label-parcours")>{journey.entry.name.clone()}</a>
                                                {format!(" ({}) — {state}", journey.entry.commune)}
                                                {journey.identifier.clone().map(|id| view! { " · "<span class="identifier">{id}</span> })}
                                                {admit}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </section>
                            </Enhance>
                            <section aria-labelledby="cohortes">
                                <h2 id="cohortes">"Cohortes"</h2>
                                {desk.cohorts.is_empty().then(|| view! { <p>"Aucune cohorte pour le moment."</p> })}
                                {desk.cohorts.into_iter().map(|cohort| view! { <CohortItem cohort /> }).collect_view()}
                            </section>
                            <CohortFormView training_days=days referents=desk.referents territories=desk.territories communes=desk.communes />
                        }.into_any()
                    }
                    Err(AppError::Unauthorized) => view! {
                        <p><a href=login_then("/label/gestion")>"Connectez-vous"</a>" pour gérer le label."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CohortItem(cohort: Cohort) -> impl IntoView {
    let id = cohort.id;
    view! {
        <h3>{cohort.name.clone()}</h3>
        <p class="meta">{format!("{} · référent : {} · {} structure(s)", cohort.territory, cohort.referent, cohort.structures)}</p>
        <ul class="days">
            {cohort.days.into_iter().map(|(day, slug, starts)| view! {
                <li>
                    <a href=format!("/label/cohortes/{id}/journees/{day}")>{format!("Présences de la journée {day}")}</a>
                    {format!(" — {} · ", starts.french_date())}
                    <a href=format!("/evenements/{slug}")>"l'événement"</a>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn CohortFormView(
    training_days: u32,
    referents: Vec<(i64, String)>,
    territories: Vec<(String, String)>,
    communes: Vec<(String, String)>,
) -> impl IntoView {
    let outcome = form_outcome();
    let typed_days: Vec<String> = outcome
        .values
        .iter()
        .filter(|(name, _)| name == "days")
        .map(|(_, value)| value.clone())
        .collect();
    let days_error = outcome.error_for("days").map(str::to_owned);
    let mut referent_options = vec![(String::new(), "Moi-même".to_owned())];
    referent_options.extend(
        referents
            .into_iter()
            .map(|(id, name)| (id.to_string(), name)),
    );
    let mut territory_options = vec![(String::new(), "—".to_owned())];
    territory_options.extend(territories);
    let mut commune_options = vec![(String::new(), "—".to_owned())];
    commune_options.extend(communes);
    view! {
        <section aria-labelledby="nouvelle-cohorte">
            <h2 id="nouvelle-cohorte">"Nouvelle cohorte"</h2>
            <form method="post" action="/label/cohortes" class="stack-form wide" id="formulaire-cohorte">
                <FormErrors />
                <Field name="name" label="Nom de la cohorte" hint="Par exemple : Artois 2027." />
                <Choice name="territory" label="Territoire" options=territory_options />
                <Choice name="referent" label="Référent" options=referent_options />
                <Field name="place_name" label="Lieu des journées" required=false hint="Par exemple : Maison de l'ESS de l'Artois." />
                <Choice name="commune" label="Commune des journées" options=commune_options />
                <Field name="start_time" label="Heure de début" kind="time" value="09:00" />
                <Field name="end_time" label="Heure de fin" kind="time" value="17:00" />
                <fieldset class="field" class:has-error=days_error.is_some() aria-describedby=days_error.as_ref().map(|_| "champ-days-erreur")>
                    <legend>{format!("Dates des {training_days} journées de formation")}</legend>
                    {days_error.clone().map(|m| view! { <p class="field-error" id="champ-days-erreur">{m}</p> })}
                    {(1..=training_days).map(|n| {
                        let id = if n == 1 { "champ-days".to_owned() } else { format!("champ-days-{n}") };
                        let value = typed_days.get(n as usize - 1).cloned().unwrap_or_default();
                        view! {
                            <div class="field">
                                <label for=id.clone()>{format!("Journée {n}")}</label>
                                <input id=id type="date" name="days" value=value required />
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit">"Créer la cohorte et ses journées"</button>
            </form>
        </section>
    }
}

/// `/label/cohortes/{cohort}/journees/{day}`: one checkbox per structure of the cohort. Without
/// JavaScript one post saves the screen; with it, each tick saves at once.
#[component]
pub fn AttendancePage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        params.with(|p| {
            (
                p.get("cohort")
                    .and_then(|c| c.parse::<i64>().ok())
                    .unwrap_or(0),
                p.get("day")
                    .and_then(|d| d.parse::<u32>().ok())
                    .unwrap_or(0),
            )
        })
    };
    let sheet = Resource::new_blocking(key, |(cohort, day)| load_attendance(cohort, day));
    view! {
        <Title text="Présences" />
        <Suspense>
            {move || Suspend::new(async move {
                let (cohort, day) = key();
                let here = format!("/label/cohortes/{cohort}/journees/{day}");
                match sheet.await {
                    Ok(sheet) => {
                        let present = sheet.rows.iter().filter(|(_, _, p)| *p).count();
                        let total = sheet.rows.len();
                        view! {
                            <p class="breadcrumb"><a href="/label/gestion">"← Gestion du label"</a></p>
                            <h1>{format!("Présences : {}, journée {day}", sheet.cohort.name)}</h1>
                            <Notice known=LABEL_NOTICES />
                            <p id="presences-resume" aria-live="polite">{format!("{present} présente(s) sur {total}.")}</p>
                            {sheet.rows.is_empty().then(|| view! { <p>"Aucune structure en formation dans cette cohorte."</p> })}
                            <Enhance>
                                <form method="post" action=here.clone() class="stack-form" id="presences"
                                    data-fn=SaveAttendance::PATH data-refresh="#presences-resume" data-autosave>
                                    <input type="hidden" name="cohort" value=cohort />
                                    <input type="hidden" name="day" value=day />
                                    <fieldset class="checkbox-group attendance">
                                        <legend>"Structures présentes"</legend>
                                        <ul>
                                            {sheet.rows.into_iter().map(|(journey, name, present)| {
                                                let id = format!("present-{journey}");
                                                view! {
                                                    <li>
                                                        <input type="hidden" name="listed" value=journey />
                                                        <input type="checkbox" id=id.clone() name="present" value=journey checked=present />
                                                        <label for=id>{name}</label>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    </fieldset>
                                    <button type="submit">"Enregistrer les présences"</button>
                                </form>
                            </Enhance>
                        }.into_any()
                    }
                    Err(AppError::Unauthorized) => view! {
                        <h1>"Présences"</h1>
                        <p><a href=login_then(&here)>"Connectez-vous"</a>" pour noter les présences."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
