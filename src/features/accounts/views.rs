//! The account pages. Each form posts to its own address (see `forms`) and works without
//! JavaScript.

use crate::ui::form::FormPath;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::login::LOGIN_NOTICES;
use super::profile::{ACCOUNT_NOTICES, AccountData, load_account};
use crate::error::AppError;
use crate::features::accounts::login::LogIn;
use crate::features::accounts::profile::ChangeEmail;
use crate::features::accounts::profile::ChangePassword;
use crate::features::accounts::profile::ConfirmEmail;
use crate::features::accounts::profile::DeleteAccount;
use crate::features::accounts::profile::UpdateProfile;
use crate::features::accounts::recovery::ForgotPassword;
use crate::features::accounts::recovery::ResetPassword;
use crate::features::accounts::registration::ConfirmAddress;
use crate::features::accounts::registration::SignUp;
use crate::ui::error::ErrorPage;
use crate::ui::form::{Field, FormErrors};
use crate::ui::notice::Notice;

fn query(name: &str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(name))
}

/// `/inscription`: name, e-mail and password; then « check your mail ».
#[component]
pub fn SignUpPage() -> impl IntoView {
    let sent = query("message").as_deref() == Some("verifiez");
    view! {
        <Title text="Créer un compte" />
        <h1>"Créer un compte"</h1>
        {if sent {
            view! {
                <div class="notice" role="status">
                    <p><strong>"Consultez votre messagerie."</strong></p>
                    <p>"Si cette adresse peut recevoir un compte, un message vient de lui être envoyé avec un lien pour confirmer l'adresse. Le lien est valable 48 heures."</p>
                </div>
            }.into_any()
        } else {
            view! {
                <p>"Un compte vous permet de gérer la fiche de votre structure, de vous inscrire aux événements et de suivre vos clubs."</p>
                <form method="post" action=SignUp::action(&[]) class="stack-form">
                    <FormErrors />
                    <Field name="name" label="Nom et prénom" autocomplete="name" />
                    <Field name="email" label="Adresse e-mail" kind="email" autocomplete="email" />
                    <Field name="password" label="Mot de passe" kind="password" autocomplete="new-password"
                        hint="Au moins 10 caractères. Une phrase de quelques mots est plus facile à retenir." />
                    <button type="submit">"Créer mon compte"</button>
                </form>
                <p>"Déjà un compte ? " <a href="/connexion">"Se connecter"</a></p>
            }.into_any()
        }}
    }
}

/// `/verifier?token=…`: one button confirms the address (a POST, so that mail scanners that
/// open links do not use it up).
#[component]
pub fn VerifyPage() -> impl IntoView {
    view! { <ConfirmLink title="Confirmer votre adresse e-mail" action=ConfirmAddress::action(&[]) button="Confirmer mon adresse" /> }
}

/// `/confirmer-adresse?token=…`: confirms a new address after an e-mail change.
#[component]
pub fn ConfirmNewEmailPage() -> impl IntoView {
    view! { <ConfirmLink title="Confirmer votre nouvelle adresse" action=ConfirmEmail::action(&[]) button="Confirmer ma nouvelle adresse" /> }
}

#[component]
fn ConfirmLink(title: &'static str, action: String, button: &'static str) -> impl IntoView {
    let token = query("token").unwrap_or_default();
    view! {
        <Title text=title />
        <h1>{title}</h1>
        <form method="post" action=action class="stack-form">
            <FormErrors />
            <input type="hidden" name="token" value=token />
            <button type="submit">{button}</button>
        </form>
    }
}

/// `/connexion`: e-mail and password; back to where the member was.
#[component]
pub fn LoginPage() -> impl IntoView {
    let next = query("suivant").unwrap_or_default();
    view! {
        <Title text="Connexion" />
        <h1>"Connexion"</h1>
        <Notice known=LOGIN_NOTICES />
        <form method="post" action=LogIn::action(&[]) class="stack-form">
            <FormErrors />
            <input type="hidden" name="suivant" value=next />
            <Field name="email" label="Adresse e-mail" kind="email" autocomplete="username" />
            <Field name="password" label="Mot de passe" kind="password" autocomplete="current-password" />
            <button type="submit">"Se connecter"</button>
        </form>
        <p><a href="/mot-de-passe-oublie">"Mot de passe oublié ?"</a></p>
        <p>"Pas encore de compte ? " <a href="/inscription">"Créer un compte"</a></p>
    }
}

