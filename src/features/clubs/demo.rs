//! Demo clubs: the Club de l'ESS du dunkerquois (14 member structures, among them Entreprendre
//! Ensemble, les Papillons Blancs and the SCOP Les Courses Asteur; a request and an invitation
//! waiting; its past and coming meetings) and the Club des entrepreneurs de l'ESS d'Artois
//! (18 members; Les Courses Asteur invited). Running the seed again changes nothing (clubs are
//! matched by slug).

use super::HistoryAction;
use crate::db::Db;
use crate::features::accounts::demo::{APPLICANT_EMAIL, ARTOIS_ADMIN_EMAIL, CLUB_ADMIN_EMAIL};
use crate::timestamp::Timestamp;

struct DemoClub {
    name: &'static str,
    territory: &'static str,
    description: &'static str,
    charter: &'static str,
    meetings: &'static str,
    /// Named members first; the club is completed to `size` with other structures of its
    /// intercommunality.
    members: &'static [&'static str],
    size: i64,
    admin: &'static str,
    /// `(structure, status, message, proposed by)`.
    pending: &'static [(&'static str, &'static str, &'static str, &'static str)],
    /// Titles of the club's meetings (demo events).
    meeting_titles: &'static [&'static str],
}

const CLUBS: &[DemoClub] = &[
    DemoClub {
        name: "Club de l'ESS du dunkerquois",
        territory: "communaute-urbaine-de-dunkerque",
        description: "Lancé à l'initiative de la Communauté urbaine de Dunkerque et d'Entreprendre Ensemble, le club rassemble des structures de l'insertion par l'activité économique et de la filière récupération et recyclage du territoire.\n\nSon ambition : être une porte d'entrée concrète pour les échanges et les partenariats entre les acteurs économiques, mutualiser, faire filière et construire des parcours vers l'emploi. Il est à l'origine du salon de l'achat responsable.",
        charter: "Les membres partagent leurs besoins et leurs savoir-faire, et privilégient les coopérations entre eux (sous-traitance, réponses groupées aux marchés, prêt de matériel).\n\nChaque structure membre est représentée par ses gérants sur DESSINE ; chacune peut proposer l'entrée d'une nouvelle structure, que les administrateurs du club accueillent.\n\nLes membres participent, autant que possible, aux réunions trimestrielles et aux événements portés par le club.",
        meetings: "Le club se réunit chaque trimestre, à tour de rôle chez l'un de ses membres.",
        members: &[
            "entreprendre-ensemble",
            "les-papillons-blancs-de-dunkerque",
            "les-courses-asteur",
            "work-co",
            "pole-de-finance-solidaire-des-cigales",
        ],
        size: 14,
        admin: CLUB_ADMIN_EMAIL,
        pending: &[
            (
                "ressourcerie-du-dunkerquois",
                "requested",
                "Nous collectons et revalorisons les encombrants de l'agglomération avec des salariés en insertion : nous aimerions monter des réponses groupées avec les autres structures du club.",
                APPLICANT_EMAIL,
            ),
            (
                "jardins-du-littoral",
                "invited",
                "Votre chantier maraîcher aurait toute sa place au club : venez à la prochaine réunion !",
                CLUB_ADMIN_EMAIL,
            ),
        ],
        meeting_titles: &[
            "Réunion trimestrielle du Club de l'ESS du dunkerquois",
            "Réunion de rentrée du Club de l'ESS du dunkerquois",
        ],
    },
    DemoClub {
        name: "Club des entrepreneurs de l'ESS d'Artois",
        territory: "artois-comm",
        description: "Né d'une première rencontre à Beuvry, qui avait réuni une quarantaine de structures à l'invitation de la Maison de la poésie, le club réunit des entrepreneurs de l'ESS de l'Artois qui fonctionnent comme un véritable club d'entreprises.\n\nLes membres se retrouvent régulièrement pour traiter de sujets communs : recherche de financements, aide au recrutement, mutualisation de moyens. Le club prévoit de se constituer en association.",
        charter: "Chaque membre s'engage à partager son expérience, à faire connaître les autres membres et à accueillir les nouvelles structures de l'ESS du territoire.\n\nLes décisions d'adhésion sont prises par les administrateurs du club, qui représentent des structures membres.",
        meetings: "Rencontres régulières, chez les membres, en fin de journée.",
        members: &["maison-de-la-poesie"],
        size: 18,
        admin: ARTOIS_ADMIN_EMAIL,
        pending: &[(
            "les-courses-asteur",
            "invited",
            "Votre expérience de coopérative de livraison intéresse nos membres : rejoignez-nous !",
            ARTOIS_ADMIN_EMAIL,
        )],
        meeting_titles: &[],
    },
];

