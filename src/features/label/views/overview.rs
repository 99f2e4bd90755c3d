//! « Label démarche progrès »: what it is and who holds it.

use super::verify::VerifyForm;
use crate::features::label::Badge;
use crate::features::label::LABEL_FILTER;
use crate::features::label::applying::load_label_overview;
use crate::ui::error::ErrorPage;
use crate::ui::meta::Description;
use leptos::prelude::*;
use leptos_meta::Title;

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
