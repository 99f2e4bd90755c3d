//! Account queries (same SQL on SQLite and PostgreSQL).

use super::SiteRole;
use crate::db::Db;
use crate::timestamp::Timestamp;

/// A user row as the server needs it (never sent to a browser as such).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub security_stamp: String,
    #[sqlx(try_from = "i64", rename = "site_role")]
    pub role: SiteRole,
    pub email_verified_at: Option<Timestamp>,
    pub disabled_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

const USER_COLUMNS: &str = "id, email, name, password_hash, security_stamp, site_role, \
    email_verified_at, disabled_at, created_at";

pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
    ))
    .bind(email)
    .fetch_optional(&db.pool)
    .await
}

pub async fn find_by_id(db: &Db, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub verified: bool,
    pub role: SiteRole,
}

/// Creates the account; `None` when the e-mail is taken (the database enforces uniqueness).
pub async fn create_user(db: &Db, user: NewUser<'_>) -> Result<Option<i64>, sqlx::Error> {
    let now = Timestamp::now();
    sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, security_stamp, site_role, email_verified_at, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(user.email)
    .bind(user.name)
    .bind(user.password_hash)
    .bind(crate::tokens::new_stamp())
    .bind(user.role.flag())
    .bind(user.verified.then_some(now))
    .bind(now)
    .fetch_optional(&db.pool)
    .await
}

pub use crate::tokens::{Link, Purpose};

/// A new link for `user_id` (`new_email`: the address an e-mail change confirms): the token for
/// the mail. Earlier unused links of the same purpose stop working.
pub async fn new_link(
    db: &Db,
    user_id: i64,
    purpose: Purpose,
    new_email: Option<&str>,
) -> Result<String, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let token = crate::tokens::issue(&mut tx, purpose, user_id, new_email, true).await?;
    tx.commit().await?;
    Ok(token)
}

/// Uses a link once: its user (and detail) when it exists, has this purpose, is unused and
/// unexpired.
pub async fn use_link(db: &Db, token: &str, purpose: Purpose) -> Result<Option<Link>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    crate::tokens::consume(&mut conn, purpose, token).await
}

/// The user of a live link, without using it up (the reset form checks the new password first).
pub async fn link_user(db: &Db, token: &str, purpose: Purpose) -> Result<Option<i64>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    Ok(crate::tokens::find(&mut conn, purpose, token)
        .await?
        .map(|link| link.subject))
}

