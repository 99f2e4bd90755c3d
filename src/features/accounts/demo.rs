//! Demo accounts (local use only; the README gives their passwords).

use super::SiteRole;
use crate::db::Db;

pub const ADMIN_EMAIL: &str = "admin@dessine.example";
pub const ADMIN_PASSWORD: &str = "demo-admin-dessine";
pub const MANAGER_EMAIL: &str = "gerance@courses-asteur.example";
pub const MANAGER_PASSWORD: &str = "demo-gerance-asteur";
/// The entry the demo manager manages.
pub const MANAGED_SLUG: &str = "les-courses-asteur";

/// Runs the Club de l'ESS du dunkerquois (manages Entreprendre Ensemble).
pub const CLUB_ADMIN_EMAIL: &str = "animation@entreprendre-ensemble.example";
pub const CLUB_ADMIN_PASSWORD: &str = "demo-club-dunkerquois";
/// Runs the Artois club (manages the Maison de la poésie).
pub const ARTOIS_ADMIN_EMAIL: &str = "contact@maison-de-la-poesie.example";
pub const ARTOIS_ADMIN_PASSWORD: &str = "demo-club-artois";
/// Manages the Ressourcerie du Dunkerquois, whose request to join waits.
pub const APPLICANT_EMAIL: &str = "direction@ressourcerie-du-dunkerquois.example";
pub const APPLICANT_PASSWORD: &str = "demo-ressourcerie";
/// Writes the news and the information pages.
pub const EDITOR_EMAIL: &str = "redaction@dessine.example";
pub const EDITOR_PASSWORD: &str = "demo-redaction-dessine";

/// A verified demo member `email` (created with `password` when missing); their id.
pub async fn member(
    db: &Db,
    email: &str,
    name: &str,
    password: &str,
) -> Result<i64, crate::error::AppError> {
    person(db, email, name, password, SiteRole::Member).await
}

/// A verified demo account `email` with `role` (created with `password` when missing); its id.
async fn person(
    db: &Db,
    email: &str,
    name: &str,
    password: &str,
    role: SiteRole,
) -> Result<i64, crate::error::AppError> {
    use crate::error::AppError;
    if let Some(user) = super::db::find_by_email(db, email).await? {
        return Ok(user.id);
    }
    let hash = super::password::hash(password.to_owned())
        .await
        .map_err(|_| AppError::Internal)?;
    super::db::create_user(
        db,
        super::db::NewUser {
            email,
            name,
            password_hash: &hash,
            verified: true,
            role,
        },
    )
    .await?;
    super::db::find_by_email(db, email)
        .await?
        .map(|user| user.id)
        .ok_or(AppError::Internal)
}

/// Adds the demo admin, the demo manager of « Les Courses Asteur » and the clubs' people,
/// each with the entry they manage. Idempotent.
pub async fn seed(db: &Db) -> Result<(), sqlx::Error> {
    let people = [
        (
            ADMIN_EMAIL,
            "Camille Administratrice",
            ADMIN_PASSWORD,
            SiteRole::Admin,
            None,
        ),
        (
            MANAGER_EMAIL,
            "Karim Gérant",
            MANAGER_PASSWORD,
            SiteRole::Member,
            Some(MANAGED_SLUG),
        ),
        (
            CLUB_ADMIN_EMAIL,
            "Sophie Animatrice",
            CLUB_ADMIN_PASSWORD,
            SiteRole::Member,
            Some("entreprendre-ensemble"),
        ),
        (
            ARTOIS_ADMIN_EMAIL,
            "Lucie Delattre",
            ARTOIS_ADMIN_PASSWORD,
            SiteRole::Member,
            Some("maison-de-la-poesie"),
        ),
        (
            APPLICANT_EMAIL,
            "Paul Directeur",
            APPLICANT_PASSWORD,
            SiteRole::Member,
            Some("ressourcerie-du-dunkerquois"),
        ),
        (
            EDITOR_EMAIL,
            "Nadia Rédactrice",
            EDITOR_PASSWORD,
            SiteRole::Editor,
            None,
        ),
    ];
    for (email, name, password, role, managed) in people {
        let user = person(db, email, name, password, role)
            .await
            .map_err(|error| sqlx::Error::Protocol(format!("demo account {email}: {error:?}")))?;
        let Some(slug) = managed else { continue };
        let structure: Option<i64> =
            sqlx::query_scalar("SELECT id FROM structures WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&db.pool)
                .await?;
        if let Some(structure) = structure {
            super::db::add_manager(db, user, structure).await?;
        }
    }
    Ok(())
}
