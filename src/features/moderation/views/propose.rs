//! « Référencer ma structure » (`/annuaire/referencer`) and « Proposer une correction »
//! (`/annuaire/{slug}/corriger`): the entry form, filled with the entry's values for a
//! correction, and the proposer's name and address for a visitor.

use crate::features::directory::LEGAL_FORMS;
use crate::features::moderation::freshness::ConfirmStillAccurate;
use crate::features::moderation::proposing::{
    ConfirmProposal, ProposeCorrection, ProposeStructure, load_proposal_page,
};
use crate::features::moderation::{MODERATION_NOTICES, ProposalPage};
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::{CheckboxGroup, Choice, Field, FormErrors, FormPath, TextArea};
use crate::ui::href::login_then;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;

/// Both pages: a new entry when the address has no slug.
#[component]
pub fn ProposeEntryPage() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let for_load = slug.clone();
    let page = Resource::new_blocking(move || for_load.clone(), load_proposal_page);
    let title = if slug.is_empty() {
        "Référencer ma structure"
    } else {
        "Proposer une correction"
    };
    view! {
        <Title text=title />
        <Suspense>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <ProposalFormView page /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProposalFormView(page: ProposalPage) -> impl IntoView {
    let values = page.values;
    let sectors: Vec<String> = values
        .get("sectors")
        .map_or("", String::as_str)
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let mut forms = vec![(String::new(), "Choisissez…".to_owned())];
    forms.extend(
        LEGAL_FORMS
            .iter()
            .map(|(slug, label)| ((*slug).to_owned(), (*label).to_owned())),
    );
    let mut communes = vec![(String::new(), "Choisissez…".to_owned())];
    communes.extend(page.communes);
    let (heading, intro, action, data_fn, back) = match &page.entry {
        None => (
            "Référencer ma structure".to_owned(),
            "Votre structure fait partie de l'économie sociale et solidaire du territoire (association, coopérative, structure d'insertion, mutuelle, fondation…) ? Présentez-la : l'équipe de modération vérifie chaque proposition avant de la publier dans l'annuaire. Une fois la fiche acceptée, vous en devenez gestionnaire.",
            ProposeStructure::action(&[]),
            ProposeStructure::PATH,
            "/annuaire".to_owned(),
        ),
        Some((slug, name)) => (
            format!("Proposer une correction : {name}"),
            "Une information est fausse ou manque ? Corrigez les champs concernés : la modération examine chaque correction avant qu'elle ne s'applique, et les gestionnaires de la fiche en sont informés.",
            ProposeCorrection::action(&[slug]),
            ProposeCorrection::PATH,
            format!("/annuaire/{slug}"),
        ),
    };
    let slug = page.entry.as_ref().map(|(slug, _)| slug.clone());
    // A likely duplicate, shown beside the box that says it is another structure.
    let value = move |field: &str| values.get(field).cloned().unwrap_or_default();
    let look_alike = crate::ui::form::form_outcome()
        .error_for("autre_structure")
        .map(str::to_owned);
    let member = page.member;
    let login = login_then(&match &slug {
        Some(slug) => format!("/annuaire/{slug}/corriger"),
        None => "/annuaire/referencer".to_owned(),
    });
    view! {
        <p class="breadcrumb"><a href=back>"← Retour"</a></p>
        <h1>{heading}</h1>
        <Notice known=MODERATION_NOTICES />
        <p>{intro}</p>
        <Enhance>
        <form method="post" action=action class="stack-form wide" id="proposition" data-fn=data_fn>
            <FormErrors />
            {slug.map(|slug| view! { <input type="hidden" name="slug" value=slug /> })}
            <Field name="name" label="Nom de la structure" value=value("name") autocomplete="organization" />
            <Choice name="legal_form" label="Forme juridique" options=forms value=value("legal_form") />
            <Choice name="commune" label="Commune" options=communes value=value("commune") />
            <CheckboxGroup name="sectors" legend="Secteurs d'activité" options=page.sectors checked=sectors
                hint="Cochez un ou plusieurs secteurs." />
            <Field name="address" label="Adresse" value=value("address") required=false autocomplete="address-line1" />
            <Field name="postal_code" label="Code postal" value=value("postal_code") required=false autocomplete="postal-code" />
            <Field name="email" label="E-mail de contact de la structure" kind="email" value=value("email") required=false />
            <Field name="phone" label="Téléphone" kind="tel" value=value("phone") required=false />
            <Field name="website" label="Site web" kind="url" value=value("website") required=false hint="Commence par https://" />
            <Field name="siret" label="SIRET" value=value("siret") required=false
                hint="Facultatif : 14 chiffres, sur l'avis de situation INSEE ou annuaire-entreprises.data.gouv.fr." />
            <TextArea name="offer" label="Ce que la structure propose" value=value("offer")
                hint="Produits et services, en quelques lignes : les acheteurs cherchent ici." />
            <TextArea name="description" label="Présentation" value=value("description") />
            <div class="field" class:has-error=look_alike.is_some()>
                {look_alike.clone().map(|m| view! { <p class="field-error" id="champ-autre_structure-erreur">{m}</p> })}
                <label><input type="checkbox" name="autre_structure" value="oui"
                    aria-describedby=look_alike.is_some().then_some("champ-autre_structure-erreur") />
                    " C'est une autre structure que la fiche semblable signalée"</label>
            </div>
            {(!member).then(|| view! {
                <fieldset>
                    <legend>"Qui propose ?"</legend>
                    <p class="hint">"Vous n'êtes pas connecté·e : nous vous écrirons pour confirmer votre adresse, puis pour vous dire ce que la modération a décidé. "
                        <a href=login.clone()>"Se connecter"</a>" évite cette étape."</p>
                    <Field name="proposer_name" label="Votre nom" autocomplete="name" />
                    <Field name="proposer_email" label="Votre e-mail" kind="email" autocomplete="email" />
                </fieldset>
            })}
            <button type="submit">"Envoyer à la modération"</button>
        </form>
        </Enhance>
    }
}

/// `/annuaire/proposition/confirmer?jeton=…`: the button that confirms a visitor's proposal
/// (the mailed link only opens this page; the post changes data).
#[component]
pub fn ConfirmProposalPage() -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get("jeton").unwrap_or_default());
    view! {
        <Title text="Confirmer ma proposition" />
        <h1>"Confirmer ma proposition"</h1>
        <p>"Confirmez votre adresse : votre proposition part alors à l'équipe de modération, qui vous écrira sa décision."</p>
        <form method="post" action=ConfirmProposal::action(&[]) class="stack-form" id="confirmer" data-fn=ConfirmProposal::PATH>
            <FormErrors />
            <input type="hidden" name="jeton" value=token />
            <button type="submit">"Confirmer ma proposition"</button>
        </form>
    }
}

/// `/annuaire/toujours-exact?jeton=…`: the button a manager's yearly mail leads to.
#[component]
pub fn StillAccuratePage() -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get("jeton").unwrap_or_default());
    view! {
        <Title text="Ma fiche est toujours exacte" />
        <h1>"Ma fiche est toujours exacte"</h1>
        <p>"Confirmez que les informations de votre fiche sont à jour : elle affichera la date de cette vérification. Si quelque chose a changé, modifiez plutôt la fiche depuis sa page."</p>
        <form method="post" action=ConfirmStillAccurate::action(&[]) class="stack-form" id="toujours-exact" data-fn=ConfirmStillAccurate::PATH>
            <FormErrors />
            <input type="hidden" name="jeton" value=token />
            <button type="submit">"Ma fiche est toujours exacte"</button>
        </form>
    }
}
