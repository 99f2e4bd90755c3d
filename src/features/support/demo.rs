//! The demo's support networks and requests: Entreprendre Ensemble covers the Dunkerque urban
//! community for every need, the CIGALES' solidarity finance hub covers the Nord and the
//! Pas-de-Calais for funding; one request waits for an advisor, another is followed by
//! Entreprendre Ensemble's advisor (the demo club admin) with a first exchange.

use super::model::{ValidNetwork, ValidRequest};
use crate::db::Db;
use crate::timestamp::Timestamp;

/// `(structure, territories, needs)`.
const NETWORKS: &[(&str, &[&str], &[&str])] = &[
    (
        "entreprendre-ensemble",
        &["communaute-urbaine-de-dunkerque"],
        &[
            "financement",
            "statut",
            "locaux",
            "partenaires",
            "formation",
        ],
    ),
    (
        "pole-de-finance-solidaire-des-cigales",
        &["nord", "pas-de-calais"],
        &["financement"],
    ),
];

fn request(
    name: &str,
    title: &str,
    commune: &str,
    sector: &str,
    stage: &str,
    needs: &[&str],
    description: &str,
) -> ValidRequest {
    ValidRequest {
        name: name.to_owned(),
        email: String::new(),
        title: title.to_owned(),
        sector: sector.to_owned(),
        commune: commune.to_owned(),
        stage: stage.to_owned(),
        needs: needs.iter().map(|n| (*n).to_owned()).collect(),
        description: description.to_owned(),
    }
}

pub async fn seed(db: &Db) -> Result<(), sqlx::Error> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM support_networks")
        .fetch_one(&db.pool)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    let now = Timestamp::now();
    for (slug, territories, needs) in NETWORKS {
        let Some(structure) =
            sqlx::query_scalar::<_, i64>("SELECT id FROM structures WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&db.pool)
                .await?
        else {
            continue;
        };
        let network = ValidNetwork {
            structure: (*slug).to_owned(),
            territories: territories.iter().map(|t| (*t).to_owned()).collect(),
            needs: needs.iter().map(|n| (*n).to_owned()).collect(),
        };
        // Demo territories always exist; a missing one leaves the network without it.
        let _ = super::networks::save_network(db, structure, &network, now).await?;
    }
    let waiting = request(
        "Camille Durand",
        "Épicerie solidaire à Grande-Synthe",
        "grande-synthe",
        "",
        "idee",
        &["financement", "locaux"],
        "Ouvrir une épicerie à petits prix au cœur du quartier, tenue par des bénévoles et deux salariés en insertion, avec des produits des maraîchers du Dunkerquois. Nous cherchons un local de 80 m² et un premier financement.",
    );
    let followed = request(
        "Yanis Benali",
        "Atelier de réparation de vélos à Dunkerque",
        "dunkerque",
        "mobilite",
        "etude",
        &["statut", "partenaires"],
        "Un atelier où chacun apprend à réparer son vélo, avec des vélos de récupération remis en état et revendus. Association ou SCIC : nous hésitons, et nous cherchons des partenaires pour la récupération.",
    );
    let mut ids = Vec::new();
    for (valid, email) in [
        (&waiting, "camille.durand@exemple.fr"),
        (&followed, "yanis.benali@exemple.fr"),
    ] {
        let holder = super::db::Holder {
            user_id: None,
            name: &valid.name,
            email,
        };
        let (_, hash) = crate::tokens::new_token();
        if let Ok(id) = super::db::create_request(db, valid, &holder, &hash, now).await? {
            super::db::confirm(db, id, now).await?;
            ids.push(id);
        }
    }
    let advisor: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(crate::features::accounts::demo::CLUB_ADMIN_EMAIL)
        .fetch_optional(&db.pool)
        .await?;
    let network: Option<i64> =
        sqlx::query_scalar("SELECT id FROM structures WHERE slug = 'entreprendre-ensemble'")
            .fetch_optional(&db.pool)
            .await?;
    if let (Some(&id), Some(advisor), Some(network)) = (ids.get(1), advisor, network) {
        super::db::take(db, id, advisor, network, now).await?;
        super::db::add_message(
            db,
            id,
            super::db::Author::Advisor(advisor),
            "Bonjour, merci pour votre demande. Pouvons-nous en parler jeudi à 10 h dans nos locaux ? Nous verrons ensemble les deux formes juridiques et les structures du réemploi à rencontrer.",
            now,
        )
        .await?;
        super::db::add_message(
            db,
            id,
            super::db::Author::Holder,
            "Bonjour, jeudi 10 h nous convient. Nous viendrons à deux.",
            now,
        )
        .await?;
    }
    Ok(())
}