pub async fn mark_verified(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1), updated_at = $1 WHERE id = $2")
        .bind(Timestamp::now())
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Sets a new password and a new security stamp: every session of the user ends.
pub async fn set_password(db: &Db, user_id: i64, password_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, security_stamp = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(password_hash)
    .bind(crate::tokens::new_stamp())
    .bind(Timestamp::now())
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Stores the same password hashed with other settings, unless the password changed meanwhile;
/// sessions go on (the stamp stays).
pub async fn replace_password_hash(
    db: &Db,
    user_id: i64,
    old_hash: &str,
    new_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3")
        .bind(new_hash)
        .bind(user_id)
        .bind(old_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn set_name(db: &Db, user_id: i64, name: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET name = $1, updated_at = $2 WHERE id = $3")
        .bind(name)
        .bind(Timestamp::now())
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A change to an account that could leave the site without an active admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    SetRole(SiteRole),
    Disable,
    Enable,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeOutcome {
    Done,
    NoSuchUser,
    /// Refused: the user is the last active site admin.
    LastAdmin,
    /// Refused: the user is the last active admin of this club.
    LastClubAdmin(String),
}

/// Applies `change` to `user_id` unless it would leave no active site admin. The check and the
/// change happen in one transaction that holds the admins' rows (PostgreSQL: `FOR UPDATE`;
/// SQLite: `BEGIN IMMEDIATE`, one writer at a time), so two admins demoting each other at the
/// same moment cannot both succeed. Disabling and deleting also change nothing else here; the
/// security stamp is renewed with them, which ends the user's sessions.
pub async fn change_account(
    db: &Db,
    user_id: i64,
    change: AccountChange,
) -> Result<ChangeOutcome, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let lock = match db.backend() {
        crate::db::Backend::Sqlite => "",
        crate::db::Backend::Postgres => " FOR UPDATE",
    };
    let admins: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM users WHERE site_role = $1 AND disabled_at IS NULL{lock}"
    ))
    .bind(SiteRole::Admin.flag())
    .fetch_all(&mut *tx)
    .await?;
    let loses_admin = matches!(
        change,
        AccountChange::SetRole(SiteRole::Member | SiteRole::Editor)
            | AccountChange::Disable
            | AccountChange::Delete
    );
    if loses_admin && admins.contains(&user_id) && admins.len() <= 1 {
        return Ok(ChangeOutcome::LastAdmin); // dropping the transaction rolls it back
    }
    // A club keeps an admin too (the clubs' rule, read here in SQL): its rows are locked as the
    // clubs' own changes lock them, so a club admin leaving at the same moment waits.
    if matches!(change, AccountChange::Disable | AccountChange::Delete) {
        sqlx::query(
            "UPDATE clubs SET updated_at = updated_at WHERE id IN \
             (SELECT club_id FROM club_admins WHERE user_id = $1)",
        )
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let orphaned: Option<String> = sqlx::query_scalar(
            "SELECT c.name FROM club_admins a JOIN clubs c ON c.id = a.club_id WHERE a.user_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM club_admins b JOIN users u ON u.id = b.user_id \
                 WHERE b.club_id = a.club_id AND b.user_id <> $1 AND u.disabled_at IS NULL) \
             ORDER BY c.name LIMIT 1",
        )
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(club) = orphaned {
            return Ok(ChangeOutcome::LastClubAdmin(club));
        }
    }
    let now = Timestamp::now();
    let statement = match change {
        AccountChange::SetRole(role) => {
            sqlx::query("UPDATE users SET site_role = $1, updated_at = $2 WHERE id = $3")
                .bind(role.flag())
                .bind(now)
                .bind(user_id)
        }
        AccountChange::Disable | AccountChange::Enable => sqlx::query(
            "UPDATE users SET disabled_at = $1, security_stamp = $2, updated_at = $3 WHERE id = $4",
        )
        .bind((change == AccountChange::Disable).then_some(now))
        .bind(crate::tokens::new_stamp())
        .bind(now)
        .bind(user_id),
        AccountChange::Delete => sqlx::query("DELETE FROM users WHERE id = $1").bind(user_id),
    };
    if statement.execute(&mut *tx).await?.rows_affected() == 0 {
        return Ok(ChangeOutcome::NoSuchUser);
    }
    tx.commit().await?;
    Ok(ChangeOutcome::Done)
}

/// A successful login: the account is in use again (its inactivity warning, if any, is void).
pub async fn record_login(db: &Db, user_id: i64, now: Timestamp) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_login_at = $1, inactivity_warned_at = NULL WHERE id = $2")
        .bind(now)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The directory entries a user manages: (id, slug, name).
pub async fn managed_structures(
    db: &Db,
    user_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.slug, s.name FROM structure_managers m JOIN structures s ON s.id = m.structure_id \
         WHERE m.user_id = $1 ORDER BY s.sort_key",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

/// Whether `user_id` manages the entry `structure_id`.
pub async fn manages(db: &Db, user_id: i64, structure_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT structure_id FROM structure_managers WHERE user_id = $1 AND structure_id = $2",
    )
    .bind(user_id)
    .bind(structure_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

pub async fn add_manager(db: &Db, user_id: i64, structure_id: i64) -> Result<(), sqlx::Error> {
    add_manager_in(&db.pool, user_id, structure_id, Timestamp::now()).await
}

/// The person no longer manages the structure; `false` when they did not.
pub async fn remove_manager(db: &Db, user_id: i64, structure_id: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM structure_managers WHERE user_id = $1 AND structure_id = $2")
            .bind(user_id)
            .bind(structure_id)
            .execute(&db.pool)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// `(id, name, e-mail)` of a structure's managers.
pub async fn managers_of(
    db: &Db,
    structure_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.name, u.email FROM structure_managers sm JOIN users u ON u.id = sm.user_id \
         WHERE sm.structure_id = $1 ORDER BY u.name",
    )
    .bind(structure_id)
    .fetch_all(&db.pool)
    .await
}

/// `(e-mail, name)` of a structure's managers.
pub async fn manager_addresses(
    db: &Db,
    structure_id: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email, u.name FROM structure_managers sm JOIN users u ON u.id = sm.user_id \
         WHERE sm.structure_id = $1 AND u.disabled_at IS NULL ORDER BY u.id",
    )
    .bind(structure_id)
    .fetch_all(&db.pool)
    .await
}

/// Makes the person a manager of the structure, on the pool or inside another feature's
/// transaction (a request approved, a club's new member entry); nothing when they already are.
pub async fn add_manager_in<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: i64,
    structure_id: i64,
    at: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO structure_managers (user_id, structure_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, structure_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(structure_id)
    .bind(at)
    .execute(executor)
    .await?;
    Ok(())
}

/// Gives or takes the label referent role; `false` when there is no such account.
pub async fn set_label_referent(db: &Db, user_id: i64, on: bool) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET label_referent = $1 WHERE id = $2")
        .bind(i64::from(on))
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes `email` the login of the user (confirmed by the link). `false` when another account
/// took the address in the meantime (the database keeps addresses unique).
pub async fn set_email(db: &Db, user_id: i64, email: &str) -> Result<bool, sqlx::Error> {
    let now = Timestamp::now();
    let result = sqlx::query(
        "UPDATE users SET email = $1, email_verified_at = $2, updated_at = $2 WHERE id = $3",
    )
    .bind(email)
    .bind(now)
    .bind(user_id)
    .execute(&db.pool)
    .await;
    match result {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(false),
        Err(error) => Err(error),
    }
}

/// A merge of two entries: the managers of `from` manage `into` (those who managed both stay
/// once; `from`'s rows go with it).
pub async fn move_managers(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    from: i64,
    into: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE structure_managers SET structure_id = $1 WHERE structure_id = $2 AND NOT EXISTS \
         (SELECT 1 FROM structure_managers o WHERE o.structure_id = $1 AND o.user_id = structure_managers.user_id)",
    )
    .bind(into)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
