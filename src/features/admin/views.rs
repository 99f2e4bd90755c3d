//! `/admin/utilisateurs`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::load_users;
use crate::error::AppError;
use crate::features::stewardship::views::DecisionButtons;
use crate::ui::error::ErrorPage;
use crate::ui::form::Notice;

const NOTICES: &[(&str, &str)] = &[
    (
        "admin-ajoute",
        "Le compte est maintenant administrateur du site.",
    ),
    (
        "admin-retire",
        "Le compte n'est plus administrateur du site.",
    ),
    (
        "compte-desactive",
        "Le compte est désactivé : ses sessions sont fermées.",
    ),
    ("compte-reactive", "Le compte est réactivé."),
    ("demande-approuvee", "La demande a été acceptée."),
    ("demande-refusee", "La demande a été refusée."),
    (
        "pas-soi-meme",
        "Vous ne pouvez pas retirer vos propres droits ni désactiver votre compte.",
    ),
];

#[component]
pub fn UsersAdminPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|map| map.get("q").unwrap_or_default());
    let page = Resource::new_blocking(q, load_users);
    view! {
        <Title text="Utilisateurs" />
        <h1>"Utilisateurs"</h1>
        <Notice known=NOTICES />
        <Suspense>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <UsersAdmin page q=q() /> }.into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <p><a href="/connexion?suivant=/admin/utilisateurs">"Connectez-vous"</a>" avec un compte administrateur."</p>
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
        <section aria-labelledby="demandes">
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
                                <DecisionButtons request_id=request.id back="/admin/utilisateurs".to_owned() />
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="comptes">
            <h2 id="comptes">{format!("Comptes ({})", page.users.len())}</h2>
            <table class="users">
                <thead><tr><th scope="col">"Nom"</th><th scope="col">"E-mail"</th><th scope="col">"Fiches gérées"</th><th scope="col">"État"</th><th scope="col">"Actions"</th></tr></thead>
                <tbody>
                    {page.users.into_iter().map(|user| {
                        let state = match (user.disabled, user.verified, user.is_admin) {
                            (true, _, _) => "Désactivé",
                            (false, false, _) => "Adresse non confirmée",
                            (false, true, true) => "Administrateur",
                            (false, true, false) => "Membre",
                        };
                        let itself = user.id == me;
                        view! {
                            <tr>
                                <td>{user.name.clone()}</td>
                                <td>{user.email.clone()}</td>
                                <td>{if user.structures.is_empty() { "—".to_owned() } else { user.structures.join(", ") }}</td>
                                <td>{state}</td>
                                <td>
                                    {(!itself).then(|| view! {
                                        <form method="post" action=format!("/admin/utilisateurs/{}/role", user.id) class="inline-form">
                                            <input type="hidden" name="admin" value=if user.is_admin { "0" } else { "1" } />
                                            <button type="submit" class="secondary">
                                                {if user.is_admin { "Retirer l'administration" } else { "Rendre administrateur" }}
                                                <span class="visually-hidden">{format!(" : {}", user.name)}</span>
                                            </button>
                                        </form>
                                        <form method="post" action=format!("/admin/utilisateurs/{}/statut", user.id) class="inline-form">
                                            <input type="hidden" name="desactive" value=if user.disabled { "0" } else { "1" } />
                                            <button type="submit" class="secondary">
                                                {if user.disabled { "Réactiver" } else { "Désactiver" }}
                                                <span class="visually-hidden">{format!(" : {}", user.name)}</span>
                                            </button>
                                        </form>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
