//! Importing INSEE's SIRENE stock files: the sample in `tests/data/sirene` holds, besides the
//! ESS establishments to import, every line the import must leave out or refuse (a unit not
//! ESS, a ceased unit, a closed establishment, another département, a SIRET of letters, a
//! quote left open, 500 columns, Latin-1 bytes, masked values, names that match entries
//! without SIRET), on both databases.

use crate::common::{TestApp, main_of};
use dessine::features::moderation::sirene::{Options, Report, Source, import};

fn sample(name: &str) -> Source {
    Source::Path(
        crate::common::project_root()
            .join("tests/data/sirene")
            .join(name),
    )
}

async fn run(app: &TestApp, apply: bool) -> Report {
    import(
        &app.db,
        sample("StockUniteLegale.csv"),
        sample("StockEtablissement.csv"),
        Options {
            departements: vec!["59".into(), "62".into()],
            apply,
        },
    )
    .await
    .unwrap()
}

/// `(name, legal form, commune slug, sectors, address, staff band)` of the entry with that
/// SIRET.
async fn entry(app: &TestApp, siret: &str) -> (String, String, String, String, String, String) {
    let row: (i64, String, String, String, String, String) = sqlx::query_as(
        "SELECT s.id, s.name, s.legal_form, c.slug, s.address, s.staff_band FROM structures s \
         JOIN territories c ON c.id = s.commune_id WHERE s.siret = $1",
    )
    .bind(siret)
    .fetch_one(&app.db.pool)
    .await
    .unwrap_or_else(|e| panic!("no entry with SIRET {siret}: {e}"));
    let sectors: Vec<String> = sqlx::query_scalar(
        "SELECT se.slug FROM structure_sectors ss JOIN sectors se ON se.id = ss.sector_id \
         WHERE ss.structure_id = $1 ORDER BY se.slug",
    )
    .bind(row.0)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    (row.1, row.2, row.3, sectors.join(","), row.4, row.5)
}

