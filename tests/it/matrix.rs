//! The role x action matrix, on both databases: every server function (`/api/…`) and every form
//! post route, called by each role, with the answer each must get. The rows are checked against
//! the application's own lists (the registered server functions, the routes the features
//! declare), so a new route or server function without a row fails here, and so does a row for
//! something that no longer exists.
#![cfg(feature = "ssr")]

use crate::common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};

use common::{TestApp, location, log_in};
use dessine::features::accounts::demo;

const PASSWORD: &str = common::MEMBER_PASSWORD;
const ROLES: [&str; 5] = [
    "anonymous",
    "member",
    "manager",
    "other manager",
    "site admin",
];

/// What a plain form post must answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// 303 to the login page.
    Login,
    /// 303 elsewhere: done.
    Done,
    /// The page again, or an error page, with this status.
    Status(u16),
}
pub(crate) use Form::{Done, Login, Status};

/// What the plain form answers for each role, from what its server function answers.
pub(crate) fn forms(api: [u16; 5]) -> [Form; 5] {
    api.map(|status| match status {
        401 => Login,
        200 => Done,
        other => Status(other),
    })
}

/// One action: its server function, its form route (if a plain form reaches it), the body (with
/// `{n}` a fresh number, `{slug}`, `{request}` a fresh pending request, `{user}` a target
/// account), and the expected answers for [`ROLES`] through the form and through `/api`.
pub(crate) struct Row<const N: usize = 5> {
    pub(crate) server_fn: &'static str,
    pub(crate) form: Option<(&'static str, [Form; N])>,
    pub(crate) body: &'static str,
    pub(crate) api: [u16; N],
}

const ALL: [u16; 5] = [200; 5];
const MEMBERS: [u16; 5] = [401, 200, 200, 200, 200];
const STEWARDS: [u16; 5] = [401, 403, 200, 403, 200];
const ADMINS: [u16; 5] = [401, 403, 403, 403, 200];

fn rows() -> Vec<Row> {
    let row = |server_fn, form, body, api| Row {
        server_fn,
        form,
        body,
        api,
    };
    vec![
        // Reads.
        row("/api/annuaire/recherche", None, "params[q]=poesie", ALL),
        row("/api/annuaire/fiche", None, "slug={slug}", ALL),
        row("/api/reference/overview", None, "", ALL),
        row("/api/accueil", None, "", ALL),
        row("/api/annuaire/gestion", None, "slug={slug}", ALL),
        row("/api/compte", None, "", MEMBERS),
        row(
            "/api/annuaire/modifier/charger",
            None,
            "slug={slug}",
            STEWARDS,
        ),
        row("/api/admin/utilisateurs", None, "q=", ADMINS),
        row("/api/evenements/liste", None, "params[page]=1", ALL),
        row("/api/evenements/fiche", None, "slug={event}", ALL),
        row(
            "/api/evenements/confirmer/charger",
            None,
            "token=inconnu",
            [400; 5],
        ),
        row(
            "/api/evenements/annuler/charger",
            None,
            "token=inconnu",
            [400; 5],
        ),
        row("/api/evenements/mes-inscriptions", None, "", MEMBERS),
        row("/api/evenements/gestion", None, "slug={event}", STEWARDS),
        row(
            "/api/evenements/modifier/charger",
            None,
            "slug={event}",
            STEWARDS,
        ),
        // Anyone: the answers never depend on who asks.
        row(
            "/api/compte/inscription",
            Some(("/inscription", [Done; 5])),
            "name=Nouvelle+Personne&email=nouveau{n}%40exemple.fr&password=cheval+agrafe+batterie",
            ALL,
        ),
        row(
            "/api/compte/confirmer",
            Some(("/verifier", [Status(400); 5])),
            "token=inconnu",
            [400; 5],
        ),
        row(
            "/api/compte/connexion",
            Some(("/connexion", [Status(401); 5])),
            "email=personne{n}%40exemple.fr&password=mauvais+mot+de+passe&suivant=",
            [401; 5],
        ),
        row(
            "/api/compte/mot-de-passe-oublie",
            Some(("/mot-de-passe-oublie", [Done; 5])),
            "email=oubli{n}%40exemple.fr",
            ALL,
        ),
        row(
            "/api/compte/reinitialiser",
            Some(("/reinitialiser", [Status(400); 5])),
            "token=inconnu&password=cheval+agrafe+batterie",
            [400; 5],
        ),
        row(
            "/api/compte/confirmer-adresse",
            Some(("/confirmer-adresse", [Status(400); 5])),
            "token=inconnu",
            [400; 5],
        ),
        // Events: anyone registers (a visitor as a guest), on a fresh event each time.
        row(
            "/api/evenements/inscription",
            Some(("/evenements/{slug}/inscription", [Done; 5])),
            "slug={newevent}&name=Invit%C3%A9+Test&email=invite{n}%40exemple.fr",
            ALL,
        ),
        row(
            "/api/evenements/confirmer",
            Some(("/evenements/confirmer", [Status(400); 5])),
            "token=inconnu",
            [400; 5],
        ),
        row(
            "/api/evenements/annuler",
            Some(("/evenements/annuler", [Status(400); 5])),
            "token=inconnu",
            [400; 5],
        ),
        // Members, on their own account.
        row(
            "/api/compte/profil",
            Some(("/compte/profil", [Login, Done, Done, Done, Done])),
            "name=Nom+Chang%C3%A9",
            MEMBERS,
        ),
        row(
            "/api/compte/mot-de-passe",
            Some((
                "/compte/mot-de-passe",
                [Login, Status(422), Status(422), Status(422), Status(422)],
            )),
            "current_password=faux+mot+de+passe&password=cheval+agrafe+batterie+2",
            [401, 422, 422, 422, 422],
        ),
        row(
            "/api/compte/adresse",
            Some((
                "/compte/adresse",
                [Login, Status(422), Status(422), Status(422), Status(422)],
            )),
            "new_email=pas-une-adresse&email_password=faux+mot+de+passe",
            [401, 422, 422, 422, 422],
        ),
        row(
            "/api/annuaire/gerer",
            Some(("/annuaire/{slug}/gerer", [Login, Done, Done, Done, Done])),
            "slug={slug}",
            MEMBERS,
        ),
        // The newsletter: anyone subscribes; links are the right; editors count.
        row(
            "/api/lettre/abonnement",
            Some(("/lettre", [Done; 5])),
            "email=abonne{n}%40exemple.fr&frequence=hebdomadaire&territoire=",
            ALL,
        ),
        row(
            "/api/lettre/confirmer",
            Some(("/lettre/confirmer", [Status(400); 5])),
            "token=inconnu",
            [400; 5],
        ),
        row(
            "/api/lettre/desinscription",
            Some(("/lettre/desinscription", [Status(400); 5])),
            "token=inconnu",
            [400; 5],
        ),
        row(
            "/api/lettre/confirmer/charger",
            None,
            "token=inconnu",
            [400; 5],
        ),
        row(
            "/api/lettre/desinscription/charger",
            None,
            "token=inconnu",
            [400; 5],
        ),
        row("/api/lettre/territoires", None, "", ALL),
        row("/api/lettre/abonnes", None, "", ADMINS),
        // Anyone writes to a structure (the form shown long ago: `ouvert=0`).
        row("/api/annuaire/ecrire/charger", None, "slug={slug}", ALL),
        row(
            "/api/annuaire/ecrire",
            Some(("/annuaire/{slug}/ecrire", [Done; 5])),
            "slug={slug}&name=Visiteur&email=visiteur{n}%40exemple.fr&message=Bonjour+%21&site_web=&ouvert=0",
            ALL,
        ),
        // Stewards of the entry.
        row(
            "/api/annuaire/formulaire-contact",
            Some((
                "/annuaire/{slug}/formulaire-contact",
                [Login, Status(403), Done, Status(403), Done],
            )),
            "slug={slug}&ouvert=oui",
            STEWARDS,
        ),
        row(
            "/api/annuaire/modifier",
            Some((
                "/annuaire/{slug}/modifier",
                [Login, Status(403), Done, Status(403), Done],
            )),
            "slug={slug}&name=Les+Courses+Asteur&offer=Livraisons&sectors=mobilite&sectors=services-a-la-personne",
            STEWARDS,
        ),
        row(
            "/api/gestion/demandes",
            Some((
                "/gestion/demandes/{request}",
                [Login, Status(403), Done, Status(403), Done],
            )),
            "request={request}&decision=refuser&retour=%2Fcompte",
            STEWARDS,
        ),
        // Organisers of the event (managers of its organiser structure) and site admins; a
        // registration's owner may cancel it too.
        row(
            "/api/inscriptions/annuler",
            Some((
                "/inscriptions/{registration}/annuler",
                [Login, Status(403), Done, Status(403), Done],
            )),
            "registration={registration}&retour=%2Fcompte",
            STEWARDS,
        ),
        row(
            "/api/evenements/ouverture",
            Some((
                "/evenements/{slug}/ouverture",
                [Login, Status(403), Done, Status(403), Done],
            )),
            "slug={event}&opening=ouvrir",
            STEWARDS,
        ),
        row(
            "/api/evenements/accueil",
            Some((
                "/evenements/{slug}/accueil/{registration}",
                [Login, Status(403), Done, Status(403), Done],
            )),
            "slug={event}&registration={registration}&presence=present",
            STEWARDS,
        ),
        row(
            "/api/evenements/modifier",
            Some((
                "/evenements/{slug}/modifier",
                [Login, Status(403), Done, Status(403), Done],
            )),
            EVENT_FIELDS,
            STEWARDS,
        ),
        row(
            "/api/evenements/ateliers",
            Some((
                "/evenements/{slug}/ateliers",
                [Login, Status(403), Done, Status(403), Done],
            )),
            "slug={event}&session_title=Atelier&session_date=2030-05-14&session_start=14%3A00&session_end=15%3A30&room=&session_capacity=20",
            STEWARDS,
        ),
        row(
            "/api/evenements/ateliers/retirer",
            Some((
                "/evenements/{slug}/ateliers/{session}/retirer",
                [Login, Status(403), Done, Status(403), Done],
            )),
            "slug={event}&session={session}",
            STEWARDS,
        ),
        row(
            "/api/evenements/questions",
            Some((
                "/evenements/{slug}/questions",
                [Login, Status(403), Done, Status(403), Done],
            )),
            "slug={event}&label=Repas+%3F&question_kind=oui-non&choices=",
            STEWARDS,
        ),
        row(
            "/api/evenements/questions/retirer",
            Some((
                "/evenements/{slug}/questions/{question}/retirer",
                [Login, Status(403), Done, Status(403), Done],
            )),
            "slug={event}&question={question}",
            STEWARDS,
        ),
        // Members who manage a structure, and site admins.
        row(
            "/api/evenements/nouveau",
            Some((
                "/evenements/nouveau",
                [Login, Status(403), Done, Done, Done],
            )),
            "title=Nouvel+%C3%A9v%C3%A9nement+{n}&kind=autre&start_date=2030-05-14&start_time=09%3A00&end_time=12%3A00&place_name=Salle&visibility=public",
            [401, 403, 200, 200, 200],
        ),
        // Site admins.
        row(
            "/api/admin/utilisateurs/role",
            Some((
                "/admin/utilisateurs/{user}/role",
                [Login, Status(403), Status(403), Status(403), Done],
            )),
            "user={user}&role=membre",
            ADMINS,
        ),
        row(
            "/api/admin/utilisateurs/statut",
            Some((
                "/admin/utilisateurs/{user}/statut",
                [Login, Status(403), Status(403), Status(403), Done],
            )),
            "user={user}&status=actif",
            ADMINS,
        ),
        row(
            "/api/admin/utilisateurs/referent-label",
            Some((
                "/admin/utilisateurs/{user}/referent-label",
                [Login, Status(403), Status(403), Status(403), Done],
            )),
            "user={user}&on=oui",
            ADMINS,
        ),
        // Last: these end the caller's session when they succeed.
        row(
            "/api/compte/supprimer",
            Some((
                "/compte/supprimer",
                [Login, Status(422), Status(422), Status(422), Status(422)],
            )),
            "confirm_password=faux+mot+de+passe",
            [401, 422, 422, 422, 422],
        ),
        row(
            "/api/compte/deconnexion",
            Some(("/deconnexion", [Done; 5])),
            "",
            ALL,
        ),
    ]
}

/// The event form's fields for the matrix event.
const EVENT_FIELDS: &str = "slug={event}&title=Rencontre+de+la+matrice&kind=atelier&start_date=2030-05-14&start_time=09%3A00&end_time=17%3A00&place_name=Salle&commune=dunkerque&organiser={organiser}&capacity=&visibility=public";

/// Routes that are not server functions nor form posts: downloads and exports (GET).
const OTHER_ROUTES: &[(&str, [u16; 5])] = &[
    ("/compte/donnees.json", [303, 200, 200, 200, 200]),
    ("/annuaire.csv", ALL),
    ("/annuaire.json", ALL),
    ("/annuaire.geojson", ALL),
    // Without the visible box (`zone=`), which the map always sends (tests/directory.rs).
    ("/annuaire/carte.json", [400; 5]),
    ("/observatoire.csv", [404; 5]),
    ("/donnees/annuaire-ess.csv", ALL),
    ("/donnees/annuaire-ess.json", ALL),
    ("/donnees/annuaire-ess.geojson", ALL),
    ("/donnees/schema-annuaire-ess.json", ALL),
    // A file that is no snapshot's (snapshots: tests/opendata.rs).
    ("/donnees/instantanes/{name}", [404; 5]),
    ("/evenements.ics", ALL),
    // The demo's accepted booking (Entreprendre Ensemble's room, for the poetry house).
    (
        "/moyens/reservations/{id}/calendrier.ics",
        [303, 403, 403, 403, 200],
    ),
    ("/evenements/{slug}/calendrier.ics", ALL),
    ("/evenements/{slug}/inscrits.csv", [303, 403, 200, 403, 200]),
    ("/actualites.atom", ALL),
    ("/achats/bilan.csv", ALL),
    ("/sitemap.xml", ALL),
    ("/robots.txt", ALL),
    // An image never uploaded; uploaded ones are served to everyone (tests/news.rs).
    ("/medias/{name}", [404; 5]),
];

const MATRIX_EVENT: &str = "rencontre-de-la-matrice";

/// The matrix event, organised by « Les Courses Asteur » (the demo manager's entry).
async fn matrix_event(app: &TestApp, title: &str) -> (i64, String) {
    use dessine::features::events::{EventKind, ValidEvent, Visibility, db};
    let organiser: i64 =
        sqlx::query_scalar("SELECT id FROM structures WHERE slug = 'les-courses-asteur'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let admin: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(demo::ADMIN_EMAIL)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let day = time::Date::from_calendar_date(2030, time::Month::May, 14).unwrap();
    let event = ValidEvent {
        title: title.to_owned(),
        kind: EventKind::Workshop,
        description: String::new(),
        starts_at: dessine::timestamp::paris_wall_clock(
            day,
            time::Time::from_hms(9, 0, 0).unwrap(),
        ),
        ends_at: dessine::timestamp::paris_wall_clock(day, time::Time::from_hms(17, 0, 0).unwrap()),
        place_name: "Salle".to_owned(),
        address: String::new(),
        commune: Some("dunkerque".to_owned()),
        online_url: String::new(),
        organiser: Some(organiser),
        capacity: None,
        per_structure_limit: None,
        opens_at: None,
        closes_at: None,
        visibility: Visibility::Public,
        club: None,
    };
    let slug = db::create_event(&app.db, &event, admin)
        .await
        .unwrap()
        .unwrap();
    (db::event_id(&app.db, &slug).await.unwrap().unwrap(), slug)
}

/// A fresh registration (a guest's, confirmed) to the matrix event.
async fn fresh_registration(app: &TestApp, event: i64, n: u32) -> i64 {
    use dessine::features::events::db;
    let who = db::Registrant {
        user_id: None,
        structure_id: None,
        name: format!("Participant {n}"),
        email: format!("participant{n}@matrice.example"),
    };
    db::register(&app.db, event, &who, &[], &[])
        .await
        .unwrap()
        .0
}

#[test]
fn every_route_and_server_function_has_a_row() {
    let routes = dessine::server::feature_routes();
    // (server function, form path) of every row, whatever its number of roles.
    let mut rows: Vec<(&str, Option<&str>)> = rows()
        .into_iter()
        .chain(club_rows())
        .chain(news_rows())
        .map(|row| (row.server_fn, row.form.map(|(path, _)| path)))
        .collect();
    rows.extend(
        label_rows()
            .into_iter()
            .map(|row| (row.server_fn, row.form.map(|(path, _)| path))),
    );
    rows.extend(
        purchasing_rows()
            .into_iter()
            .map(|row| (row.server_fn, row.form.map(|(path, _)| path))),
    );
    rows.extend(
        crate::calls::call_rows()
            .into_iter()
            .map(|row| (row.server_fn, row.form.map(|(path, _)| path))),
    );
    rows.extend(
        crate::support::support_rows()
            .into_iter()
            .map(|row| (row.server_fn, row.form.map(|(path, _)| path))),
    );
    rows.extend(
        crate::sharing::sharing_rows()
            .into_iter()
            .map(|row| (row.server_fn, row.form.map(|(path, _)| path))),
    );
    rows.extend(
        crate::moderation_matrix::moderation_rows()
            .into_iter()
            .map(|row| (row.server_fn, row.form.map(|(path, _)| path))),
    );
    let declared_forms: BTreeSet<(&str, &str)> = routes
        .form_routes()
        .iter()
        .map(|route| (route.path, route.server_fn))
        .collect();
    let row_forms: BTreeSet<(&str, &str)> = rows
        .iter()
        .filter_map(|(server_fn, form)| form.map(|path| (path, *server_fn)))
        .collect();
    let missing: Vec<_> = declared_forms.difference(&row_forms).collect();
    let stale: Vec<_> = row_forms.difference(&declared_forms).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "every form route (path, server function) needs exactly one matrix row; \
         without a row: {missing:?}; rows for nothing: {stale:?}"
    );
    let registered: BTreeSet<&str> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    let row_fns: BTreeSet<&str> = rows.iter().map(|(server_fn, _)| *server_fn).collect();
    let missing: Vec<_> = registered.difference(&row_fns).collect();
    let stale: Vec<_> = row_fns.difference(&registered).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "every server function needs exactly one matrix row; without a row: {missing:?}; \
         rows for nothing: {stale:?}"
    );
    let others: BTreeSet<&str> = routes.other_paths().iter().copied().collect();
    let row_others: BTreeSet<&str> = OTHER_ROUTES.iter().map(|(path, _)| *path).collect();
    assert_eq!(others, row_others, "every other route needs a row");
    let posts: BTreeSet<&str> = routes.other_posts().iter().copied().collect();
    let row_posts: BTreeSet<&str> = NEWS_POSTS
        .iter()
        .map(|(path, _)| *path)
        .chain(crate::moderation_matrix::MODERATION_POSTS.iter().copied())
        .chain(crate::newsletter::NEWSLETTER_POSTS.iter().copied())
        .collect();
    assert_eq!(posts, row_posts, "every other post route needs a row");
}