async fn user(db: &Db, email: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(&db.pool)
        .await
}

async fn structure(db: &Db, slug: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM structures WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await
}

pub async fn seed(db: &Db) -> Result<(), sqlx::Error> {
    let now = Timestamp::now();
    for club in CLUBS {
        let slug = crate::slug::slugify(club.name);
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM clubs WHERE slug = $1")
            .bind(&slug)
            .fetch_optional(&db.pool)
            .await?;
        let Some((admin_id, admin_name)) = user(db, club.admin).await? else {
            continue;
        };
        if exists.is_some() {
            continue;
        }
        let territory: Option<i64> =
            sqlx::query_scalar("SELECT id FROM territories WHERE slug = $1")
                .bind(club.territory)
                .fetch_optional(&db.pool)
                .await?;
        let mut tx = db.begin_write().await?;
        let club_id: i64 = sqlx::query_scalar(
            "INSERT INTO clubs (slug, name, territory_id, description, charter, meetings, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(&slug)
        .bind(club.name)
        .bind(territory)
        .bind(club.description)
        .bind(club.charter)
        .bind(club.meetings)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let pending: Vec<&str> = club.pending.iter().map(|p| p.0).collect();
        let mut members = Vec::new();
        for slug in club.members {
            if let Some(found) = structure(db, slug).await? {
                members.push(found);
            }
        }
        // Completed with other structures of the territory, oldest entries first.
        let others: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT s.id, s.name, s.slug FROM structures s WHERE s.status = 'published' \
             AND (s.intercommunality_id = $1 OR s.departement_id = (SELECT parent_id FROM territories WHERE id = $1)) \
             ORDER BY CASE WHEN s.intercommunality_id = $1 THEN 0 ELSE 1 END, s.id LIMIT 60",
        )
        .bind(territory)
        .fetch_all(&mut *tx)
        .await?;
        for (id, name, slug) in others {
            if members.len() as i64 >= club.size {
                break;
            }
            if !pending.contains(&slug.as_str()) && !members.iter().any(|(m, _)| *m == id) {
                members.push((id, name));
            }
        }
        for (n, (structure_id, name)) in members.iter().enumerate() {
            let since = now.plus(time::Duration::days(-400 + 9 * n as i64));
            sqlx::query(
                "INSERT INTO club_members (club_id, structure_id, status, message, since, updated_at) \
                 VALUES ($1, $2, 'active', '', $3, $3)",
            )
            .bind(club_id)
            .bind(structure_id)
            .bind(since)
            .execute(&mut *tx)
            .await?;
            history(
                &mut tx,
                club_id,
                (*structure_id, name),
                (admin_id, &admin_name),
                HistoryAction::Approved,
                since,
            )
            .await?;
        }
        sqlx::query("INSERT INTO club_admins (club_id, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(club_id)
            .bind(admin_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        for (n, (structure_slug, status, message, by)) in club.pending.iter().enumerate() {
            let (Some((structure_id, name)), Some((by_id, by_name))) =
                (structure(db, structure_slug).await?, user(db, by).await?)
            else {
                continue;
            };
            let since = now.plus(time::Duration::days(-3 + n as i64));
            sqlx::query(
                "INSERT INTO club_members (club_id, structure_id, status, message, proposed_by, since, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(club_id)
            .bind(structure_id)
            .bind(*status)
            .bind(*message)
            .bind(by_id)
            .bind(since)
            .execute(&mut *tx)
            .await?;
            let action = if *status == "invited" {
                HistoryAction::Invited
            } else {
                HistoryAction::Requested
            };
            history(
                &mut tx,
                club_id,
                (structure_id, &name),
                (by_id, &by_name),
                action,
                since,
            )
            .await?;
        }
        for title in club.meeting_titles {
            sqlx::query("UPDATE events SET club_id = $1 WHERE slug = $2")
                .bind(club_id)
                .bind(crate::slug::slugify(title))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

async fn history(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    club_id: i64,
    (structure_id, structure_name): (i64, &str),
    (actor_id, actor_name): (i64, &str),
    action: HistoryAction,
    at: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO club_history (club_id, structure_id, structure_name, actor_id, actor_name, action, reason, at) \
         VALUES ($1, $2, $3, $4, $5, $6, '', $7)",
    )
    .bind(club_id)
    .bind(structure_id)
    .bind(structure_name)
    .bind(actor_id)
    .bind(actor_name)
    .bind(action.as_str())
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
