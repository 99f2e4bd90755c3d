//! The club form.

use crate::error::AppError;
use crate::features::clubs::ClubForm;
use crate::features::clubs::editing::CreateClub;
use crate::features::clubs::editing::SaveClub;
use crate::features::clubs::editing::load_club_form;
use crate::features::clubs::views::slug_param;
use crate::ui::error::ErrorPage;
use crate::ui::form::Field;
use crate::ui::form::FormErrors;
use crate::ui::form::FormPath;
use crate::ui::form::TextArea;
use crate::ui::form::form_outcome;
use crate::ui::href::login_then;
use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

/// `/clubs/nouveau` (site admins) and `/clubs/{slug}/modifier` (the club's admins): the club's
/// name, territory, presentation, charter and meetings.
#[component]
pub fn ClubFormPage() -> impl IntoView {
    let slug = slug_param();
    let for_load = slug.clone();
    let form = Resource::new_blocking(move || for_load.clone(), load_club_form);
    view! {
        <Title text=if slug.is_empty() { "Nouveau club" } else { "Modifier le club" } />
        <Suspense>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    match form.await {
                        Ok(form) => view! { <ClubFormView form /> }.into_any(),
                        Err(AppError::Unauthorized) => {
                            let here = if slug.is_empty() { CreateClub::action(&[]) } else { SaveClub::action(&[&slug]) };
                            view! {
                                <h1>"Connexion nécessaire"</h1>
                                <p><a href=login_then(&here)>"Connectez-vous"</a>" pour continuer."</p>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ClubFormView(form: ClubForm) -> impl IntoView {
    let ClubForm {
        slug,
        edit,
        territories,
    } = form;
    let is_new = slug.is_empty();
    let outcome = form_outcome();
    let territory = outcome
        .value("territory")
        .map(str::to_owned)
        .unwrap_or(edit.territory.clone());
    let territory_error = outcome.error_for("territory").map(str::to_owned);
    let (action, endpoint) = if is_new {
        (CreateClub::action(&[]), CreateClub::PATH)
    } else {
        (SaveClub::action(&[&slug]), SaveClub::PATH)
    };
    view! {
        {(!is_new).then(|| view! { <p class="breadcrumb"><a href=format!("/clubs/{slug}")>"← Retour au club"</a></p> })}
        <h1>{if is_new { "Nouveau club" } else { "Modifier le club" }}</h1>
        <FormErrors />
        <form method="post" action=action class="stack-form wide" data-fn=endpoint>
            {(!is_new).then(|| view! { <input type="hidden" name="slug" value=slug.clone() /> })}
            <Field name="name" label="Nom du club" value=edit.name.clone() autocomplete="off" />
            <div class="field" class:has-error=territory_error.is_some()>
                <label for="champ-territory">"Territoire"</label>
                {territory_error.clone().map(|m| view! { <p class="field-error" id="champ-territory-erreur">{m}</p> })}
                <select id="champ-territory" name="territory" aria-invalid=territory_error.is_some().then_some("true")
                    aria-describedby=territory_error.is_some().then_some("champ-territory-erreur")>
                    <option value="">"Non précisé"</option>
                    {territories.into_iter().map(|(value, name)| {
                        let selected = territory == value;
                        view! { <option value=value selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <TextArea name="description" label="Présentation" hint="Un paragraphe par ligne vide." value=edit.description.clone() />
            <TextArea name="charter" label="Charte" hint="Ce à quoi s'engagent les membres." value=edit.charter.clone() />
            <Field name="meetings" label="Rencontres" hint="Par exemple : chaque trimestre, chez l'un des membres." value=edit.meetings.clone() required=false />
            <button type="submit">{if is_new { "Créer le club" } else { "Enregistrer" }}</button>
        </form>
    }
}