async fn the_sirene_sample_imports_its_ess_establishments_once(app: TestApp) {
    let before = app.count("structures").await;
    let territories = app.count("territories").await;
    let dry = run(&app, false).await;
    assert_eq!(
        app.count("structures").await,
        before,
        "a dry run writes nothing"
    );
    assert_eq!(app.count("territories").await, territories);
    let expected = Report {
        units_kept: 10,
        establishments_read: 16,
        new: 8,
        already_there: 0,
        duplicates: 2,
        refused: 2,
        communes_added: 2,
        without_sector: 1,
        notes: dry.notes.clone(),
        notes_left_out: 0,
    };
    assert_eq!(dry, expected, "{}", dry.summary());
    let notes = dry.notes.join("\n");
    assert!(
        notes.contains("ligne 12 : refusée, SIRET « ABCDEFGHIJKLMN » invalide"),
        "{notes}"
    );
    assert!(
        notes.contains("ligne 13 : refusée, guillemet ouvert"),
        "{notes}"
    );
    assert!(notes.contains("fiche jardins-du-littoral"), "{notes}");
    assert!(notes.contains("fiche entreprendre-ensemble"), "{notes}");

    let applied = run(&app, true).await;
    assert_eq!(applied.new, 8, "{}", applied.summary());
    assert_eq!(app.count("structures").await, before + 8);
    assert_eq!(
        entry(&app, "71234507300019").await,
        (
            "Scop Atelier du Velo Dunkerquois".to_owned(),
            "scop".to_owned(),
            "dunkerque".to_owned(),
            "recyclage".to_owned(),
            "31 avenue de la liberation".to_owned(),
            "10-19".to_owned()
        ),
        "a SCOP repairing bikes, matched to the seeded commune by its INSEE code"
    );
    let potagers = entry(&app, "71234500800023").await;
    assert_eq!(
        potagers.0, "Les Potagers du Port",
        "the establishment's sign names it"
    );
    assert_eq!(potagers.4, "4b quai de la citadelle");
    let ressourcerie = entry(&app, "71234514900017").await;
    assert_eq!(
        (
            ressourcerie.1.as_str(),
            ressourcerie.2.as_str(),
            ressourcerie.3.as_str()
        ),
        (
            "siae",
            "bethune",
            "insertion-par-l-activite-economique,recyclage"
        )
    );
    let mutuelle = entry(&app, "71234542000012").await;
    assert_eq!(
        (
            mutuelle.1.as_str(),
            mutuelle.2.as_str(),
            mutuelle.3.as_str()
        ),
        ("mutuelle", "calais", ""),
        "an activity without a sector leaves it to complete"
    );
    let etoile = entry(&app, "71234549500014").await;
    assert_eq!(
        etoile.0, "Association Culturelle de l'Étoile",
        "Latin-1 bytes read"
    );
    assert_eq!(
        (etoile.2.as_str(), etoile.3.as_str()),
        ("hazebrouck", "culture")
    );
    assert_eq!(etoile.4, "8 rue de l'église");
    let masked = entry(&app, "71234584200017").await;
    assert_eq!(
        (masked.0.as_str(), masked.4.as_str()),
        ("Entraide du Beffroi", ""),
        "masked values are empty, never « [ND] »"
    );
    let wide = entry(&app, "71234577600017").await;
    assert_eq!(
        (wide.1.as_str(), wide.3.as_str()),
        ("fondation", "environnement")
    );
    // New communes carry their INSEE code, under their département.
    let calais: (Option<String>, String) = sqlx::query_as(
        "SELECT c.code, p.slug FROM territories c JOIN territories p ON p.id = c.parent_id WHERE c.slug = 'calais'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        calais,
        (Some("62193".to_owned()), "pas-de-calais".to_owned())
    );
    // Every new entry has its revision, and its page.
    let revisions: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM structure_revisions r JOIN structures s ON s.id = r.structure_id \
         WHERE r.origin = 'import' AND r.author_name = 'Import SIRENE'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(revisions, 8);
    let (status, html) = app.get_text("/annuaire/les-potagers-du-port").await;
    assert_eq!(status, 200);
    assert!(main_of(&html).contains("Dunkerque"), "{}", main_of(&html));
    app.search_caught_up().await;
    let (_, found) = app.get_text("/annuaire?q=potagers").await;
    assert!(found.contains("/annuaire/les-potagers-du-port"));

    // The same files again: nothing new.
    let again = run(&app, true).await;
    assert_eq!(
        (again.new, again.already_there, again.communes_added),
        (0, 8, 0),
        "{}",
        again.summary()
    );
    assert_eq!(app.count("structures").await, before + 8);
}

/// Files that are not INSEE's, or that break in the middle, are refused with the reason and
/// nothing is written.
async fn files_that_are_not_sirene_are_refused_whole(app: TestApp) {
    let bytes = |text: &str| Source::Bytes(std::sync::Arc::new(text.as_bytes().to_vec()));
    let options = |codes: &[&str]| Options {
        departements: codes.iter().map(|c| (*c).to_owned()).collect(),
        apply: true,
    };
    let before = app.count("structures").await;
    let error = import(
        &app.db,
        bytes("nom,commune\nx,y\n"),
        sample("StockEtablissement.csv"),
        options(&["59"]),
    )
    .await
    .unwrap_err();
    assert!(
        error.contains("unités légales") && error.contains("economieSocialeSolidaireUniteLegale"),
        "{error}"
    );
    let error = import(
        &app.db,
        sample("StockUniteLegale.csv"),
        bytes(""),
        options(&["59"]),
    )
    .await
    .unwrap_err();
    assert!(error.contains("vide"), "{error}");
    let error = import(
        &app.db,
        sample("StockUniteLegale.csv"),
        sample("StockEtablissement.csv"),
        options(&["99"]),
    )
    .await
    .unwrap_err();
    assert!(error.contains("Département « 99 » inconnu"), "{error}");
    // A line of 100 KB is refused alone; the line after it is read.
    let header = "siren,siret,etatAdministratifEtablissement,codeCommuneEtablissement,enseigne1Etablissement";
    let long = format!(
        "{header}\n712345073,71234507300019,A,59183,{}\n712345073,71234507300019,A,59183,Atelier\n",
        "x".repeat(100_000)
    );
    let report = import(
        &app.db,
        sample("StockUniteLegale.csv"),
        bytes(&long),
        options(&["59"]),
    )
    .await
    .unwrap();
    assert_eq!((report.refused, report.new), (1, 1), "{}", report.summary());
    assert!(
        report.notes[0].contains("ligne 2 : refusée, ligne de plus de 64 Ko"),
        "{:?}",
        report.notes
    );
    assert_eq!(app.count("structures").await, before + 1);
}

