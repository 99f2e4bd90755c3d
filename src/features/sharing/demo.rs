//! The demo's shared means: a meeting room, a cargo bike, a video projector, a skill looked
//! for, and one booking accepted.

use super::model::{ValidMean, days};
use crate::db::Db;
use crate::timestamp::Timestamp;

/// `(structure, direction, kind, title, description, terms)`.
const MEANS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "entreprendre-ensemble",
        "offre",
        "salle",
        "Salle de réunion de 20 places",
        "Au rez-de-chaussée, accessible en fauteuil, avec un écran et le wifi. Libre la plupart des jeudis et vendredis.",
        "gratuit",
    ),
    (
        "les-courses-asteur",
        "offre",
        "vehicule",
        "Vélo cargo électrique",
        "Jusqu'à 100 kg de charge, batterie pour 40 km. À retirer et rendre à l'atelier, casque fourni.",
        "partage-des-frais",
    ),
    (
        "maison-de-la-poesie",
        "offre",
        "materiel",
        "Vidéoprojecteur et écran sur pied",
        "Pour une projection ou une soirée-lecture : vidéoprojecteur, écran de 2 m, enceinte.",
        "gratuit",
    ),
    (
        "maison-de-la-poesie",
        "recherche",
        "competence",
        "Aide pour la comptabilité de l'association",
        "Une demi-journée par trimestre avec une personne qui connaît la comptabilité associative ; en échange, un atelier d'écriture pour votre équipe.",
        "echange",
    ),
];

pub async fn seed(db: &Db) -> Result<(), sqlx::Error> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM shared_means")
        .fetch_one(&db.pool)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    let now = Timestamp::now();
    let mut room = None;
    for (slug, direction, kind, title, description, terms) in MEANS {
        let Some(structure) =
            sqlx::query_scalar::<_, i64>("SELECT id FROM structures WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&db.pool)
                .await?
        else {
            continue;
        };
        let mean = ValidMean {
            structure: (*slug).to_owned(),
            direction: (*direction).to_owned(),
            kind: (*kind).to_owned(),
            title: (*title).to_owned(),
            description: (*description).to_owned(),
            commune: String::new(),
            terms: (*terms).to_owned(),
        };
        let id = super::db::create_mean(db, &mean, structure, None, now).await?;
        if *kind == "salle" {
            room = Some(id);
        }
    }
    // The poetry house has the room for a day, three weeks from now.
    let poetry: Option<i64> =
        sqlx::query_scalar("SELECT id FROM structures WHERE slug = 'maison-de-la-poesie'")
            .fetch_optional(&db.pool)
            .await?;
    if let (Some(room), Some(poetry)) = (room, poetry) {
        let day = now.plus(time::Duration::days(21)).in_paris().date();
        debug_assert_eq!(days(day, day).len(), 1);
        let booking = super::db::request_booking(
            db,
            room,
            poetry,
            None,
            (day, day),
            "Pour la réunion de notre conseil d'administration, de 18 h à 20 h.",
            now,
        )
        .await?;
        super::db::decide(db, booking, true, now).await?;
    }
    Ok(())
}
