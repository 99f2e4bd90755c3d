//! The referents' desk: cohorts and the cohort form.

use crate::error::AppError;
use crate::features::label::Cohort;
use crate::features::label::LABEL_NOTICES;
use crate::features::label::State;
use crate::features::label::cohorts::AdmitToCohort;
use crate::features::label::cohorts::CreateCohort;
use crate::features::label::cohorts::load_label_desk;
use crate::features::label::views::state_text;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::Choice;
use crate::ui::form::Field;
use crate::ui::form::FormErrors;
use crate::ui::form::FormPath;
use crate::ui::form::form_outcome;
use crate::ui::href::login_then;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

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
                                                <form method="post" action=AdmitToCohort::action(&[]) class="inline-form"
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
            <form method="post" action=CreateCohort::action(&[]) class="stack-form wide" id="formulaire-cohorte">
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
