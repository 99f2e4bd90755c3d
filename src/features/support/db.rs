//! Support requests in the database. Taking a request is one conditional update: of two
//! advisors who take it at once, exactly one changes the row; the other is told. Routing is one
//! insert from the networks' territories and needs, in the transaction that confirms the
//! request.

use super::model::{Status, ValidRequest};
use crate::db::Db;
use crate::timestamp::Timestamp;

/// Why a request or a network's settings were not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    Commune,
    Sector,
    Territory,
}

/// Who wrote a request: their account (a member) and the name and address to answer.
pub struct Holder<'a> {
    pub user_id: Option<i64>,
    pub name: &'a str,
    pub email: &'a str,
}

/// Records a request and its first private link (`link_hash`); a member's request (whose
/// address the account confirmed) is routed at once. Its id, or what was unknown.
pub async fn create_request(
    db: &Db,
    request: &ValidRequest,
    holder: &Holder<'_>,
    link_hash: &str,
    now: Timestamp,
) -> Result<Result<i64, Unknown>, sqlx::Error> {
    let commune: Option<i64> =
        sqlx::query_scalar("SELECT id FROM territories WHERE slug = $1 AND kind = 'commune'")
            .bind(&request.commune)
            .fetch_optional(&db.pool)
            .await?;
    let Some(commune) = commune else {
        return Ok(Err(Unknown::Commune));
    };
    let sector: Option<i64> = if request.sector.is_empty() {
        None
    } else {
        match sqlx::query_scalar("SELECT id FROM sectors WHERE slug = $1")
            .bind(&request.sector)
            .fetch_optional(&db.pool)
            .await?
        {
            Some(id) => Some(id),
            None => return Ok(Err(Unknown::Sector)),
        }
    };
    let confirmed = holder.user_id.is_some();
    let status = if confirmed {
        Status::Waiting
    } else {
        Status::Unconfirmed
    };
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO support_requests (holder_name, holder_email, user_id, title, description, \
         sector_id, commune_id, stage, status, created_at, confirmed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(holder.name)
    .bind(holder.email)
    .bind(holder.user_id)
    .bind(&request.title)
    .bind(&request.description)
    .bind(sector)
    .bind(commune)
    .bind(&request.stage)
    .bind(status.as_str())
    .bind(now)
    .bind(confirmed.then_some(now))
    .fetch_one(&mut *tx)
    .await?;
    for need in &request.needs {
        sqlx::query("INSERT INTO support_request_needs (request_id, need) VALUES ($1, $2)")
            .bind(id)
            .bind(need)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("INSERT INTO support_links (hash, request_id, created_at) VALUES ($1, $2, $3)")
        .bind(link_hash)
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    if confirmed {
        route(&mut tx, id).await?;
    }
    tx.commit().await?;
    Ok(Ok(id))
}

/// Sends a request to the networks that cover its commune (itself, its intercommunality or
/// its département) and one of its needs; failing that, to those that cover the territory;
/// failing that, to every network, so that no request is left without a reader.
async fn route(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    request: i64,
) -> Result<(), sqlx::Error> {
    const COVERS: &str = "FROM support_network_territories nt \
         JOIN support_requests q ON q.id = $1 \
         JOIN territories c ON c.id = q.commune_id \
         LEFT JOIN territories p ON p.id = c.parent_id \
         WHERE (nt.territory_id = c.id OR nt.territory_id = p.id OR nt.territory_id = p.parent_id)";
    let steps = [
        format!(
            "INSERT INTO support_routes (request_id, network_id) SELECT DISTINCT $1, nt.network_id \
             {COVERS} AND EXISTS (SELECT 1 FROM support_network_needs nn \
             JOIN support_request_needs rn ON rn.need = nn.need \
             WHERE nn.network_id = nt.network_id AND rn.request_id = $1)"
        ),
        format!(
            "INSERT INTO support_routes (request_id, network_id) SELECT DISTINCT $1, nt.network_id {COVERS}"
        ),
        "INSERT INTO support_routes (request_id, network_id) SELECT $1, structure_id FROM support_networks"
            .to_owned(),
    ];
    for sql in steps {
        let done = sqlx::query(&sql).bind(request).execute(&mut **tx).await?;
        if done.rows_affected() > 0 {
            break;
        }
    }
    Ok(())
}

/// The request a private link leads to.
pub async fn request_of_link(db: &Db, hash: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT request_id FROM support_links WHERE hash = $1")
        .bind(hash)
        .fetch_optional(&db.pool)
        .await
}

/// A fresh private link for the holder's next mail.
pub async fn add_link(
    db: &Db,
    request: i64,
    hash: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO support_links (hash, request_id, created_at) VALUES ($1, $2, $3)")
        .bind(hash)
        .bind(request)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Confirms the holder's address and routes the request, once: true for the call that did it.
pub async fn confirm(db: &Db, request: i64, now: Timestamp) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE support_requests SET status = $1, confirmed_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(Status::Waiting.as_str())
    .bind(now)
    .bind(request)
    .bind(Status::Unconfirmed.as_str())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    route(&mut tx, request).await?;
    tx.commit().await?;
    Ok(true)
}

/// A request as its pages show it (never the holder's address).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub holder_name: String,
    pub user_id: Option<i64>,
    pub sector: String,
    pub commune: String,
    pub stage: String,
    pub status: String,
    pub outcome: Option<String>,
    pub advisor_id: Option<i64>,
    pub advisor_name: Option<String>,
    pub network_name: Option<String>,
    pub created_at: Timestamp,
}

impl RequestRow {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Closed)
    }
}

