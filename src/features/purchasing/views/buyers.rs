//! `/achats/acheteurs`: the site admins confirm that a buyer acts for the organisation it
//! declared.

use crate::error::AppError;
use crate::features::purchasing::BUYER_KINDS;
use crate::features::purchasing::PURCHASING_NOTICES;
use crate::features::purchasing::buyers::{BuyerReview, ConfirmBuyer, load_buyers};
use crate::features::purchasing::label_of;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::FormErrors;
use crate::ui::form::FormPath;
use crate::ui::href::login_then;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

#[component]
pub fn BuyersAdminPage() -> impl IntoView {
    let buyers = Resource::new_blocking(|| (), |_| load_buyers());
    view! {
        <Title text="Acheteurs à confirmer" />
        <p class="breadcrumb"><a href="/achats">"← Achats responsables"</a></p>
        <h1>"Acheteurs"</h1>
        <Notice known=PURCHASING_NOTICES />
        <FormErrors />
        <p>"N'importe quel membre peut se déclarer acheteur d'une organisation. Confirmez ceux dont vous avez vérifié qu'ils achètent bien pour elle (un appel au service, une adresse de l'organisation) : tant qu'un acheteur n'est pas confirmé, ses besoins partent vers trois structures au plus et les courriels disent que son organisation n'est pas vérifiée."</p>
        <Suspense>
            {move || Suspend::new(async move {
                match buyers.await {
                    Ok(buyers) => view! { <BuyersTable buyers /> }.into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <p><a href=login_then("/achats/acheteurs")>"Connectez-vous"</a>" avec un compte administrateur."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BuyersTable(buyers: Vec<BuyerReview>) -> impl IntoView {
    if buyers.is_empty() {
        return view! { <p>"Aucun acheteur ne s'est encore déclaré."</p> }.into_any();
    }
    let waiting = buyers.iter().filter(|b| !b.confirmed).count();
    view! {
        <Enhance>
        <section aria-labelledby="acheteurs" id="section-acheteurs">
            <h2 id="acheteurs">{format!("{} acheteur(s), dont {waiting} à confirmer", buyers.len())}</h2>
            <table class="users">
                <thead><tr>
                    <th scope="col">"Organisation déclarée"</th>
                    <th scope="col">"SIRET"</th>
                    <th scope="col">"Compte"</th>
                    <th scope="col">"Besoins"</th>
                    <th scope="col">"État"</th>
                </tr></thead>
                <tbody>
                    {buyers.into_iter().map(|buyer| {
                        let (value, label, state) = if buyer.confirmed {
                            ("non", "Retirer la confirmation", "Confirmé")
                        } else {
                            ("oui", "Confirmer", "À confirmer")
                        };
                        view! {
                            <tr>
                                <td>{buyer.organisation.clone()}<br /><span class="meta">{label_of(BUYER_KINDS, &buyer.kind)}</span></td>
                                <td>{if buyer.siret.is_empty() { "—".to_owned() } else { buyer.siret.clone() }}</td>
                                <td>{buyer.name.clone()}<br /><span class="meta">{buyer.email.clone()}</span></td>
                                <td>{buyer.needs}</td>
                                <td>
                                    {state}
                                    <form method="post" action=ConfirmBuyer::action(&[&buyer.id.to_string()]) class="inline-form"
                                        id=format!("acheteur-{}", buyer.id) data-fn=ConfirmBuyer::PATH data-refresh="#section-acheteurs">
                                        <input type="hidden" name="buyer" value=buyer.id />
                                        <button type="submit" class="secondary" name="confirme" value=value>
                                            {label}
                                            <span class="visually-hidden">{format!(" : {}", buyer.organisation)}</span>
                                        </button>
                                    </form>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        </Enhance>
    }.into_any()
}
