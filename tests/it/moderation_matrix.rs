//! Moderation's rows of the role x action matrix: every server function and form route of
//! proposals, moderation, histories and moderators, called by each role.

use crate::common::{self, TestApp, log_in};
use crate::matrix::{Row, forms, run_rows};
use dessine::features::accounts::demo;

const PASSWORD: &str = common::MEMBER_PASSWORD;

const ROLES: [&str; 5] = [
    "anonymous",
    "member",
    "manager of the entry",
    "moderator",
    "site admin",
];
const EVERYONE: [u16; 5] = [200; 5];
const MODERATORS: [u16; 5] = [401, 403, 403, 200, 200];
const READERS: [u16; 5] = [401, 403, 200, 200, 200];
const ADMINS: [u16; 5] = [401, 403, 403, 403, 200];
const BAD_LINK: [u16; 5] = [400; 5];
/// The import upload (`POST /admin/import`), by role.
const UPLOAD: [&str; 5] = ["login", "403", "403", "403", "done"];
/// The posts that are not a server function's form.
pub(crate) const MODERATION_POSTS: &[&str] = &["/admin/import"];

/// A visitor's proposal names its sender; a member's comes from the account.
const NEW: &str = "name=Proposition+de+la+matrice+{n}&legal_form=association&commune=dunkerque\
    &sectors=recyclage&email=matrice{n}@exemple.fr&proposer_name=Visiteur&proposer_email=visiteur{n}@exemple.fr\
    &autre_structure=oui";
const CORRECTION: &str = "slug={slug}&name=Entr%C3%A9e+de+la+matrice+{n}&legal_form=association\
    &commune=dunkerque&sectors=recyclage&website=https://matrice{n}.example&proposer_name=Visiteur&proposer_email=visiteur{n}@exemple.fr";

pub(crate) fn moderation_rows() -> Vec<Row> {
    let row = |server_fn, form, body, api| Row {
        server_fn,
        form,
        body,
        api,
    };
    vec![
        row("/api/moderation/formulaire", None, "slug=", EVERYONE),
        row(
            "/api/moderation/proposer",
            Some(("/annuaire/referencer", forms(EVERYONE))),
            NEW,
            EVERYONE,
        ),
        row(
            "/api/moderation/corriger",
            Some(("/annuaire/{slug}/corriger", forms(EVERYONE))),
            CORRECTION,
            EVERYONE,
        ),
        row(
            "/api/moderation/confirmer",
            Some(("/annuaire/proposition/confirmer", forms(BAD_LINK))),
            "jeton=inconnu{n}",
            BAD_LINK,
        ),
        row(
            "/api/annuaire/toujours-exact",
            Some(("/annuaire/toujours-exact", forms(BAD_LINK))),
            "jeton=inconnu{n}",
            BAD_LINK,
        ),
        row(
            "/api/annuaire/confirmer-gestion",
            Some(("/annuaire/confirmer-gestion", forms(BAD_LINK))),
            "jeton=inconnu{n}",
            BAD_LINK,
        ),
        row("/api/moderation/file", None, "", MODERATORS),
        row("/api/moderation/doublons", None, "", MODERATORS),
        row(
            "/api/moderation/fusion/charger",
            None,
            "garder={slug}&fusionner={other}",
            MODERATORS,
        ),
        row(
            "/api/moderation/fusion",
            Some(("/moderation/fusion", forms(MODERATORS))),
            "garder={slug}&fusionner={other}",
            MODERATORS,
        ),
        row("/api/moderation/proposition", None, "id={id}", MODERATORS),
        row(
            "/api/moderation/decider",
            Some(("/moderation/{id}/decision", forms(MODERATORS))),
            "id={id}&verdict=refuser&reason=Hors+du+territoire",
            MODERATORS,
        ),
        row("/api/annuaire/historique", None, "slug={slug}", READERS),
        row(
            "/api/annuaire/restaurer",
            Some(("/annuaire/{slug}/historique/restaurer", forms(READERS))),
            "slug={slug}&revision={revision}",
            READERS,
        ),
        row(
            "/api/annuaire/administration",
            None,
            "slug={slug}",
            MODERATORS,
        ),
        row(
            "/api/annuaire/publication",
            Some((
                "/annuaire/{slug}/administration/publication",
                forms(MODERATORS),
            )),
            "slug={slug}&publication=retirer",
            MODERATORS,
        ),
        row(
            "/api/annuaire/supprimer",
            Some(("/annuaire/{slug}/administration/suppression", forms(ADMINS))),
            "slug={slug}&confirmation=oui",
            ADMINS,
        ),
        row(
            "/api/annuaire/gestionnaires",
            Some((
                "/annuaire/{slug}/administration/gestionnaires",
                forms(ADMINS),
            )),
            "slug={slug}&change=retirer&user=0",
            ADMINS,
        ),
        row("/api/admin/import/acces", None, "", ADMINS),
        row("/api/admin/import", None, "id={import}", ADMINS),
        row(
            "/api/admin/import/appliquer",
            Some(("/admin/import/{id}/appliquer", forms(ADMINS))),
            "id={import}",
            ADMINS,
        ),
        row("/api/moderation/moderateurs", None, "", ADMINS),
        row(
            "/api/moderation/moderateurs/changer",
            Some(("/moderation/moderateurs", forms(ADMINS))),
            "change=retirer&user=0",
            ADMINS,
        ),
    ]
}