async fn account(app: &TestApp, email: &str, manages: Option<&str>) -> i64 {
    common::create_member(app, email, manages).await
}

/// A fresh pending request to manage « Les Courses Asteur », from a new member.
async fn fresh_request(app: &TestApp, n: u32) -> i64 {
    let user = account(app, &format!("demandeur{n}@exemple.fr"), None).await;
    sqlx::query_scalar(
        "INSERT INTO manager_requests (user_id, structure_id, created_at) \
         SELECT $1, id, $2 FROM structures WHERE slug = 'les-courses-asteur' RETURNING id",
    )
    .bind(user)
    .bind(dessine::timestamp::Timestamp::now())
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

/// A form body as the enhancement island sends it to a server function: a name repeated in a
/// plain form (`sectors=a&sectors=b`) becomes `sectors[0]=a&sectors[1]=b`.
fn island_body(body: &str) -> String {
    let pairs: Vec<(&str, &str)> = body
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    let mut seen: std::collections::HashMap<&str, usize> = Default::default();
    pairs
        .iter()
        .map(|(name, value)| {
            if pairs.iter().filter(|(other, _)| other == name).count() > 1 {
                let index = seen.entry(name).or_insert(0);
                *index += 1;
                format!("{name}[{}]={value}", *index - 1)
            } else {
                format!("{name}={value}")
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// One post of the matrix, as a plain form or to a server function.
struct Call<'a> {
    app: &'a TestApp,
    client: &'a reqwest::Client,
    path: &'a str,
    body: String,
    /// Each call comes from its own address: rate limits stay out of the way.
    address: String,
}

impl Call<'_> {
    /// Posts; `None` when the answer is the expected one (`form` for a plain form, else the
    /// server function's `api` status), else what went wrong.
    async fn check(self, form: Option<Form>, api: u16) -> Option<String> {
        let mut builder = self
            .client
            .post(self.app.url(self.path))
            .header("origin", &self.app.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", self.address)
            .body(self.body);
        if form.is_none() {
            builder = builder.header("accept", "application/json");
        }
        let response = builder.send().await.unwrap();
        let status = response.status().as_u16();
        let got = match (status, location(&response).starts_with("/connexion?")) {
            (303, true) => "login".to_owned(),
            (303, false) => "done".to_owned(),
            (status, _) => status.to_string(),
        };
        let expected = match form {
            Some(Login) => "login".to_owned(),
            Some(Done) => "done".to_owned(),
            Some(Status(status)) => status.to_string(),
            None => api.to_string(),
        };
        if got == expected {
            return None;
        }
        let text: String = response
            .text()
            .await
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect();
        Some(format!("expected {expected}, got {got} {text}"))
    }
}

/// Runs every row of `rows` for each of the five `roles` (`clients` logged in as each): its
/// plain form if it has one, then its server function, each call with fresh values from
/// `prepare` (`{placeholder}` → value, for its number `n` and its body) and from its own address
/// in `10.{subnet}.x.y`. The failures, one line each.
pub(crate) async fn run_rows<const N: usize, F, Fut>(
    app: &TestApp,
    roles: [&str; N],
    clients: &[reqwest::Client; N],
    rows: fn() -> Vec<Row<N>>,
    subnet: u8,
    prepare: F,
) -> Vec<String>
where
    F: Fn(u32, &'static str) -> Fut,
    Fut: Future<Output = Vec<(&'static str, String)>>,
{
    let mut failures = Vec::new();
    for (role_index, (role, client)) in roles.iter().zip(clients).enumerate() {
        for row in rows() {
            let calls = row
                .form
                .map(|(path, expected)| (path, Some(expected[role_index])))
                .into_iter()
                .chain([(row.server_fn, None)]);
            for (path, form_expectation) in calls {
                let n = COUNTER.fetch_add(1, Ordering::Relaxed);
                let values = prepare(n, row.body).await;
                let fill = |text: &str| {
                    let mut text = text.replace("{n}", &n.to_string());
                    for (key, value) in &values {
                        text = text.replace(key, value);
                    }
                    text
                };
                // The island sends repeated names indexed, as the server function reads them.
                let body = if form_expectation.is_some() {
                    fill(row.body)
                } else {
                    island_body(&fill(row.body))
                };
                let call = Call {
                    app,
                    client,
                    path: &fill(path),
                    body,
                    address: format!("10.{subnet}.{}.{}", n / 250, n % 250 + 1),
                };
                if let Some(failure) = call.check(form_expectation, row.api[role_index]).await {
                    failures.push(format!("{role} {path}: {failure}"));
                }
            }
        }
    }
    failures
}

/// A fresh workshop and a fresh question of the matrix event, as ids.
async fn fresh_parts(app: &TestApp, event: i64) -> (String, String) {
    let session: i64 = sqlx::query_scalar(
        "INSERT INTO event_sessions (event_id, title, starts_at, ends_at) \
         VALUES ($1, 'Atelier', '2030-05-14T12:00:00Z', '2030-05-14T13:00:00Z') RETURNING id",
    )
    .bind(event)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let question: i64 = sqlx::query_scalar(
        "INSERT INTO event_questions (event_id, position, label, kind) VALUES ($1, 99, 'Question', 'texte') RETURNING id",
    )
    .bind(event)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    (session.to_string(), question.to_string())
}

async fn role_by_action_matrix(app: TestApp) {
    let (event_id, event_slug) = matrix_event(&app, "Rencontre de la matrice").await;
    assert_eq!(event_slug, MATRIX_EVENT);
    let organiser: i64 = sqlx::query_scalar("SELECT organiser_id FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let target = account(&app, "cible@exemple.fr", None).await;
    account(&app, "membre@exemple.fr", None).await;
    account(&app, "autre@exemple.fr", Some("work-co")).await;
    let clients = [
        app.browser(),
        log_in(&app, "membre@exemple.fr", PASSWORD).await,
        log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await,
        log_in(&app, "autre@exemple.fr", PASSWORD).await,
        log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await,
    ];
    let mut failures = Vec::new();
    for (role_index, (role, client)) in ROLES.iter().zip(&clients).enumerate() {
        // Downloads first: the last rows end the session.
        for (path, expected) in OTHER_ROUTES {
            let status = client
                .get(
                    app.url(
                        &path
                            .replace("{slug}", MATRIX_EVENT)
                            .replace("{id}", "1")
                            .replace("{name}", "0123456789abcdef0123456789abcdef.png"),
                    ),
                )
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            if status != expected[role_index] {
                failures.push(format!(
                    "{role} GET {path}: expected {}, got {status}",
                    expected[role_index]
                ));
            }
        }
        for row in rows() {
            // The plain form, then the server function, each with fresh values.
            let calls = row
                .form
                .map(|(path, expected)| (path, Some(expected[role_index])))
                .into_iter()
                .chain([(row.server_fn, None)]);
            for (path, form_expectation) in calls {
                let n = COUNTER.fetch_add(1, Ordering::Relaxed);
                let request = if row.body.contains("{request}") || path.contains("{request}") {
                    fresh_request(&app, n).await.to_string()
                } else {
                    String::new()
                };
                let registration = if row.body.contains("{registration}") {
                    fresh_registration(&app, event_id, n).await.to_string()
                } else {
                    String::new()
                };
                let (session, question) =
                    if row.body.contains("{session}") || row.body.contains("{question}") {
                        fresh_parts(&app, event_id).await
                    } else {
                        (String::new(), String::new())
                    };
                let event = if row.body.contains("{newevent}") {
                    matrix_event(&app, &format!("Inscriptions {n}")).await.1
                } else {
                    event_slug.clone()
                };
                let path_slug = if path.starts_with("/evenements/") {
                    event.as_str()
                } else {
                    "les-courses-asteur"
                };
                let fill = |text: &str| {
                    text.replace("{n}", &n.to_string())
                        .replace("{slug}", path_slug)
                        .replace("{newevent}", &event)
                        .replace("{event}", &event)
                        .replace("{registration}", &registration)
                        .replace("{session}", &session)
                        .replace("{question}", &question)
                        .replace("{organiser}", &organiser.to_string())
                        .replace("{request}", &request)
                        .replace("{user}", &target.to_string())
                };
                let body = if form_expectation.is_some() {
                    fill(row.body)
                } else {
                    island_body(&fill(row.body))
                };
                let call = Call {
                    app: &app,
                    client,
                    path: &fill(path),
                    body,
                    address: format!("10.1.{}.{}", n / 250, n % 250 + 1),
                };
                if let Some(failure) = call.check(form_expectation, row.api[role_index]).await {
                    failures.push(format!("{role} {path}: {failure}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The clubs' roles: who may do what in the « Club de l'ESS du dunkerquois ».
const CLUB_ROLES: [&str; 5] = [
    "anonymous",
    "member of another structure",
    "manager of a member structure",
    "club admin",
    "site admin",
];
const CLUB: &str = "club-de-l-ess-du-dunkerquois";
/// A structure's manager acting for it (`{free}` and `{invited}` are managed by the second
/// role, `{member}` by the third).
const OWN_STRUCTURE: [u16; 5] = [401, 200, 403, 403, 200];
const CLUB_MEMBERS: [u16; 5] = [401, 403, 200, 200, 200];
const CLUB_ADMINS: [u16; 5] = [401, 403, 403, 200, 200];

fn club_rows() -> Vec<Row> {
    let row = |server_fn, form, body, api| Row {
        server_fn,
        form,
        body,
        api,
    };
    let forms = |api: [u16; 5]| -> [Form; 5] {
        api.map(|status| match status {
            401 => Login,
            200 => Done,
            other => Status(other),
        })
    };
    vec![
        row("/api/clubs/liste", None, "", ALL),
        row("/api/clubs/page", None, "slug={club}&search=courses", ALL),
        row("/api/clubs/membres", None, "slug={club}", CLUB_ADMINS),
        row("/api/clubs/formulaire", None, "slug={club}", CLUB_ADMINS),
        row(
            "/api/clubs/nouveau",
            Some(("/clubs/nouveau", forms([401, 403, 403, 403, 200]))),
            "name=Club+de+la+matrice+{n}&territory=artois-comm&description=&charter=&meetings=",
            [401, 403, 403, 403, 200],
        ),
        row(
            "/api/clubs/modifier",
            Some(("/clubs/{slug}/modifier", forms(CLUB_ADMINS))),
            "slug={club}&name=Club+de+l%27ESS+du+dunkerquois&territory=communaute-urbaine-de-dunkerque&description=Pr%C3%A9sentation&charter=Charte&meetings=",
            CLUB_ADMINS,
        ),
        row("/api/clubs/invitation/charger", None, "token={token}", ALL),
        row(
            "/api/clubs/adherer",
            Some(("/clubs/{slug}/adhesion", forms(OWN_STRUCTURE))),
            "slug={club}&structure={free}&message=Bonjour",
            OWN_STRUCTURE,
        ),
        row(
            "/api/clubs/repondre",
            Some(("/clubs/{slug}/reponse", forms(OWN_STRUCTURE))),
            "slug={club}&structure={invited}&answer=decliner",
            OWN_STRUCTURE,
        ),
        row(
            "/api/clubs/quitter",
            Some(("/clubs/{slug}/depart", forms([401, 403, 200, 403, 200]))),
            "slug={club}&structure={member}",
            [401, 403, 200, 403, 200],
        ),
        row(
            "/api/clubs/inviter",
            Some(("/clubs/{slug}/invitations", forms(CLUB_MEMBERS))),
            "slug={club}&structure={free}&message=Venez",
            CLUB_MEMBERS,
        ),
        row(
            "/api/clubs/inviter-courriel",
            Some(("/clubs/{slug}/invitations/courriel", forms(CLUB_MEMBERS))),
            "slug={club}&email=nouvelle{n}%40exemple.fr&message=Venez",
            CLUB_MEMBERS,
        ),
        row(
            "/api/clubs/decider",
            Some(("/clubs/{slug}/membres/decision", forms(CLUB_ADMINS))),
            "slug={club}&structure={requested}&decision=approuver&reason=",
            CLUB_ADMINS,
        ),
        row(
            "/api/clubs/retirer",
            Some(("/clubs/{slug}/membres/retrait", forms(CLUB_ADMINS))),
            "slug={club}&structure={member}&reason=Plus+d%27activit%C3%A9",
            CLUB_ADMINS,
        ),
        row(
            "/api/clubs/administrateurs",
            Some(("/clubs/{slug}/membres/administrateurs", forms(CLUB_ADMINS))),
            "slug={club}&user={representative}&change=nommer",
            CLUB_ADMINS,
        ),
        row(
            "/api/clubs/invitation",
            Some(("/clubs/invitation", [Login, Done, Done, Done, Done])),
            "token={token}&structure=nouvelle&name=Nouvelle+structure+{n}&legal_form=association&commune=dunkerque",
            [401, 200, 200, 200, 200],
        ),
    ]
}

/// A fresh structure of the club in `status`, managed by `manager` if any; its id.
async fn club_structure(app: &TestApp, n: u32, status: &str, manager: Option<i64>) -> i64 {
    let id = common::create_structure(app, &format!("Structure de la matrice {n} {status}")).await;
    if let Some(manager) = manager {
        common::make_manager(app, manager, id).await;
    }
    if !status.is_empty() {
        sqlx::query(
            "INSERT INTO club_members (club_id, structure_id, status, since, updated_at) \
             SELECT id, $1, $2, $3, $3 FROM clubs WHERE slug = $4",
        )
        .bind(id)
        .bind(status)
        .bind(dessine::timestamp::Timestamp::now())
        .bind(CLUB)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    id
}

/// A fresh e-mail invitation to the club; its token.
async fn club_token(app: &TestApp, n: u32) -> String {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO club_email_invitations (club_id, email, created_at) \
         SELECT id, $1, '2026-01-01T00:00:00Z' FROM clubs WHERE slug = $2 RETURNING id",
    )
    .bind(format!("invite{n}@exemple.fr"))
    .bind(CLUB)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let mut conn = app.db.pool.acquire().await.unwrap();
    let purpose = dessine::tokens::Purpose::ClubInvitation;
    dessine::tokens::issue(&mut conn, purpose, id, None, false)
        .await
        .unwrap()
}

async fn club_matrix(app: TestApp) {
    use dessine::features::accounts::demo;
    let other = account(&app, "autre-structure@exemple.fr", Some("reseau-alliances")).await;
    let karim: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(demo::MANAGER_EMAIL)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let clients = [
        app.browser(),
        log_in(&app, "autre-structure@exemple.fr", PASSWORD).await,
        log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await,
        log_in(&app, demo::CLUB_ADMIN_EMAIL, demo::CLUB_ADMIN_PASSWORD).await,
        log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await,
    ];
    let app = &app;
    let prepare = move |n: u32, body: &'static str| async move {
        let mut values: Vec<(&str, String)> =
            vec![("{slug}", CLUB.to_owned()), ("{club}", CLUB.to_owned())];
        if body.contains("{free}") {
            values.push((
                "{free}",
                club_structure(app, n, "", Some(other)).await.to_string(),
            ));
        }
        if body.contains("{invited}") {
            values.push((
                "{invited}",
                club_structure(app, n, "invited", Some(other))
                    .await
                    .to_string(),
            ));
        }
        if body.contains("{member}") {
            values.push((
                "{member}",
                club_structure(app, n, "active", Some(karim))
                    .await
                    .to_string(),
            ));
        }
        if body.contains("{requested}") {
            values.push((
                "{requested}",
                club_structure(app, n, "requested", None).await.to_string(),
            ));
        }
        if body.contains("{representative}") {
            let person = account(app, &format!("representant{n}@exemple.fr"), None).await;
            club_structure(app, n, "active", Some(person)).await;
            values.push(("{representative}", person.to_string()));
        }
        if body.contains("{token}") {
            values.push(("{token}", club_token(app, n).await));
        }
        values
    };
    let failures = run_rows(app, CLUB_ROLES, &clients, club_rows, 2, prepare).await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

mod club_role_by_action_matrix {
    #[tokio::test]
    async fn sqlite() {
        let app = crate::common::spawn_with(crate::common::DatabaseKind::Sqlite, true, true).await;
        super::club_matrix(app).await;
    }
    #[tokio::test]
    async fn postgres() {
        let app =
            crate::common::spawn_with(crate::common::DatabaseKind::Postgres, true, true).await;
        super::club_matrix(app).await;
    }
}

mod role_by_action_matrix {
    #[tokio::test]
    async fn sqlite() {
        let app = crate::common::spawn_with(crate::common::DatabaseKind::Sqlite, true, true).await;
        super::role_by_action_matrix(app).await;
    }
    #[tokio::test]
    async fn postgres() {
        let app =
            crate::common::spawn_with(crate::common::DatabaseKind::Postgres, true, true).await;
        super::role_by_action_matrix(app).await;
    }
}

/// The news' roles.
const NEWS_ROLES: [&str; 5] = [
    "anonymous",
    "member",
    "structure manager",
    "editor",
    "site admin",
];
const EDITORS: [u16; 5] = [401, 403, 403, 200, 200];

fn news_rows() -> Vec<Row> {
    let row = |server_fn, form, body, api| Row {
        server_fn,
        form,
        body,
        api,
    };
    let forms = [Login, Status(403), Status(403), Done, Done];
    const ARTICLE: &str = "title=Article+de+la+matrice+{n}&summary=R%C3%A9sum%C3%A9&body=Texte+%2A%2Agras%2A%2A&keywords=Matrice&publication=brouillon&date=&time=";
    vec![
        row("/api/actualites/liste", None, "page=1&keyword=", ALL),
        // A draft: found by editors only.
        row(
            "/api/actualites/article",
            None,
            "slug={draft}",
            [404, 404, 404, 200, 200],
        ),
        row(
            "/api/actualites/mentions",
            None,
            "kind=annuaire&slug=entreprendre-ensemble",
            ALL,
        ),
        row("/api/redaction/liste", None, "", EDITORS),
        row("/api/redaction/article", None, "id={article}", EDITORS),
        row(
            "/api/redaction/nouveau",
            Some(("/redaction/articles/nouveau", forms)),
            ARTICLE,
            EDITORS,
        ),
        row(
            "/api/redaction/enregistrer",
            Some(("/redaction/articles/{id}", forms)),
            "id={article}&title=Article+modifi%C3%A9+{n}&summary=R%C3%A9sum%C3%A9&body=Texte&keywords=&publication=publie&date=&time=",
            EDITORS,
        ),
        row(
            "/api/redaction/supprimer",
            Some(("/redaction/articles/{id}/supprimer", forms)),
            "id={article}",
            EDITORS,
        ),
        row(
            "/api/redaction/restaurer",
            Some(("/redaction/articles/{id}/restaurer", forms)),
            "id={article}&revision={revision}",
            EDITORS,
        ),
        row(
            "/api/redaction/image/retirer",
            Some(("/redaction/articles/{id}/image/retirer", forms)),
            "id={article}",
            EDITORS,
        ),
        row("/api/redaction/apercu", None, "body=%2A%2Ax%2A%2A", EDITORS),
        row("/api/pages/lire", None, "slug=qui-sommes-nous", ALL),
        row(
            "/api/pages/formulaire",
            None,
            "slug=qui-sommes-nous",
            EDITORS,
        ),
        row(
            "/api/pages/enregistrer",
            Some(("/redaction/pages/{slug}", forms)),
            "slug={page}&title=Qui+sommes-nous+%3F&summary=R%C3%A9sum%C3%A9+{n}&body=Texte+{n}",
            EDITORS,
        ),
        row(
            "/api/pages/restaurer",
            Some(("/redaction/pages/{slug}/restaurer", forms)),
            "slug={page}&revision={pagerevision}",
            EDITORS,
        ),
    ]
}

/// The posts that are not a server function's form: what each role gets.
const NEWS_POSTS: &[(&str, [&str; 5])] = &[
    (
        "/redaction/articles/{id}/image",
        ["login", "403", "403", "done", "done"],
    ),
    ("/redaction/apercu", ["login", "403", "403", "200", "200"]),
];

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// A fresh draft saved twice: its id and its first revision.
async fn fresh_article(app: &TestApp, n: u32) -> (i64, i64) {
    use dessine::features::news::{ArticleEdit, db};
    let author = dessine::features::accounts::CurrentUser {
        id: 1,
        name: "Matrice".into(),
        email: "matrice@exemple.fr".into(),
        role: dessine::features::accounts::SiteRole::Editor,
    };
    let input = ArticleEdit {
        title: format!("Brouillon de la matrice {n}"),
        summary: "Résumé".into(),
        body: "Texte".into(),
        ..Default::default()
    }
    .validated()
    .unwrap();
    let now = dessine::timestamp::Timestamp::now();
    let (id, _) = db::create(&app.db, &input, &[], &author, now)
        .await
        .unwrap();
    db::save(&app.db, id, &input, &[], &author, now)
        .await
        .unwrap();
    let first: i64 = sqlx::query_scalar("SELECT MIN(id) FROM revisions WHERE article_id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    (id, first)
}

async fn news_matrix(app: TestApp) {
    account(&app, "membre@exemple.fr", None).await;
    let page_revision = {
        use dessine::features::about::{PageEdit, db};
        let author = dessine::features::accounts::CurrentUser {
            id: 1,
            name: "Matrice".into(),
            email: "matrice@exemple.fr".into(),
            role: dessine::features::accounts::SiteRole::Editor,
        };
        let edit = PageEdit {
            title: "Qui sommes-nous ?".into(),
            summary: "Résumé".into(),
            body: "Texte".into(),
        };
        db::save(&app.db, "qui-sommes-nous", &edit, &author, None)
            .await
            .unwrap();
        let id: i64 =
            sqlx::query_scalar("SELECT MIN(id) FROM revisions WHERE page_slug = 'qui-sommes-nous'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        id.to_string()
    };
    let draft: String = sqlx::query_scalar("SELECT slug FROM articles WHERE status = 'draft'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let clients = [
        app.browser(),
        log_in(&app, "membre@exemple.fr", PASSWORD).await,
        log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await,
        log_in(&app, demo::EDITOR_EMAIL, demo::EDITOR_PASSWORD).await,
        log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await,
    ];
    let app = &app;
    let prepare = |n: u32, _body: &'static str| {
        let (draft, page_revision) = (draft.clone(), page_revision.clone());
        async move {
            let (article, revision) = fresh_article(app, n).await;
            vec![
                ("{article}", article.to_string()),
                ("{id}", article.to_string()),
                ("{revision}", revision.to_string()),
                ("{draft}", draft),
                ("{page}", "qui-sommes-nous".to_owned()),
                ("{slug}", "qui-sommes-nous".to_owned()),
                ("{pagerevision}", page_revision),
            ]
        }
    };
    let mut failures = run_rows(app, NEWS_ROLES, &clients, news_rows, 3, prepare).await;
    for (role_index, (role, client)) in NEWS_ROLES.iter().zip(&clients).enumerate() {
        // The posts that are not a server function's form.
        for (path, expected) in NEWS_POSTS {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let (article, _) = fresh_article(app, n).await;
            let url = app.url(&path.replace("{id}", &article.to_string()));
            let request = client.post(url).header("origin", &app.base).header(
                "x-forwarded-for",
                format!("10.4.{}.{}", n / 250, n % 250 + 1),
            );
            let request = if path.ends_with("/image") {
                let form = reqwest::multipart::Form::new()
                    .part(
                        "image",
                        reqwest::multipart::Part::bytes(PNG.to_vec())
                            .file_name("point.png")
                            .mime_str("image/png")
                            .unwrap(),
                    )
                    .text("alt", "Un point");
                request.multipart(form)
            } else {
                request
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body("retour=%2Fredaction%2Farticles%2Fnouveau&title=x&body=%2A%2Ax%2A%2A")
            };
            let response = request.send().await.unwrap();
            let got = match (response.status().as_u16(), location(&response)) {
                (303, to) if to.starts_with("/connexion?") => "login".to_owned(),
                (303, _) => "done".to_owned(),
                (status, _) => status.to_string(),
            };
            if got != expected[role_index] {
                failures.push(format!(
                    "{role} POST {path}: expected {}, got {got}",
                    expected[role_index]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

mod news_role_by_action_matrix {
    #[tokio::test]
    async fn sqlite() {
        let app = crate::common::spawn_with(crate::common::DatabaseKind::Sqlite, true, true).await;
        super::news_matrix(app).await;
    }
    #[tokio::test]
    async fn postgres() {
        let app =
            crate::common::spawn_with(crate::common::DatabaseKind::Postgres, true, true).await;
        super::news_matrix(app).await;
    }
}

/// The label's roles (issue 15): the structure's own manager applies; referents and site admins
/// run cohorts, attendance and steps.
const LABEL_ROLES: [&str; 6] = [
    "anonymous",
    "member",
    "manager of the structure",
    "other manager",
    "label referent",
    "site admin",
];
const LABEL_ALL: [u16; 6] = [200; 6];
const LABEL_MEMBERS: [u16; 6] = [401, 200, 200, 200, 200, 200];
const LABEL_OWN: [u16; 6] = [401, 403, 200, 403, 403, 200];
const LABEL_REFERENTS: [u16; 6] = [401, 403, 403, 403, 200, 200];

fn label_rows() -> Vec<Row<6>> {
    let row = |server_fn, form, body, api| Row {
        server_fn,
        form,
        body,
        api,
    };
    let forms = |api: [u16; 6]| -> [Form; 6] {
        api.map(|status| match status {
            401 => Login,
            200 => Done,
            other => Status(other),
        })
    };
    vec![
        row("/api/label/apercu", None, "", LABEL_ALL),
        row(
            "/api/label/verifier",
            None,
            "identifiant=DP-62-AAAA-BBBB",
            LABEL_ALL,
        ),
        row("/api/label/fiche", None, "slug={slug}", LABEL_ALL),
        row("/api/label/mes-parcours", None, "", LABEL_MEMBERS),
        row("/api/label/gestion", None, "", LABEL_REFERENTS),
        row(
            "/api/label/presences/charger",
            None,
            "cohort={cohort}&day=1",
            LABEL_REFERENTS,
        ),
        row(
            "/api/label/candidater",
            Some(("/annuaire/{slug}/label", forms(LABEL_OWN))),
            "slug={slug}",
            LABEL_OWN,
        ),
        row(
            "/api/label/cohortes",
            Some(("/label/cohortes", forms(LABEL_REFERENTS))),
            "name=Cohorte+{n}&territory=artois-comm&referent=&place_name=&commune=&start_time=09%3A00&end_time=17%3A00\
             &days=2030-01-07&days=2030-01-14&days=2030-01-21&days=2030-01-28&days=2030-02-04&days=2030-02-11",
            LABEL_REFERENTS,
        ),
        row(
            "/api/label/admission",
            Some(("/label/admission", forms(LABEL_REFERENTS))),
            "journey={applied}&cohort={cohort}&retour=",
            LABEL_REFERENTS,
        ),
        row(
            "/api/label/presences",
            Some((
                "/label/cohortes/{cohort}/journees/{day}",
                forms(LABEL_REFERENTS),
            )),
            "cohort={cohort}&day=1&listed={admitted}&present={admitted}",
            LABEL_REFERENTS,
        ),
        row(
            "/api/label/parcours",
            Some(("/label/parcours/{journey}", forms(LABEL_REFERENTS))),
            "journey={applied}&action=retirer&note=Test&retour=",
            LABEL_REFERENTS,
        ),
    ]
}

/// A fresh structure managed by `manager`; its slug and id.
async fn label_structure(app: &TestApp, n: u32, manager: i64) -> (String, i64) {
    let name = format!("Structure du label {n}");
    let id = common::create_structure(app, &name).await;
    common::make_manager(app, manager, id).await;
    (dessine::slug::slugify(&name), id)
}

async fn label_matrix(app: TestApp) {
    use dessine::features::label::{Step, StepKind, db as label};
    let manager = account(&app, "gerant-label@exemple.fr", None).await;
    account(&app, "membre-label@exemple.fr", None).await;
    account(&app, "autre-label@exemple.fr", Some("work-co")).await;
    let referent = account(&app, "referent-label@exemple.fr", None).await;
    label::set_referent(&app.db, referent, true).await.unwrap();
    let clients = [
        app.browser(),
        log_in(&app, "membre-label@exemple.fr", PASSWORD).await,
        log_in(&app, "gerant-label@exemple.fr", PASSWORD).await,
        log_in(&app, "autre-label@exemple.fr", PASSWORD).await,
        log_in(&app, "referent-label@exemple.fr", PASSWORD).await,
        log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await,
    ];
    let scheme = label::scheme(&app.db).await.unwrap();
    let cohort = label::create_cohort(
        &app.db,
        &scheme,
        &dessine::features::label::CohortForm {
            name: "Cohorte de la matrice".into(),
            territory: "artois-comm".into(),
            start_time: "09:00".into(),
            end_time: "17:00".into(),
            days: dessine::ui::form::Many(
                (1..=6).map(|d| format!("2030-03-{:02}", d * 2)).collect(),
            ),
            ..Default::default()
        }
        .validated(6)
        .unwrap(),
        referent,
    )
    .await
    .unwrap();
    let app = &app;
    let scheme = &scheme;
    let prepare = move |n: u32, body: &'static str| async move {
        let (slug, structure) = label_structure(app, n, manager).await;
        let mut values: Vec<(&str, String)> = vec![
            ("{slug}", slug),
            ("{cohort}", cohort.to_string()),
            ("{day}", "1".to_owned()),
        ];
        if body.contains("{applied}") || body.contains("{admitted}") {
            let now = dessine::timestamp::Timestamp::now();
            let journey = label::apply(&app.db, scheme, structure, manager, now)
                .await
                .unwrap();
            if body.contains("{admitted}") {
                let step = Step {
                    cohort_id: Some(cohort),
                    ..Step::new(StepKind::Admitted, now)
                };
                label::append(&app.db, scheme, journey, step, Some(referent))
                    .await
                    .unwrap();
            }
            values.push(("{applied}", journey.to_string()));
            values.push(("{admitted}", journey.to_string()));
            values.push(("{journey}", journey.to_string()));
        }
        values
    };
    let failures = run_rows(app, LABEL_ROLES, &clients, label_rows, 3, prepare).await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

mod label_role_by_action_matrix {
    #[tokio::test]
    async fn sqlite() {
        let app = crate::common::spawn_with(crate::common::DatabaseKind::Sqlite, true, true).await;
        super::label_matrix(app).await;
    }
    #[tokio::test]
    async fn postgres() {
        let app =
            crate::common::spawn_with(crate::common::DatabaseKind::Postgres, true, true).await;
        super::label_matrix(app).await;
    }
}

/// Responsible purchasing's roles (issue 16): a buyer writes needs and books meetings; the need's
/// buyer runs it; the managers of the structures it was sent to answer; the fair's slots are the
/// organisers' (here only the site admin).
const PURCHASING_ROLES: [&str; 7] = [
    "anonymous",
    "member",
    "buyer",
    "the need's buyer",
    "matched supplier's manager",
    "other manager",
    "site admin",
];
const BUY_ALL: [u16; 7] = [200; 7];
const BUY_MEMBERS: [u16; 7] = [401, 200, 200, 200, 200, 200, 200];
const BUY_BUYERS: [u16; 7] = [401, 403, 200, 200, 403, 403, 403];
const BUY_OWNER: [u16; 7] = [401, 403, 403, 200, 403, 403, 200];
const BUY_SUPPLIER: [u16; 7] = [401, 403, 403, 403, 200, 403, 200];
const BUY_ADMIN: [u16; 7] = [401, 403, 403, 403, 403, 403, 200];
/// A private need: anyone it was not sent to (a visitor too) finds nothing, as for a missing need.
const BUY_PRIVATE: [u16; 7] = [404, 404, 404, 200, 200, 404, 200];

fn purchasing_rows() -> Vec<Row<7>> {
    let row = |server_fn, form, body, api| Row {
        server_fn,
        form,
        body,
        api,
    };
    let forms = |api: [u16; 7]| -> [Form; 7] {
        api.map(|status| match status {
            401 => Login,
            200 => Done,
            other => Status(other),
        })
    };
    vec![
        row("/api/achats/liste", None, "secteur=&territoire=", BUY_ALL),
        row("/api/achats/besoin", None, "id={private}", BUY_PRIVATE),
        row("/api/achats/nouveau/charger", None, "", BUY_MEMBERS),
        row("/api/achats/mes-demandes", None, "", BUY_MEMBERS),
        row("/api/achats/bilan", None, "annee=0", BUY_ALL),
        row("/api/achats/salon", None, "slug={slug}", BUY_ALL),
        row(
            "/api/achats/besoins",
            Some(("/achats/nouveau", forms(BUY_BUYERS))),
            "title=Besoin+{n}&description=Une+description+assez+longue+du+besoin.&commune=dunkerque\
             &kind=devis&amount_band=moins-10k&deadline={deadline}&clause=aucune&visibility=public&sectors=recyclage",
            BUY_BUYERS,
        ),
        row(
            "/api/achats/fournisseurs",
            Some(("/achats/{id}/fournisseurs", forms(BUY_OWNER))),
            "need={draft}&structure={structure}&action=retirer",
            BUY_OWNER,
        ),
        row(
            "/api/achats/fournisseurs/ajouter",
            Some(("/achats/{id}/fournisseurs/ajouter", forms(BUY_OWNER))),
            "need={draft}&structure=les-courses-asteur",
            BUY_OWNER,
        ),
        row(
            "/api/achats/envoyer",
            Some(("/achats/{id}/envoyer", forms(BUY_OWNER))),
            "need={draft}",
            BUY_OWNER,
        ),
        row(
            "/api/achats/repondre",
            Some(("/achats/{id}/reponse", forms(BUY_SUPPLIER))),
            "need={open}&structure={structure_slug}&answer=interesse&message=Nous+pouvons+le+faire.&attachment_url=",
            BUY_SUPPLIER,
        ),
        row(
            "/api/achats/contacter",
            Some(("/achats/{id}/contact", forms(BUY_OWNER))),
            "need={open}&structure={structure}&message=Pouvez-vous+nous+appeler+%3F",
            BUY_OWNER,
        ),
        row(
            "/api/achats/cloturer",
            Some(("/achats/{id}/cloture", forms(BUY_OWNER))),
            "need={open}&rows[0][structure]={structure}&rows[0][outcome]=retenu&rows[0][amount]=1200",
            BUY_OWNER,
        ),
        row(
            "/api/achats/salon/creneaux",
            Some(("/evenements/{slug}/rendez-vous/creneaux", forms(BUY_ADMIN))),
            "slug={slug}&start_time=08%3A00&end_time=08%3A40&minutes=20",
            BUY_ADMIN,
        ),
        row(
            "/api/achats/salon/stands",
            Some(("/evenements/{slug}/rendez-vous/stands", forms(BUY_ADMIN))),
            "slug={slug}&exposant={structure_slug}",
            BUY_ADMIN,
        ),
        row(
            "/api/achats/salon/reserver",
            Some(("/evenements/{slug}/rendez-vous", forms(BUY_BUYERS))),
            "slug={slug}&slot={slot}&structure={structure}",
            BUY_BUYERS,
        ),
        row("/api/achats/acheteurs/liste", None, "", BUY_ADMIN),
        row(
            "/api/achats/acheteurs/confirmer",
            Some(("/achats/acheteurs/{buyer}/confirmation", forms(BUY_ADMIN))),
            "buyer={buyer}&confirme=oui",
            BUY_ADMIN,
        ),
        // Last: it makes whoever posts it a buyer.
        row(
            "/api/achats/acheteur",
            Some(("/achats/acheteur", forms(BUY_MEMBERS))),
            "organisation=Organisation+{n}&kind=entreprise&siret=",
            BUY_MEMBERS,
        ),
    ]
}

async fn purchasing_matrix(app: TestApp) {
    use dessine::features::purchasing::{ValidBuyer, ValidNeed, db as purchasing, demo as fair};
    use dessine::timestamp::Timestamp;
    account(&app, "membre-achats@exemple.fr", None).await;
    let buyer_user = account(&app, "acheteur-achats@exemple.fr", None).await;
    let owner_user = account(&app, "donneur-achats@exemple.fr", None).await;
    let supplier_manager = account(&app, "fournisseur-achats@exemple.fr", None).await;
    account(&app, "autre-achats@exemple.fr", Some("work-co")).await;
    let mut buyers = Vec::new();
    for (user, organisation) in [
        (buyer_user, "Autre acheteur"),
        (owner_user, "Acheteur du besoin"),
    ] {
        let buyer = ValidBuyer {
            organisation: organisation.into(),
            kind: "entreprise".into(),
            siret: None,
        };
        purchasing::declare_buyer(&app.db, user, &buyer, Timestamp::now())
            .await
            .unwrap();
        buyers.push(
            purchasing::buyer_of(&app.db, user)
                .await
                .unwrap()
                .unwrap()
                .id,
        );
    }
    let owner = buyers[1];
    let clients = [
        app.browser(),
        log_in(&app, "membre-achats@exemple.fr", PASSWORD).await,
        log_in(&app, "acheteur-achats@exemple.fr", PASSWORD).await,
        log_in(&app, "donneur-achats@exemple.fr", PASSWORD).await,
        log_in(&app, "fournisseur-achats@exemple.fr", PASSWORD).await,
        log_in(&app, "autre-achats@exemple.fr", PASSWORD).await,
        log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await,
    ];
    let event = dessine::features::events::db::find(&app.db, fair::FAIR_SLUG)
        .await
        .unwrap()
        .unwrap();
    let (event_id, fair_day) = (event.id, event.starts_at);
    let deadline = (Timestamp::now().in_paris().date() + time::Duration::days(30)).to_string();
    let app = &app;
    let deadline = &deadline;
    let prepare = move |n: u32, body: &'static str| async move {
        let name = format!("Fournisseur de la matrice {n}");
        let structure = common::create_structure(app, &name).await;
        common::make_manager(app, supplier_manager, structure).await;
        let mut values: Vec<(&str, String)> = vec![
            ("{slug}", fair::FAIR_SLUG.to_owned()),
            ("{structure}", structure.to_string()),
            ("{structure_slug}", dessine::slug::slugify(&name)),
            ("{deadline}", deadline.clone()),
        ];
        let need = |public: bool| ValidNeed {
            title: format!("Besoin de la matrice {n}"),
            description: "Une description du besoin de la matrice.".into(),
            commune: "dunkerque".into(),
            kind: "devis".into(),
            amount_band: "moins-10k".into(),
            deadline: deadline.clone(),
            clause: "aucune".into(),
            public,
            sectors: vec!["recyclage".into()],
        };
        values.push(("{buyer}", owner.to_string()));
        if ["{draft}", "{open}", "{private}"]
            .iter()
            .any(|k| body.contains(k))
        {
            let now = Timestamp::now();
            // The buyer's organisation is confirmed (the row « acheteur » re-declares it, which
            // takes the confirmation back): the matrix is about who may send, not how far.
            purchasing::confirm_buyer(&app.db, owner, true, None, now)
                .await
                .unwrap();
            let id = purchasing::create_need(
                &app.db,
                owner,
                owner_user,
                &need(!body.contains("{private}")),
                now,
            )
            .await
            .unwrap();
            purchasing::add_supplier(&app.db, id, structure, owner_user, now)
                .await
                .unwrap();
            if !body.contains("{draft}") {
                purchasing::send(&app.db, id, None, owner_user, now)
                    .await
                    .unwrap();
            }
            for key in ["{id}", "{draft}", "{open}", "{private}"] {
                values.push((key, id.to_string()));
            }
        }
        if body.contains("{slot}") {
            purchasing::add_stand(&app.db, event_id, structure)
                .await
                .unwrap();
            let starts = fair_day.plus(time::Duration::minutes(i64::from(n) * 7 + 600));
            let slot: i64 = sqlx::query_scalar(
                "INSERT INTO meeting_slots (event_id, starts_at, ends_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(event_id)
            .bind(starts)
            .bind(starts.plus(time::Duration::minutes(5)))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            values.push(("{slot}", slot.to_string()));
        }
        values
    };
    let failures = run_rows(app, PURCHASING_ROLES, &clients, purchasing_rows, 4, prepare).await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

mod purchasing_role_by_action_matrix {
    #[tokio::test]
    async fn sqlite() {
        let app = crate::common::spawn_with(crate::common::DatabaseKind::Sqlite, true, true).await;
        super::purchasing_matrix(app).await;
    }
    #[tokio::test]
    async fn postgres() {
        let app =
            crate::common::spawn_with(crate::common::DatabaseKind::Postgres, true, true).await;
        super::purchasing_matrix(app).await;
    }
}