/// `/mot-de-passe-oublie`: asks for a reset link.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let sent = query("message").as_deref() == Some("lien-envoye");
    view! {
        <Title text="Mot de passe oublié" />
        <h1>"Mot de passe oublié"</h1>
        {if sent {
            view! {
                <div class="notice" role="status">
                    <p><strong>"Consultez votre messagerie."</strong></p>
                    <p>"Si un compte existe pour cette adresse, un lien pour choisir un nouveau mot de passe vient de lui être envoyé. Il est valable une heure."</p>
                </div>
            }.into_any()
        } else {
            view! {
                <p>"Indiquez l'adresse de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe."</p>
                <form method="post" action=ForgotPassword::action(&[]) class="stack-form">
                    <FormErrors />
                    <Field name="email" label="Adresse e-mail" kind="email" autocomplete="email" />
                    <button type="submit">"Recevoir un lien"</button>
                </form>
            }.into_any()
        }}
    }
}

/// `/reinitialiser?token=…`: a new password from a mailed link.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = query("token").unwrap_or_default();
    view! {
        <Title text="Nouveau mot de passe" />
        <h1>"Choisir un nouveau mot de passe"</h1>
        <form method="post" action=ResetPassword::action(&[]) class="stack-form">
            <FormErrors />
            <input type="hidden" name="token" value=token />
            <Field name="password" label="Nouveau mot de passe" kind="password" autocomplete="new-password"
                hint="Au moins 10 caractères." />
            <button type="submit">"Enregistrer le mot de passe"</button>
        </form>
    }
}

/// `/compte`: the member's own account.
#[component]
pub fn AccountPage(
    /// Sections other features add (« Mes inscriptions »), composed by the router.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let account = Resource::new_blocking(|| (), |_| load_account());
    view! {
        <Title text="Mon compte" />
        <h1>"Mon compte"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(account) => view! { <AccountSections account /> }.into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <p>"Connectez-vous pour voir votre compte."</p>
                        <p><a href=crate::ui::href::login_then("/compte")>"Se connecter"</a></p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
        {children.map(|children| children())}
    }
}

#[component]
fn AccountSections(account: AccountData) -> impl IntoView {
    let structures = account.structures.clone();
    view! {
        <Notice known=ACCOUNT_NOTICES />
        <FormErrors />
        <section aria-labelledby="infos">
            <h2 id="infos">"Mes informations"</h2>
            <p>"Adresse e-mail : " <strong>{account.email.clone()}</strong></p>
            {account.is_admin.then(|| view! { <p>"Vous êtes administrateur du site."</p> })}
            <form method="post" action=UpdateProfile::action(&[]) class="stack-form">
                <Field name="name" label="Nom et prénom" autocomplete="name" value=account.name.clone() />
                <button type="submit">"Enregistrer le nom"</button>
            </form>
        </section>
        <section aria-labelledby="changer-adresse">
            <h2 id="changer-adresse">"Changer d'adresse e-mail"</h2>
            <p>"Un lien sera envoyé à la nouvelle adresse ; elle remplacera l'actuelle une fois confirmée."</p>
            <form method="post" action=ChangeEmail::action(&[]) class="stack-form">
                <Field name="new_email" label="Nouvelle adresse e-mail" kind="email" autocomplete="email" />
                <Field name="email_password" label="Mot de passe, pour confirmer" kind="password" autocomplete="current-password" />
                <button type="submit">"Changer d'adresse"</button>
            </form>
        </section>
        <section aria-labelledby="structures">
            <h2 id="structures">"Mes structures"</h2>
            {if structures.is_empty() {
                view! { <p>"Vous ne gérez encore aucune fiche de l'annuaire."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {structures.into_iter().map(|(slug, name)| view! {
                            <li><a href=format!("/annuaire/{slug}")>{name}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="mot-de-passe">
            <h2 id="mot-de-passe">"Changer de mot de passe"</h2>
            <form method="post" action=ChangePassword::action(&[]) class="stack-form">
                <Field name="current_password" label="Mot de passe actuel" kind="password" autocomplete="current-password" />
                <Field name="password" label="Nouveau mot de passe" kind="password" autocomplete="new-password"
                    hint="Au moins 10 caractères." />
                <button type="submit">"Changer le mot de passe"</button>
            </form>
        </section>
        <section aria-labelledby="donnees">
            <h2 id="donnees">"Mes données"</h2>
            <p><a href="/compte/donnees.json" download="mes-donnees-dessine.json">"Télécharger mes données (JSON)"</a></p>
        </section>
        <section aria-labelledby="supprimer">
            <h2 id="supprimer">"Supprimer mon compte"</h2>
            <p>"La suppression est définitive. Les fiches de structures restent dans l'annuaire."</p>
            <form method="post" action=DeleteAccount::action(&[]) class="stack-form">
                <Field name="confirm_password" label="Mot de passe, pour confirmer" kind="password" autocomplete="current-password" />
                <button type="submit" class="danger">"Supprimer définitivement mon compte"</button>
            </form>
        </section>
    }
}
