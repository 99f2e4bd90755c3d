//! The page of a mailed invitation.

use crate::features::clubs::EmailInvitation;
use crate::features::clubs::invitations::JoinByEmailInvitation;
use crate::features::clubs::invitations::load_email_invitation;
use crate::features::clubs::views::paragraphs;
use crate::ui::error::ErrorPage;
use crate::ui::form::Field;
use crate::ui::form::FormErrors;
use crate::ui::form::FormPath;
use crate::ui::form::form_outcome;
use crate::ui::href::encode_component;
use crate::ui::href::login_then;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/clubs/invitation?jeton=…`: the page behind an e-mail invitation.
#[component]
pub fn EmailInvitationPage() -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get("jeton").unwrap_or_default());
    let for_load = token.clone();
    let page = Resource::new_blocking(move || for_load.clone(), load_email_invitation);
    view! {
        <Title text="Invitation à rejoindre un club" />
        <Suspense>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match page.await {
                        Ok(invitation) => view! { <InvitationForm token invitation /> }.into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn InvitationForm(token: String, invitation: EmailInvitation) -> impl IntoView {
    let here = format!("/clubs/invitation?jeton={}", encode_component(&token));
    let logged_in = crate::features::accounts::rendering_user().is_some();
    let intro = view! {
        <h1>{format!("Invitation : {}", invitation.club_name)}</h1>
        <p class="lead">"Une structure membre vous invite à faire entrer la vôtre dans ce club."</p>
        {(!invitation.message.is_empty()).then(|| view! { <blockquote>{paragraphs(&invitation.message)}</blockquote> })}
        <p><a href=format!("/clubs/{}", invitation.club_slug)>"Découvrir le club, sa charte et ses membres"</a></p>
    };
    if !logged_in {
        return view! {
            {intro}
            <p>"Pour accepter, connectez-vous (ou créez votre compte, puis revenez à ce lien, valable 30 jours)."</p>
            <p class="list-links">
                <a class="button" href=login_then(&here)>"Se connecter"</a>
                " "
                <a href="/inscription">"Créer un compte"</a>
            </p>
        }
        .into_any();
    }
    let outcome = form_outcome();
    let chosen = outcome
        .value("structure")
        .unwrap_or(if invitation.own.is_empty() {
            "nouvelle"
        } else {
            ""
        })
        .to_owned();
    let chosen_form = outcome.value("legal_form").unwrap_or_default().to_owned();
    let chosen_commune = outcome.value("commune").unwrap_or_default().to_owned();
    let legal_error = outcome.error_for("legal_form").map(str::to_owned);
    let commune_error = outcome.error_for("commune").map(str::to_owned);
    view! {
        {intro}
        <FormErrors />
        <form method="post" action=JoinByEmailInvitation::action(&[]) class="stack-form">
            <input type="hidden" name="token" value=token />
            {(!invitation.own.is_empty()).then(|| view! {
                <fieldset>
                    <legend>"Quelle structure rejoint le club ?"</legend>
                    <ul class="choices">
                        {invitation.own.iter().map(|(id, name)| {
                            let value = id.to_string();
                            let checked = chosen == value;
                            view! {
                                <li><label><input type="radio" name="structure" value=value checked=checked />" "{name.clone()}</label></li>
                            }
                        }).collect_view()}
                        <li><label><input type="radio" name="structure" value="nouvelle" checked=chosen == "nouvelle" />" Une structure qui n'est pas encore dans l'annuaire"</label></li>
                    </ul>
                </fieldset>
            })}
            {invitation.own.is_empty().then(|| view! { <input type="hidden" name="structure" value="nouvelle" /> })}
            <fieldset>
                <legend>"Nouvelle fiche de l'annuaire"</legend>
                <p class="hint">"À remplir si votre structure n'est pas encore dans l'annuaire : vous en deviendrez gérant·e et pourrez compléter la fiche ensuite."</p>
                <Field name="name" label="Nom de la structure" required=false autocomplete="organization" />
                <div class="field" class:has-error=legal_error.is_some()>
                    <label for="champ-legal_form">"Forme juridique"</label>
                    {legal_error.clone().map(|m| view! { <p class="field-error" id="champ-legal_form-erreur">{m}</p> })}
                    <select id="champ-legal_form" name="legal_form" aria-invalid=legal_error.is_some().then_some("true")
                        aria-describedby=legal_error.is_some().then_some("champ-legal_form-erreur")>
                        <option value="">"Choisissez…"</option>
                        {crate::features::directory::LEGAL_FORMS.iter().map(|(slug, label)| view! {
                            <option value=*slug selected=chosen_form == *slug>{*label}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field" class:has-error=commune_error.is_some()>
                    <label for="champ-commune">"Commune"</label>
                    {commune_error.clone().map(|m| view! { <p class="field-error" id="champ-commune-erreur">{m}</p> })}
                    <select id="champ-commune" name="commune" aria-invalid=commune_error.is_some().then_some("true")
                        aria-describedby=commune_error.is_some().then_some("champ-commune-erreur")>
                        <option value="">"Choisissez…"</option>
                        {invitation.communes.into_iter().map(|(slug, name)| {
                            let selected = chosen_commune == slug;
                            view! { <option value=slug selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </fieldset>
            <button type="submit">"Rejoindre le club"</button>
        </form>
    }
    .into_any()
}