/// A site admin imports in the page: upload, dry run read, one button, the report; a second
/// press does nothing; nobody else may.
async fn a_site_admin_imports_in_the_page(app: TestApp) {
    use dessine::features::accounts::demo;
    let admin = crate::common::log_in(&app, demo::ADMIN_EMAIL, demo::ADMIN_PASSWORD).await;
    let file = |name: &str| {
        let bytes = std::fs::read(
            crate::common::project_root()
                .join("tests/data/sirene")
                .join(name),
        )
        .unwrap();
        reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str("text/csv")
            .unwrap()
    };
    let upload = |client: &reqwest::Client, departements: &str| {
        let form = reqwest::multipart::Form::new()
            .text("type", "sirene")
            .part("unites", file("StockUniteLegale.csv"))
            .part("etablissements", file("StockEtablissement.csv"))
            .text("departements", departements.to_owned());
        client
            .post(app.url("/admin/import"))
            .header("origin", &app.base)
            .multipart(form)
            .send()
    };
    let before = app.count("structures").await;
    // A refused upload says why on the form, and keeps nothing.
    let refused = upload(&admin, "99").await.unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Département « 99 » inconnu"),
        "{}",
        main_of(&html)
    );
    assert_eq!(app.count("imports").await, 0);
    let response = upload(&admin, "59, 62").await.unwrap();
    assert_eq!(response.status(), 303);
    let report_page = crate::common::location(&response);
    assert!(report_page.starts_with("/admin/import/"), "{report_page}");
    let html = crate::common::page(&app, &admin, &report_page).await;
    assert!(
        html.contains("Essai à blanc") && html.contains("8 nouvelles fiches"),
        "{}",
        main_of(&html)
    );
    assert!(html.contains("ligne 13 : refusée, guillemet ouvert"));
    assert_eq!(
        app.count("structures").await,
        before,
        "the dry run wrote nothing"
    );
    // Nobody but a site admin reads or applies it.
    crate::common::create_member(&app, "curieux-import@exemple.fr", None).await;
    let curious = crate::common::log_in(
        &app,
        "curieux-import@exemple.fr",
        crate::common::MEMBER_PASSWORD,
    )
    .await;
    assert_eq!(
        curious
            .get(app.url(&report_page))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        curious
            .get(app.url("/admin/import"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(upload(&curious, "59").await.unwrap().status(), 403);
    let id = report_page.trim_start_matches("/admin/import/").to_owned();
    let apply = crate::common::post(
        &app,
        &admin,
        &format!("{report_page}/appliquer"),
        &[("id", &id)],
    )
    .await;
    assert_eq!(apply.status(), 303);
    assert!(crate::common::location(&apply).contains("message=import-lance"));
    let mut html = String::new();
    for _ in 0..100 {
        html = crate::common::page(&app, &admin, &report_page).await;
        if html.contains("Import appliqué") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(html.contains("Import appliqué"), "{}", main_of(&html));
    assert_eq!(app.count("structures").await, before + 8);
    let again = crate::common::post(
        &app,
        &admin,
        &format!("{report_page}/appliquer"),
        &[("id", &id)],
    )
    .await;
    assert!(crate::common::location(&again).contains("message=import-deja-applique"));
    assert_eq!(app.count("structures").await, before + 8);
}

crate::on_both_databases!(
    the_sirene_sample_imports_its_ess_establishments_once,
    files_that_are_not_sirene_are_refused_whole,
    a_site_admin_imports_in_the_page,
);
