//! The account forms' POST handlers. Each one asks the policy (where a login is needed), counts
//! the attempt against the rate limits, validates, acts, then either redirects (303, with a
//! message code) or renders the same page again with the typed values and French errors.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::auth::AuthSession;
use super::db::{self, NewUser, Purpose};
use super::policy::{Action, may};
use super::{mails, normalise_email, normalise_name, password, tokens};
use crate::features::directory::encode_component;
use crate::server::rate_limit;
use crate::server::respond::{failure, is_local_path, login_first, see_other};
use crate::state::AppState;
use crate::ui::form::FormOutcome;

type Fields = Form<HashMap<String, String>>;

fn field<'a>(fields: &'a HashMap<String, String>, name: &str) -> &'a str {
    fields.get(name).map_or("", String::as_str)
}

/// Renders the page at `path` again (as a GET) with `outcome`, under `status`.
async fn render_again(
    (state, extensions): (&AppState, &Extensions),
    request_path: &str,
    outcome: FormOutcome,
    status: StatusCode,
) -> Response {
    crate::server::render_page(state, extensions, request_path, outcome, status).await
}

/// The 429 answer: the form page again, with the wait in French and in `Retry-After`.
async fn too_many(page: (&AppState, &Extensions), path: &str, wait: Duration) -> Response {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    let message = format!(
        "Trop de tentatives. Pour votre sécurité, réessayez dans {minutes} minute{}.",
        if minutes > 1 { "s" } else { "" }
    );
    let mut response = render_again(
        page,
        path,
        FormOutcome::error("", message),
        StatusCode::TOO_MANY_REQUESTS,
    )
    .await;
    if let Ok(value) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The client's address for rate limits: the TCP peer, or behind a trusted reverse proxy the
/// address that proxy appended to `X-Forwarded-For` (earlier entries can be forged by clients).
fn client_ip(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> String {
    let forwarded = headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map(str::trim)
        .filter(|v| state.config.trust_proxy && v.parse::<std::net::IpAddr>().is_ok());
    forwarded.map_or_else(|| peer.ip().to_string(), str::to_owned)
}

/// Only local paths are followed after login.
fn safe_next(next: &str) -> &str {
    if is_local_path(next) {
        next
    } else {
        "/compte?message=connecte"
    }
}

/// `POST /inscription`.
pub async fn sign_up(
    State(state): State<AppState>,
    extensions: Extensions,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(fields): Fields,
) -> Response {
    const PATH: &str = "/inscription";
    // Per address too: a sign-up with a taken address mails its owner, which must not become a
    // way to flood someone's mailbox.
    let typed_email = field(&fields, "email").trim().to_lowercase();
    let ip = client_ip(&state, peer, &headers);
    if let Err(wait) = state.limiter.check(rate_limit::SIGNUP, &ip, &typed_email) {
        return too_many((&state, &extensions), PATH, wait).await;
    }
    let mut outcome = FormOutcome {
        values: vec![
            ("name".into(), field(&fields, "name").to_owned()),
            ("email".into(), field(&fields, "email").to_owned()),
        ],
        errors: Vec::new(),
    };
    let name = normalise_name(field(&fields, "name"))
        .map_err(|m| outcome.errors.push(("name".into(), m.into())));
    let email = normalise_email(field(&fields, "email"))
        .map_err(|m| outcome.errors.push(("email".into(), m.into())));
    let email_text = email.clone().unwrap_or_default();
    if let Err(message) = password::check_new_password(field(&fields, "password"), &email_text) {
        outcome.errors.push(("password".into(), message.into()));
    }
    let (Ok(name), Ok(email)) = (name, email) else {
        return render_again(
            (&state, &extensions),
            PATH,
            outcome,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if !outcome.errors.is_empty() {
        return render_again(
            (&state, &extensions),
            PATH,
            outcome,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    // Hashing happens whether or not the address is taken, so both answers take as long.
    let hash = match password::hash(field(&fields, "password").to_owned()).await {
        Ok(hash) => hash,
        Err(error) => return failure(error),
    };
    let created = db::create_user(
        &state.db,
        NewUser {
            email: &email,
            name: &name,
            password_hash: &hash,
            verified: false,
            admin: false,
        },
    )
    .await;
    let base = &state.config.base_url;
    match created {
        Ok(Some(user_id)) => {
            let (token, token_hash) = tokens::new_token();
            if let Err(error) =
                db::insert_token(&state.db, user_id, Purpose::Verify, &token_hash).await
            {
                return failure(error);
            }
            state
                .send_mail(mails::verify_address(base, &email, &name, &token))
                .await;
        }
        Ok(None) => {
            // Same answer as for a new address; the owner learns of the attempt by mail.
            if let Ok(Some(existing)) = db::find_by_email(&state.db, &email).await {
                state
                    .send_mail(mails::already_registered(base, &email, &existing.name))
                    .await;
            }
        }
        Err(error) => return failure(error),
    }
    see_other("/inscription?message=verifiez")
}

const INVALID_LINK: &str =
    "Ce lien n'est plus valable : il a déjà servi ou a expiré. Vous pouvez en demander un nouveau.";

/// `POST /verifier`: confirms the address and logs the member in.
pub async fn verify(
    State(state): State<AppState>,
    extensions: Extensions,
    mut auth: AuthSession,
    Form(fields): Fields,
) -> Response {
    let token_hash = tokens::hash_token(field(&fields, "token"));
    let user_id = match db::consume_token(&state.db, &token_hash, Purpose::Verify).await {
        Ok(Some(user_id)) => user_id,
        Ok(None) => {
            return render_again(
                (&state, &extensions),
                "/verifier",
                FormOutcome::error("", INVALID_LINK),
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
        Err(error) => return failure(error),
    };
    if let Err(error) = db::mark_verified(&state.db, user_id).await {
        return failure(error);
    }
    match auth.authenticate(user_id).await {
        Ok(Some(user)) => {
            if let Err(error) = auth.login(&user).await {
                return failure(error);
            }
            see_other("/compte?message=adresse-confirmee")
        }
        // Disabled in the meantime: the address is confirmed, the login refused.
        Ok(None) => see_other("/connexion"),
        Err(error) => failure(error),
    }
}

const BAD_LOGIN: &str = "Adresse e-mail ou mot de passe incorrect.";

/// `POST /connexion`.
pub async fn log_in(
    State(state): State<AppState>,
    extensions: Extensions,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut auth: AuthSession,
    Form(fields): Fields,
) -> Response {
    let next = field(&fields, "suivant").to_owned();
    let path = if next.is_empty() {
        "/connexion".to_owned()
    } else {
        format!("/connexion?suivant={}", encode_component(&next))
    };
    let email = field(&fields, "email").trim().to_lowercase();
    let ip = client_ip(&state, peer, &headers);
    if let Err(wait) = state.limiter.check(rate_limit::LOGIN, &ip, &email) {
        return too_many((&state, &extensions), &path, wait).await;
    }
    let refused = |message: &str| FormOutcome {
        values: vec![("email".into(), field(&fields, "email").to_owned())],
        errors: vec![("".into(), message.to_owned())],
    };
    let row = match db::find_by_email(&state.db, &email).await {
        Ok(row) => row,
        Err(error) => return failure(error),
    };
    let password_ok = password::verify(
        field(&fields, "password").to_owned(),
        row.as_ref().map(|r| r.password_hash.clone()),
    )
    .await;
    let Some(row) = row.filter(|r| password_ok && r.disabled_at.is_none()) else {
        return render_again(
            (&state, &extensions),
            &path,
            refused(BAD_LOGIN),
            StatusCode::UNAUTHORIZED,
        )
        .await;
    };
    if row.email_verified_at.is_none() {
        // Only someone who knows the password learns that the account exists.
        let (token, token_hash) = tokens::new_token();
        if db::insert_token(&state.db, row.id, Purpose::Verify, &token_hash)
            .await
            .is_ok()
        {
            state
                .send_mail(mails::verify_address(
                    &state.config.base_url,
                    &row.email,
                    &row.name,
                    &token,
                ))
                .await;
        }
        let message = "Votre adresse n'est pas encore confirmée : nous venons de vous envoyer un nouveau lien.";
        return render_again(
            (&state, &extensions),
            &path,
            refused(message),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    match auth.authenticate(row.id).await {
        Ok(Some(user)) => {
            if let Err(error) = auth.login(&user).await {
                return failure(error);
            }
            state.limiter.forget_account(rate_limit::LOGIN, &email);
            see_other(safe_next(&next))
        }
        Ok(None) => {
            render_again(
                (&state, &extensions),
                &path,
                refused(BAD_LOGIN),
                StatusCode::UNAUTHORIZED,
            )
            .await
        }
        Err(error) => failure(error),
    }
}

/// `POST /deconnexion`.
pub async fn log_out(mut auth: AuthSession) -> Response {
    if let Err(error) = auth.logout().await {
        return failure(error);
    }
    see_other("/")
}

/// `POST /mot-de-passe-oublie`: same answer whether or not the address has an account.
pub async fn forgot_password(
    State(state): State<AppState>,
    extensions: Extensions,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(fields): Fields,
) -> Response {
    const PATH: &str = "/mot-de-passe-oublie";
    let email = match normalise_email(field(&fields, "email")) {
        Ok(email) => email,
        Err(message) => {
            let outcome = FormOutcome {
                values: vec![("email".into(), field(&fields, "email").to_owned())],
                errors: vec![("email".into(), message.into())],
            };
            return render_again(
                (&state, &extensions),
                PATH,
                outcome,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let ip = client_ip(&state, peer, &headers);
    if let Err(wait) = state.limiter.check(rate_limit::RESET, &ip, &email) {
        return too_many((&state, &extensions), PATH, wait).await;
    }
    match db::find_by_email(&state.db, &email).await {
        Ok(Some(user)) if user.disabled_at.is_none() => {
            let (token, token_hash) = tokens::new_token();
            if let Err(error) =
                db::insert_token(&state.db, user.id, Purpose::Reset, &token_hash).await
            {
                return failure(error);
            }
            state
                .send_mail(mails::reset_password(
                    &state.config.base_url,
                    &user.email,
                    &user.name,
                    &token,
                ))
                .await;
        }
        Ok(_) => {}
        Err(error) => return failure(error),
    }
    see_other("/mot-de-passe-oublie?message=lien-envoye")
}

/// `POST /reinitialiser`: a new password from a mailed link; every session of the user ends.
pub async fn reset_password(
    State(state): State<AppState>,
    extensions: Extensions,
    Form(fields): Fields,
) -> Response {
    let token = field(&fields, "token");
    let path = format!("/reinitialiser?token={}", encode_component(token));
    let token_hash = tokens::hash_token(token);
    let user = match db::token_user(&state.db, &token_hash, Purpose::Reset).await {
        Ok(Some(user_id)) => db::find_by_id(&state.db, user_id).await.ok().flatten(),
        Ok(None) => None,
        Err(error) => return failure(error),
    };
    let Some(user) = user else {
        return render_again(
            (&state, &extensions),
            &path,
            FormOutcome::error("", INVALID_LINK),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let new_password = field(&fields, "password");
    if let Err(message) = password::check_new_password(new_password, &user.email) {
        return render_again(
            (&state, &extensions),
            &path,
            FormOutcome::error("password", message),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let hash = match password::hash(new_password.to_owned()).await {
        Ok(hash) => hash,
        Err(error) => return failure(error),
    };
    // Used up now: a second submission of the same link fails here.
    match db::consume_token(&state.db, &token_hash, Purpose::Reset).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            return render_again(
                (&state, &extensions),
                &path,
                FormOutcome::error("", INVALID_LINK),
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
        Err(error) => return failure(error),
    }
    if let Err(error) = db::set_password(&state.db, user.id, &hash).await {
        return failure(error);
    }
    // Whoever could click the link controls the mailbox: the address is confirmed too.
    let _ = db::mark_verified(&state.db, user.id).await;
    state
        .send_mail(mails::password_changed(
            &state.config.base_url,
            &user.email,
            &user.name,
        ))
        .await;
    see_other("/connexion?message=mot-de-passe-change")
}

/// The member behind this request, if the policy lets them manage an account.
fn member(auth: &AuthSession) -> Option<super::CurrentUser> {
    let user = auth.user.as_ref().map(|u| u.current.clone());
    may(user.as_ref(), Action::ManageOwnAccount)
        .then_some(user)
        .flatten()
}

/// The member's own row, or the answer to give instead (log in first; boxed: a `Response` is
/// large).
async fn member_row(state: &AppState, auth: &AuthSession) -> Result<db::UserRow, Box<Response>> {
    let Some(user) = member(auth) else {
        return Err(Box::new(login_first("/compte")));
    };
    match db::find_by_id(&state.db, user.id).await {
        Ok(Some(row)) => Ok(row),
        Ok(None) => Err(Box::new(see_other("/connexion"))),
        Err(error) => Err(Box::new(failure(error))),
    }
}

/// `POST /compte/profil`.
pub async fn update_profile(
    State(state): State<AppState>,
    extensions: Extensions,
    auth: AuthSession,
    Form(fields): Fields,
) -> Response {
    let Some(user) = member(&auth) else {
        return login_first("/compte");
    };
    match normalise_name(field(&fields, "name")) {
        Ok(name) => match db::set_name(&state.db, user.id, &name).await {
            Ok(()) => see_other("/compte?message=profil"),
            Err(error) => failure(error),
        },
        Err(message) => {
            let outcome = FormOutcome {
                values: vec![("name".into(), field(&fields, "name").to_owned())],
                errors: vec![("name".into(), message.into())],
            };
            render_again(
                (&state, &extensions),
                "/compte",
                outcome,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST /compte/mot-de-passe`: needs the current password; other sessions end, this one stays.
pub async fn change_password(
    State(state): State<AppState>,
    extensions: Extensions,
    mut auth: AuthSession,
    Form(fields): Fields,
) -> Response {
    let row = match member_row(&state, &auth).await {
        Ok(row) => row,
        Err(response) => return *response,
    };
    if let Err(wait) = state.limiter.check_account(rate_limit::LOGIN, &row.email) {
        return too_many((&state, &extensions), "/compte", wait).await;
    }
    if !password::verify(
        field(&fields, "current_password").to_owned(),
        Some(row.password_hash.clone()),
    )
    .await
    {
        return render_again(
            (&state, &extensions),
            "/compte",
            FormOutcome::error("current_password", "Le mot de passe actuel est incorrect."),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let new_password = field(&fields, "password");
    if let Err(message) = password::check_new_password(new_password, &row.email) {
        return render_again(
            (&state, &extensions),
            "/compte",
            FormOutcome::error("password", message),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let hash = match password::hash(new_password.to_owned()).await {
        Ok(hash) => hash,
        Err(error) => return failure(error),
    };
    if let Err(error) = db::set_password(&state.db, row.id, &hash).await {
        return failure(error);
    }
    // The new security stamp ended every session; this one logs in again (with a new id).
    match auth.authenticate(row.id).await {
        Ok(Some(fresh)) => {
            if let Err(error) = auth.login(&fresh).await {
                return failure(error);
            }
        }
        Ok(None) => return see_other("/connexion"),
        Err(error) => return failure(error),
    }
    state
        .send_mail(mails::password_changed(
            &state.config.base_url,
            &row.email,
            &row.name,
        ))
        .await;
    see_other("/compte?message=mot-de-passe")
}

/// `POST /compte/adresse`: asks for a new address, confirmed by a link sent to it. The answer
/// does not say whether another account uses the address.
pub async fn change_email(
    State(state): State<AppState>,
    extensions: Extensions,
    auth: AuthSession,
    Form(fields): Fields,
) -> Response {
    let row = match member_row(&state, &auth).await {
        Ok(row) => row,
        Err(response) => return *response,
    };
    if let Err(wait) = state.limiter.check_account(rate_limit::RESET, &row.email) {
        return too_many((&state, &extensions), "/compte", wait).await;
    }
    let typed = FormOutcome {
        values: vec![("new_email".into(), field(&fields, "new_email").to_owned())],
        errors: Vec::new(),
    };
    let mut checked: Result<String, (&str, &str)> =
        match normalise_email(field(&fields, "new_email")) {
            Ok(email) if email == row.email => {
                Err(("new_email", "C'est déjà l'adresse de votre compte."))
            }
            Ok(email) => Ok(email),
            Err(message) => Err(("new_email", message)),
        };
    if checked.is_ok()
        && !password::verify(
            field(&fields, "email_password").to_owned(),
            Some(row.password_hash.clone()),
        )
        .await
    {
        checked = Err(("email_password", "Le mot de passe est incorrect."));
    }
    let new_email = match checked {
        Ok(email) => email,
        Err((name, message)) => {
            let outcome = FormOutcome {
                errors: vec![(name.to_owned(), message.to_owned())],
                ..typed
            };
            return render_again(
                (&state, &extensions),
                "/compte",
                outcome,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match db::find_by_email(&state.db, &new_email).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            let (token, token_hash) = tokens::new_token();
            if let Err(error) = db::insert_token_for(
                &state.db,
                row.id,
                Purpose::Email,
                &token_hash,
                Some(&new_email),
            )
            .await
            {
                return failure(error);
            }
            state
                .send_mail(mails::confirm_new_address(
                    &state.config.base_url,
                    &new_email,
                    &row.name,
                    &token,
                ))
                .await;
        }
        Err(error) => return failure(error),
    }
    see_other("/compte?message=adresse-envoyee")
}

/// `POST /confirmer-adresse`: the link from the new address's mailbox makes it the login.
pub async fn confirm_email(
    State(state): State<AppState>,
    extensions: Extensions,
    Form(fields): Fields,
) -> Response {
    let token_hash = tokens::hash_token(field(&fields, "token"));
    let (user_id, new_email) = match db::consume_email_token(&state.db, &token_hash).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            return render_again(
                (&state, &extensions),
                "/confirmer-adresse",
                FormOutcome::error("", INVALID_LINK),
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
        Err(error) => return failure(error),
    };
    let old = match db::find_by_id(&state.db, user_id).await {
        Ok(Some(row)) => row,
        Ok(None) => return see_other("/"),
        Err(error) => return failure(error),
    };
    match db::set_email(&state.db, user_id, &new_email).await {
        Ok(true) => {
            state
                .send_mail(mails::address_changed(&old.email, &old.name, &new_email))
                .await;
            see_other("/compte?message=adresse-changee")
        }
        Ok(false) => {
            let message =
                "Cette adresse est déjà celle d'un autre compte : la vôtre n'a pas changé.";
            render_again(
                (&state, &extensions),
                "/confirmer-adresse",
                FormOutcome::error("", message),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(error) => failure(error),
    }
}

/// `POST /compte/supprimer`: needs the password; the account and its sessions are gone.
pub async fn delete_account(
    State(state): State<AppState>,
    extensions: Extensions,
    mut auth: AuthSession,
    Form(fields): Fields,
) -> Response {
    let row = match member_row(&state, &auth).await {
        Ok(row) => row,
        Err(response) => return *response,
    };
    if !password::verify(
        field(&fields, "confirm_password").to_owned(),
        Some(row.password_hash),
    )
    .await
    {
        return render_again(
            (&state, &extensions),
            "/compte",
            FormOutcome::error(
                "confirm_password",
                "Le mot de passe est incorrect : le compte n'a pas été supprimé.",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    if let Err(error) = db::delete_user(&state.db, row.id).await {
        return failure(error);
    }
    let _ = auth.logout().await;
    see_other("/?message=compte-supprime")
}

/// `GET /compte/donnees.json`: everything the portal holds about the member.
pub async fn export_my_data(State(state): State<AppState>, auth: AuthSession) -> Response {
    let row = match member_row(&state, &auth).await {
        Ok(row) => row,
        Err(response) => return *response,
    };
    let structures = db::managed_structures(&state.db, row.id)
        .await
        .unwrap_or_default();
    let body = serde_json::json!({
        "nom": row.name,
        "email": row.email,
        "administrateur": row.is_admin != 0,
        "adresse_confirmee_le": row.email_verified_at,
        "compte_cree_le": row.created_at,
        "structures_gerees": structures.into_iter().map(|(_, slug, name)| serde_json::json!({"nom": name, "fiche": format!("{}/annuaire/{slug}", state.config.base_url)})).collect::<Vec<_>>(),
    });
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mes-donnees-dessine.json\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next("/annuaire?q=velo"), "/annuaire?q=velo");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "",
            "\\\\evil",
            "/\\evil",
        ] {
            assert_eq!(safe_next(bad), "/compte?message=connecte", "{bad}");
        }
    }
}
