//! Checking an identifier.

use crate::error::AppError;
use crate::features::label::Verification;
use crate::features::label::verification::verify_label;
use crate::ui::error::ErrorPage;
use crate::ui::meta::Description;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The GET form of `/label/verifier`.
#[component]
pub(super) fn VerifyForm(typed: String) -> impl IntoView {
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
    let entry = |entry: crate::features::label::PublicEntry| {
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
