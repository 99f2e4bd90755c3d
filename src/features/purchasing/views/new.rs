//! Posting a need (declaring the buyer first).

use crate::error::AppError;
use crate::features::purchasing::AMOUNT_BANDS;
use crate::features::purchasing::BUYER_KINDS;
use crate::features::purchasing::CLAUSES;
use crate::features::purchasing::NEED_KINDS;
use crate::features::purchasing::PURCHASING_NOTICES;
use crate::features::purchasing::buyers::DeclareBuyer;
use crate::features::purchasing::label_of;
use crate::features::purchasing::needs::CreateNeed;
use crate::features::purchasing::needs::load_need_form;
use crate::features::purchasing::views::options;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::CheckboxGroup;
use crate::ui::form::Choice;
use crate::ui::form::Field;
use crate::ui::form::FormErrors;
use crate::ui::form::FormPath;
use crate::ui::form::TextArea;
use crate::ui::href::login_then;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

/// `/achats/nouveau`: the buyer form first, then the need form.
#[component]
pub fn NewNeedPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_need_form());
    view! {
        <Title text="Publier un besoin d'achat" />
        <p class="breadcrumb"><a href="/achats">"← Achats responsables"</a></p>
        <h1>"Publier un besoin d'achat"</h1>
        <Notice known=PURCHASING_NOTICES />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => match data.buyer {
                        None => view! { <BuyerFormView /> }.into_any(),
                        Some(buyer) => view! {
                            <p>{format!("Vous publiez pour : {} ({}). ", buyer.organisation, label_of(BUYER_KINDS, &buyer.kind))}
                                {(!buyer.confirmed).then_some("Un administrateur du portail confirmera que vous achetez pour cette organisation ; en attendant, un besoin part vers trois structures au plus.")}</p>
                            <NeedFormView communes=data.communes sectors=data.sectors />
                        }.into_any(),
                    },
                    Err(AppError::Unauthorized) => view! {
                        <p>"Pour publier un besoin, "<a href=login_then("/achats/nouveau")>"connectez-vous"</a>" ou "<a href="/inscription">"créez un compte"</a>"."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BuyerFormView() -> impl IntoView {
    let mut kinds = vec![(String::new(), "—".to_owned())];
    kinds.extend(options(BUYER_KINDS));
    view! {
        <section aria-labelledby="acheteur">
            <h2 id="acheteur">"Pour quelle organisation achetez-vous ?"</h2>
            <Enhance>
                <form method="post" action=DeclareBuyer::action(&[]) class="stack-form" id="formulaire-acheteur" data-fn=DeclareBuyer::PATH>
                    <FormErrors />
                    <Field name="organisation" label="Organisation" autocomplete="organization" hint="Par exemple : Communauté urbaine de Dunkerque, service de la commande publique." />
                    <Choice name="kind" label="Type d'organisation" options=kinds />
                    <Field name="siret" label="SIRET (facultatif)" required=false hint="14 chiffres." />
                    <button type="submit">"Continuer"</button>
                </form>
            </Enhance>
        </section>
    }
}

#[component]
fn NeedFormView(communes: Vec<(String, String)>, sectors: Vec<(String, String)>) -> impl IntoView {
    let mut commune_options = vec![(String::new(), "—".to_owned())];
    commune_options.extend(communes);
    let visibility = vec![
        (
            "public".to_owned(),
            "Publié sur le portail (page « Achats responsables »)".to_owned(),
        ),
        (
            "private".to_owned(),
            "Envoyé seulement aux structures choisies".to_owned(),
        ),
    ];
    view! {
        <Enhance>
            <form method="post" action=CreateNeed::action(&[]) class="stack-form wide" id="formulaire-besoin" data-fn=CreateNeed::PATH>
                <FormErrors />
                <Field name="title" label="Objet" hint="Par exemple : Traiteur pour un buffet de 80 personnes." />
                <TextArea name="description" label="Description" hint="Ce qu'il faut faire, quand, les quantités : les structures répondent d'après ce texte." />
                <CheckboxGroup name="sectors" legend="Secteurs d'activité" options=sectors checked=Vec::new() hint="Cochez de un à cinq secteurs." />
                <Choice name="commune" label="Commune où la prestation a lieu" options=commune_options />
                <Choice name="kind" label="Type de besoin" options=options(NEED_KINDS) />
                <Choice name="amount_band" label="Montant estimé" options=options(AMOUNT_BANDS) />
                <Field name="deadline" label="Date limite des réponses" kind="date" />
                <Choice name="clause" label="Clause sociale" options=options(CLAUSES)
                    hint="Un marché réservé n'est proposé qu'aux structures de la forme juridique correspondante." />
                <Choice name="visibility" label="Diffusion" options=visibility />
                <button type="submit">"Enregistrer et voir les structures proposées"</button>
            </form>
        </Enhance>
    }
}
