//! Importing INSEE's SIRENE stock files: the sample in `tests/data/sirene` holds, besides the
//! ESS establishments to import, every line the import must leave out or refuse (a unit not
//! ESS, a ceased unit, a closed establishment, another département, a SIRET of letters, a
//! quote left open, 500 columns, Latin-1 bytes, masked values, names that match entries
//! without SIRET), on both databases.

use crate::common::{TestApp, main_of};
use dessine::features::moderation::sirene::{Options, Report, Source, import};

fn sample(name: &str) -> Source {
    Source::Path(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
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

/// `(name, legal form, commune slug, sectors, address, postal code, staff band, year)` of the
/// entry with that SIRET.
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

crate::on_both_databases!(
    the_sirene_sample_imports_its_ess_establishments_once,
    files_that_are_not_sirene_are_refused_whole,
);