const REQUEST_COLUMNS: &str = "q.id, q.title, q.description, q.holder_name, q.user_id, \
     COALESCE(se.name, '') AS sector, c.name AS commune, q.stage, q.status, q.outcome, \
     q.advisor_id, u.name AS advisor_name, n.name AS network_name, q.created_at \
     FROM support_requests q JOIN territories c ON c.id = q.commune_id \
     LEFT JOIN sectors se ON se.id = q.sector_id \
     LEFT JOIN users u ON u.id = q.advisor_id \
     LEFT JOIN structures n ON n.id = q.network_id";

pub async fn request(db: &Db, id: i64) -> Result<Option<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {REQUEST_COLUMNS} WHERE q.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// A request's needs, in the order of [`super::model::NEEDS`].
pub async fn needs(db: &Db, id: i64) -> Result<Vec<String>, sqlx::Error> {
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT need FROM support_request_needs WHERE request_id = $1")
            .bind(id)
            .fetch_all(&db.pool)
            .await?;
    Ok(super::model::in_needs_order(&stored))
}

/// The address and name to write to the holder.
pub async fn holder_address(db: &Db, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT holder_email, holder_name FROM support_requests WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// The names of the networks a request was sent to.
pub async fn routed_networks(db: &Db, id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT s.name FROM support_routes r JOIN structures s ON s.id = r.network_id \
         WHERE r.request_id = $1 ORDER BY s.sort_key",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await
}

/// A network the request was sent to that `user` manages, if any: the user is one of its
/// advisors.
pub async fn advisor_network(db: &Db, id: i64, user: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT r.network_id FROM support_routes r JOIN structure_managers m \
         ON m.structure_id = r.network_id AND m.user_id = $2 WHERE r.request_id = $1 \
         ORDER BY r.network_id LIMIT 1",
    )
    .bind(id)
    .bind(user)
    .fetch_optional(&db.pool)
    .await
}

/// The addresses of the advisors of the networks a request was sent to, each once.
pub async fn advisor_addresses(db: &Db, id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT u.email, u.name FROM support_routes r \
         JOIN structure_managers m ON m.structure_id = r.network_id \
         JOIN users u ON u.id = m.user_id WHERE r.request_id = $1 AND u.disabled_at IS NULL \
         ORDER BY u.email",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await
}

/// The advisor who took a request: address and name.
pub async fn advisor_address(db: &Db, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email, u.name FROM support_requests q JOIN users u ON u.id = q.advisor_id \
         WHERE q.id = $1 AND u.disabled_at IS NULL",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// `user` takes a waiting request for `network`: true for the one advisor whose update changed
/// the row. A request whose advisor's account was deleted may be taken again.
pub async fn take(
    db: &Db,
    id: i64,
    user: i64,
    network: i64,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE support_requests SET status = $1, advisor_id = $2, network_id = $3, taken_at = $4 \
         WHERE id = $5 AND advisor_id IS NULL AND status IN ($6, $1)",
    )
    .bind(Status::Taken.as_str())
    .bind(user)
    .bind(network)
    .bind(now)
    .bind(id)
    .bind(Status::Waiting.as_str())
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Who writes a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    Holder,
    Advisor(i64),
}

/// Adds a message to a request that an advisor follows: false when it is not (any more).
pub async fn add_message(
    db: &Db,
    id: i64,
    author: Author,
    body: &str,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let (who, author_id) = match author {
        Author::Holder => ("porteur", None),
        Author::Advisor(user) => ("conseiller", Some(user)),
    };
    let done = sqlx::query(
        "INSERT INTO support_messages (request_id, author, author_id, body, created_at) \
         SELECT id, $2, $3, $4, $5 FROM support_requests WHERE id = $1 AND status = $6",
    )
    .bind(id)
    .bind(who)
    .bind(author_id)
    .bind(body)
    .bind(now)
    .bind(Status::Taken.as_str())
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One message of a request's exchange.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MessageRow {
    pub from_holder: bool,
    pub name: String,
    pub body: String,
    pub created_at: Timestamp,
}

