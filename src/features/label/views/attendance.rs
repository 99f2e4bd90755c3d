//! A cohort's attendance sheet.

use crate::error::AppError;
use crate::features::label::LABEL_NOTICES;
use crate::features::label::attendance::SaveAttendance;
use crate::features::label::attendance::load_attendance;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::FormPath;
use crate::ui::href::login_then;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

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
                let here = SaveAttendance::action(&[&cohort.to_string(), &day.to_string()]);
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
