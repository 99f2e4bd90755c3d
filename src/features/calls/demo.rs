//! The demo's calls for projects: one open at the Region, one of the urban community closing in
//! five days (its consortium gets the reminder), one closed; and a consortium led by Les Courses
//! Asteur with the Ressourcerie du Dunkerquois as member, the Jardins du Littoral invited, and a
//! checklist.

use super::model::ValidCall;
use crate::db::Db;
use crate::timestamp::Timestamp;

/// `(title, funder, days to the deadline, themes, territory, url, description, publisher)`.
type DemoCall = (
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

const CALLS: &[DemoCall] = &[
    (
        "Économie circulaire et réemploi : projets collectifs",
        "Région Hauts-de-France",
        45,
        "réemploi, recyclage, insertion",
        "",
        "https://www.hautsdefrance.fr/",
        "Pour des projets de collecte, de réparation et de revente portés par plusieurs structures, dont au moins une structure d'insertion. Les réponses en consortium sont encouragées.",
        None,
    ),
    (
        "Fonds de développement de l'ESS du Dunkerquois",
        "Communauté urbaine de Dunkerque",
        5,
        "services à la personne, mobilité, tourisme, circuits courts",
        "communaute-urbaine-de-dunkerque",
        "https://www.communaute-urbaine-dunkerque.fr/",
        "Pour développer l'ESS au-delà de la culture et du sport : bâtiment, services à la personne, mobilité, tourisme, circuits courts avec la restauration collective.",
        Some("entreprendre-ensemble"),
    ),
    (
        "Initiatives du mois de l'ESS",
        "Chambre régionale de l'économie sociale et solidaire Hauts-de-France",
        -30,
        "sensibilisation",
        "",
        "https://www.lemois-ess.org/",
        "Pour les événements qui font découvrir l'ESS au grand public en novembre.",
        None,
    ),
];

async fn id_of(db: &Db, sql: &str, value: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(sql)
        .bind(value)
        .fetch_optional(&db.pool)
        .await
}

pub async fn seed(db: &Db) -> Result<(), sqlx::Error> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM calls")
        .fetch_one(&db.pool)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    let Some(admin) = id_of(
        db,
        "SELECT id FROM users WHERE email = $1",
        crate::features::accounts::demo::ADMIN_EMAIL,
    )
    .await?
    else {
        return Ok(());
    };
    let now = Timestamp::now();
    let today = now.in_paris().date();
    let mut ids = Vec::new();
    for (title, funder, days, themes, territory, url, description, publisher) in CALLS {
        let publisher = match publisher {
            Some(slug) => id_of(db, "SELECT id FROM structures WHERE slug = $1", slug).await?,
            None => None,
        };
        let call = ValidCall {
            structure: String::new(),
            title: (*title).to_owned(),
            funder: (*funder).to_owned(),
            deadline: today + time::Duration::days(*days),
            themes: (*themes).to_owned(),
            territory: (*territory).to_owned(),
            url: (*url).to_owned(),
            description: (*description).to_owned(),
        };
        if let Ok(id) = super::db::create_call(db, &call, publisher, admin, now).await? {
            ids.push(id);
        }
    }
    let structure =
        |slug: &'static str| id_of(db, "SELECT id FROM structures WHERE slug = $1", slug);
    let (Some(&call), Some(lead), Some(member), Some(invited)) = (
        ids.first(),
        structure("les-courses-asteur").await?,
        structure("ressourcerie-du-dunkerquois").await?,
        structure("jardins-du-littoral").await?,
    ) else {
        return Ok(());
    };
    let Some(consortium) = super::db::create_consortium(
        db,
        call,
        lead,
        ("Filière réemploi du Dunkerquois", "publique"),
        admin,
        now,
    )
    .await?
    else {
        return Ok(());
    };
    super::db::invite(db, consortium, member, "Collecte et tri", admin, now).await?;
    super::db::answer(db, consortium, member, true, now).await?;
    super::db::invite(db, consortium, invited, "Atelier de réparation", admin, now).await?;
    for label in [
        "Budget prévisionnel à trois",
        "Lettre d'engagement de chaque partenaire",
        "Dépôt sur le site de la Région",
    ] {
        super::db::add_task(db, consortium, label, now).await?;
    }
    Ok(())
}