async fn moderation_matrix(app: TestApp) {
    use dessine::features::directory::RevisionOrigin;
    use dessine::features::directory::db::{Author, Snapshot, revisions};
    use dessine::features::moderation::{ProposalKind, db as moderation};
    let manager = common::create_member(&app, "gerant-moderation@exemple.fr", None).await;
    common::create_member(&app, "membre-moderation@exemple.fr", None).await;
    let moderator = common::create_member(&app, "moderateur@exemple.fr", None).await;
    moderation::add_moderator(&app.db, moderator, None, moderator)
        .await
        .unwrap();
    let clients = [
        app.browser(),
        log_in(&app, "membre-moderation@exemple.fr", PASSWORD).await,
        log_in(&app, "gerant-moderation@exemple.fr", PASSWORD).await,
        log_in(&app, "moderateur@exemple.fr", PASSWORD).await,
        log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await,
    ];
    let app = &app;
    let prepare = move |n: u32, body: &'static str| async move {
        let name = format!("Fiche de la matrice de modération {n}");
        let structure = common::create_structure(app, &name).await;
        common::make_manager(app, manager, structure).await;
        let mut values: Vec<(&str, String)> = vec![("{slug}", dessine::slug::slugify(&name))];
        if body.contains("{other}") {
            let other = format!("Doublon de la matrice {n}");
            common::create_structure(app, &other).await;
            values.push(("{other}", dessine::slug::slugify(&other)));
        }
        if body.contains("{id}") {
            let fields: Snapshot = [("phone".to_owned(), format!("0321{n:06}"))].into();
            let (id, _) = moderation::file(
                &app.db,
                &moderation::NewProposal {
                    kind: ProposalKind::Correction,
                    structure_id: Some(structure),
                    departement: None,
                    fields: &fields,
                    proposer_id: None,
                    proposer_name: "Visiteur",
                    proposer_email: "visiteur@exemple.fr",
                },
                true,
            )
            .await
            .unwrap();
            values.push(("{id}", id.to_string()));
        }
        if body.contains("{import}") {
            let csv = format!(
                "nom;commune;forme_juridique;secteurs\nImport de la matrice {n};Dunkerque;association;recyclage\n"
            );
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO imports (kind, file_name, first_file, report, created_at) \
                 VALUES ('structures', 'matrice.csv', $1, '{}', $2) RETURNING id",
            )
            .bind(csv.into_bytes())
            .bind(dessine::timestamp::Timestamp::now())
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            values.push(("{import}", id.to_string()));
            // The form's path names it `{id}` (no proposal is made for this row).
            values.push(("{id}", id.to_string()));
        }
        if body.contains("{revision}") {
            let mut tx = app.db.begin_write().await.unwrap();
            let changes: Snapshot = [("phone".to_owned(), format!("0322{n:06}"))].into();
            let author = Author {
                id: None,
                name: "Import",
            };
            revisions::change(&mut tx, structure, &changes, RevisionOrigin::Import, author)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            let revision: i64 = sqlx::query_scalar(
                "SELECT MAX(id) FROM structure_revisions WHERE structure_id = $1",
            )
            .bind(structure)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            values.push(("{revision}", revision.to_string()));
        }
        values
    };
    let mut failures = run_rows(app, ROLES, &clients, moderation_rows, 6, prepare).await;
    // The upload, a multipart post that is not a server function's form.
    for ((role, client), expected) in ROLES.iter().zip(&clients).zip(UPLOAD) {
        let form = reqwest::multipart::Form::new().text("type", "structures").part(
            "fichier",
            reqwest::multipart::Part::bytes(
                "nom;commune;forme_juridique;secteurs\nTéléversée;Dunkerque;association;recyclage\n"
                    .as_bytes()
                    .to_vec(),
            )
            .file_name("annuaire.csv")
            .mime_str("text/csv")
            .unwrap(),
        );
        let response = client
            .post(app.url("/admin/import"))
            .header("origin", &app.base)
            .multipart(form)
            .send()
            .await
            .unwrap();
        let to = common::location(&response);
        let got = match response.status().as_u16() {
            303 if to.starts_with("/connexion?") => "login".to_owned(),
            303 if to.starts_with("/admin/import/") => "done".to_owned(),
            status if to.is_empty() => status.to_string(),
            status => format!("{status} {to}"),
        };
        if got != expected {
            failures.push(format!(
                "{role} POST /admin/import: expected {expected}, got {got}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

mod moderation_role_by_action_matrix {
    #[tokio::test]
    async fn sqlite() {
        let app = crate::common::spawn_with(crate::common::DatabaseKind::Sqlite, true, true).await;
        super::moderation_matrix(app).await;
    }
    #[tokio::test]
    async fn postgres() {
        let app =
            crate::common::spawn_with(crate::common::DatabaseKind::Postgres, true, true).await;
        super::moderation_matrix(app).await;
    }
}