pub async fn messages(db: &Db, id: i64) -> Result<Vec<MessageRow>, sqlx::Error> {
    let rows: Vec<(String, Option<String>, String, Timestamp)> = sqlx::query_as(
        "SELECT m.author, u.name, m.body, m.created_at FROM support_messages m \
         LEFT JOIN users u ON u.id = m.author_id WHERE m.request_id = $1 ORDER BY m.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(author, name, body, created_at)| MessageRow {
            from_holder: author == "porteur",
            name: name.unwrap_or_default(),
            body,
            created_at,
        })
        .collect())
}

/// Closes a request its advisor follows (any advisor when `advisor` is `None`: a site admin),
/// with an outcome: true for the call that closed it.
pub async fn close(
    db: &Db,
    id: i64,
    advisor: Option<i64>,
    outcome: &str,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE support_requests SET status = $1, outcome = $2, closed_at = $3 \
         WHERE id = $4 AND status = $5 AND ($6 = 0 OR advisor_id = $6)",
    )
    .bind(Status::Closed.as_str())
    .bind(outcome)
    .bind(now)
    .bind(id)
    .bind(Status::Taken.as_str())
    .bind(advisor.unwrap_or(0))
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One line of an advisor's queue.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct QueueRow {
    pub id: i64,
    pub title: String,
    pub commune: String,
    pub stage: String,
    pub status: String,
    pub advisor_id: Option<i64>,
    pub advisor_name: Option<String>,
    pub created_at: Timestamp,
}

/// The confirmed requests sent to the networks `user` manages (every one for a site admin),
/// open ones first, then the last hundred closed.
pub async fn queue(db: &Db, user: i64, admin: bool) -> Result<Vec<QueueRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT q.id, q.title, c.name AS commune, q.stage, q.status, q.advisor_id, \
         u.name AS advisor_name, q.created_at FROM support_requests q \
         JOIN territories c ON c.id = q.commune_id LEFT JOIN users u ON u.id = q.advisor_id \
         WHERE q.status <> $1 AND ($2 = 1 OR EXISTS (SELECT 1 FROM support_routes r \
         JOIN structure_managers m ON m.structure_id = r.network_id \
         WHERE r.request_id = q.id AND m.user_id = $3)) \
         ORDER BY CASE q.status WHEN $4 THEN 0 WHEN $5 THEN 1 ELSE 2 END, q.created_at DESC, q.id DESC \
         LIMIT 300",
    )
    .bind(Status::Unconfirmed.as_str())
    .bind(i64::from(admin))
    .bind(user)
    .bind(Status::Waiting.as_str())
    .bind(Status::Taken.as_str())
    .fetch_all(&db.pool)
    .await
}

/// A member's own requests, newest first: `(id, title, status)`.
pub async fn holder_requests(
    db: &Db,
    user: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, title, status FROM support_requests WHERE user_id = $1 \
         ORDER BY created_at DESC, id DESC",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await
}

/// Requests never confirmed are deleted after 7 days; closed ones keep only what the figures
/// need after two years (the holder's name, address, words and the exchange are deleted).
pub const RETENTION: crate::jobs::Job = crate::jobs::Job {
    name: "support-retention",
    every: 24 * 3600,
    run: |state, now| {
        Box::pin(async move {
            let unconfirmed =
                sqlx::query("DELETE FROM support_requests WHERE status = $1 AND created_at < $2")
                    .bind(Status::Unconfirmed.as_str())
                    .bind(now.plus(time::Duration::days(-7)))
                    .execute(&state.db.pool)
                    .await?
                    .rows_affected();
            let old = now.plus(time::Duration::days(-730));
            let mut tx = state.db.begin_write().await?;
            sqlx::query(
                "DELETE FROM support_messages WHERE request_id IN \
                 (SELECT id FROM support_requests WHERE status = $1 AND closed_at < $2)",
            )
            .bind(Status::Closed.as_str())
            .bind(old)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "DELETE FROM support_links WHERE request_id IN \
                 (SELECT id FROM support_requests WHERE status = $1 AND closed_at < $2)",
            )
            .bind(Status::Closed.as_str())
            .bind(old)
            .execute(&mut *tx)
            .await?;
            let anonymised = sqlx::query(
                "UPDATE support_requests SET holder_name = '', holder_email = '', user_id = NULL, \
                 title = '', description = '' WHERE status = $1 AND closed_at < $2 AND holder_email <> ''",
            )
            .bind(Status::Closed.as_str())
            .bind(old)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            Ok(unconfirmed + anonymised)
        })
    },
};
