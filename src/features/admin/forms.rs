//! The admin forms' POST handlers.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use crate::features::accounts::auth::AuthSession;
use crate::features::accounts::policy::{Action, may};
use crate::server::respond::{failure, forbidden, login_first, see_other};
use crate::state::AppState;

const PAGE: &str = "/admin/utilisateurs";

/// The admin behind this request, or the answer to give instead.
fn admin(auth: &AuthSession) -> Result<i64, Box<Response>> {
    let user = auth.user.as_ref().map(|u| u.current.clone());
    match user {
        None => Err(Box::new(login_first(PAGE))),
        Some(user) if may(Some(&user), Action::AdministerUsers) => Ok(user.id),
        Some(_) => Err(Box::new(forbidden())),
    }
}

fn done(result: Result<(), sqlx::Error>, code: &str) -> Response {
    match result {
        Ok(()) => see_other(&format!("{PAGE}?message={code}")),
        Err(error) => failure(error),
    }
}

/// `POST /admin/utilisateurs/{id}/role` with `admin` = `1` or `0`.
pub async fn set_role(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(user_id): Path<i64>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let me = match admin(&auth) {
        Ok(me) => me,
        Err(response) => return *response,
    };
    let make_admin = fields.get("admin").map(String::as_str) == Some("1");
    if user_id == me && !make_admin {
        return see_other(&format!("{PAGE}?message=pas-soi-meme"));
    }
    done(
        super::db::set_admin(&state.db, user_id, make_admin).await,
        if make_admin {
            "admin-ajoute"
        } else {
            "admin-retire"
        },
    )
}

/// `POST /admin/utilisateurs/{id}/statut` with `desactive` = `1` or `0`.
pub async fn set_status(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(user_id): Path<i64>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let me = match admin(&auth) {
        Ok(me) => me,
        Err(response) => return *response,
    };
    let disable = fields.get("desactive").map(String::as_str) == Some("1");
    if user_id == me && disable {
        return see_other(&format!("{PAGE}?message=pas-soi-meme"));
    }
    done(
        super::db::set_disabled(&state.db, user_id, disable).await,
        if disable {
            "compte-desactive"
        } else {
            "compte-reactive"
        },
    )
}
