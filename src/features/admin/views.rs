//! `/admin/utilisateurs`.

use crate::ui::form::FormPath;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::AccountStatus;
use super::api::{NOTICES, SetAccountStatus, SetLabelReferent, SetRole, load_users};
use crate::error::AppError;
use crate::features::accounts::SiteRole;
use crate::features::stewardship::views::DecisionButtons;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::FormErrors;
use crate::ui::href::login_then;
use crate::ui::notice::Notice;

#[component]
pub fn UsersAdminPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|map| map.get("q").unwrap_or_default());
    let page = Resource::new_blocking(q, load_users);
    view! {
        <Title text="Utilisateurs" />
        <h1>"Utilisateurs"</h1>
        <p><a href="/achats/acheteurs">"Acheteurs à confirmer"</a>" · "<a href="/moderation">"Modération de l'annuaire"</a></p>
        <Notice known=NOTICES />
        <FormErrors />
        <Suspense>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <UsersAdmin page q=q() /> }.into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <p><a href=login_then("/admin/utilisateurs")>"Connectez-vous"</a>" avec un compte administrateur."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UsersAdmin(page: super::UsersPage, q: String) -> impl IntoView {
    let me = page.me;
    view! {
        <form method="get" action="/admin/utilisateurs" role="search" class="search-form">
            <label for="q">"Chercher un utilisateur (nom ou e-mail)"</label>
            <div class="search-row">
                <input id="q" name="q" type="search" value=q />
                <button type="submit">"Chercher"</button>
            </div>
        </form>
        <Enhance>
        <section aria-labelledby="demandes" id="section-demandes">
            <h2 id="demandes">"Demandes de gestion de fiches"</h2>
            {if page.requests.is_empty() {
                view! { <p>"Aucune demande en attente."</p> }.into_any()
            } else {
                view! {
                    <ul class="requests">
                        {page.requests.into_iter().map(|request| view! {
                            <li>
                                {request.requester}" demande à gérer "
                                <a href=format!("/annuaire/{}", request.structure_slug)>{request.structure_name}</a>
                                <DecisionButtons request_id=request.id back="/admin/utilisateurs" refresh="#section-demandes" />
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="comptes" id="section-comptes">
            <h2 id="comptes">{format!("Comptes ({})", page.users.len())}</h2>
            <table class="users">
                <thead><tr><th scope="col">"Nom"</th><th scope="col">"E-mail"</th><th scope="col">"Fiches gérées"</th><th scope="col">"État"</th><th scope="col">"Actions"</th></tr></thead>
                <tbody>
                    {page.users.into_iter().map(|user| {
                        let state = match (user.disabled, user.verified) {
                            (true, _) => "Désactivé",
                            (false, false) => "Adresse non confirmée",
                            (false, true) => user.role.label(),
                        };
                        let itself = user.id == me;
                        // The buttons that move the account to another role.
                        let roles: Vec<(SiteRole, &str)> = match user.role {
                            SiteRole::Admin => vec![(SiteRole::Member, "Retirer l'administration")],
                            SiteRole::Editor => vec![
                                (SiteRole::Admin, "Rendre administrateur"),
                                (SiteRole::Member, "Retirer la rédaction"),
                            ],
                            SiteRole::Member => vec![
                                (SiteRole::Admin, "Rendre administrateur"),
                                (SiteRole::Editor, "Rendre rédacteur"),
                            ],
                        };
                        let (referent, referent_label) = if user.label_referent {
                            ("non", "Retirer le rôle de référent label")
                        } else {
                            ("oui", "Rendre référent label")
                        };
                        let (status, status_label) = if user.disabled {
                            (AccountStatus::Active, "Réactiver")
                        } else {
                            (AccountStatus::Disabled, "Désactiver")
                        };
                        view! {
                            <tr>
                                <td>{user.name.clone()}</td>
                                <td>{user.email.clone()}</td>
                                <td>{if user.structures.is_empty() { "—".to_owned() } else { user.structures.join(", ") }}</td>
                                <td>{state}{user.label_referent.then_some(" · référent label")}</td>
                                <td>
                                    {(!itself).then(|| view! {
                                        <form method="post" action=SetRole::action(&[&user.id.to_string()]) class="inline-form"
                                            id=format!("role-{}", user.id) data-fn=SetRole::PATH data-refresh="#section-comptes">
                                            <input type="hidden" name="user" value=user.id />
                                            {roles.into_iter().map(|(role, label)| view! {
                                                <button type="submit" class="secondary" name="role" value=role.form_value()>
                                                    {label}
                                                    <span class="visually-hidden">{format!(" : {}", user.name)}</span>
                                                </button>
                                            }).collect_view()}
                                        </form>
                                        <form method="post" action=SetAccountStatus::action(&[&user.id.to_string()]) class="inline-form"
                                            id=format!("statut-{}", user.id) data-fn=SetAccountStatus::PATH data-refresh="#section-comptes">
                                            <input type="hidden" name="user" value=user.id />
                                            <button type="submit" class="secondary" name="status" value=status.form_value()>
                                                {status_label}
                                                <span class="visually-hidden">{format!(" : {}", user.name)}</span>
                                            </button>
                                        </form>
                                    })}
                                    <form method="post" action=SetLabelReferent::action(&[&user.id.to_string()]) class="inline-form"
                                        id=format!("referent-{}", user.id) data-fn=SetLabelReferent::PATH data-refresh="#section-comptes">
                                        <input type="hidden" name="user" value=user.id />
                                        <button type="submit" class="secondary" name="on" value=referent>
                                            {referent_label}
                                            <span class="visually-hidden">{format!(" : {}", user.name)}</span>
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
    }
}
