//! A structure's label box and journey, with the referent's actions; « Mes démarches ».

use crate::features::label::JourneyAction;
use crate::features::label::JourneyDetail;
use crate::features::label::State;
use crate::features::label::applying::ApplyForLabel;
use crate::features::label::applying::load_label_box;
use crate::features::label::applying::load_my_journeys;
use crate::features::label::follow_up::RecordStep;
use crate::features::label::views::state_text;
use crate::ui::enhance::Enhance;
use crate::ui::form::FormPath;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

/// The label box of `/annuaire/{slug}`: the badge; for the entry's managers, their journey or
/// the button to apply; for the referents, the journey and its actions.
#[component]
pub fn LabelBox() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    // Loaded inside the entry page's own suspense (these boxes are its children): a resource
    // made there, after the page's first wait, is what an async rendering may wait for without
    // end; an awaited call is simply part of the page's rendering (and sends no data to the
    // browser, which has nothing to hydrate here). The `Suspend` is the child itself, not a
    // closure that makes one: `Suspense` first walks its children once (`dry_resolve`), and a
    // closure would be called there and again to render, the first call's database work
    // started, then dropped in the middle of taking a pooled connection, which closes it.
    view! {
        <Suspense>
            {Suspend::new(async move {
                let Ok(label_box) = load_label_box(slug.clone()).await else {
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
                        <form method="post" action=ApplyForLabel::action(&[&slug])>
                            <input type="hidden" name="slug" value=slug.clone() />
                            <button type="submit">"Candidater au label"</button>
                        </form>
                    </section>
                });
                view! { {journey}{apply} }.into_any()
            })}
        </Suspense>
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
            <form method="post" action=RecordStep::action(&[&id.to_string()]) class="stack-form"
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
