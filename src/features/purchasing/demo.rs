//! Demo data of responsible purchasing: three buyers (the urban community's purchasing service,
//! a social landlord, a steelworks' works council), needs at every stage (a draft, open ones, a
//! private one, closed ones with contracts won, one of last year for the report), and meeting
//! slots with stands and two meetings at the salon de l'achat responsable.

use time::Duration;

use super::{Answer, Outcome, ValidBuyer, ValidNeed};
use crate::db::Db;
use crate::error::AppError;
use crate::timestamp::Timestamp;

pub const CUD_EMAIL: &str = "achats@cud.example";
pub const CUD_PASSWORD: &str = "demo-achats-cud";
pub const LANDLORD_EMAIL: &str = "achats@habitat-du-littoral.example";
pub const LANDLORD_PASSWORD: &str = "demo-achats-bailleur";
pub const WORKS_COUNCIL_EMAIL: &str = "cse@acierie-du-port.example";
pub const WORKS_COUNCIL_PASSWORD: &str = "demo-achats-cse";

/// The slug of the demo fair.
pub const FAIR_SLUG: &str = "salon-de-l-achat-responsable-du-dunkerquois";

async fn buyer(
    db: &Db,
    (email, person, password): (&str, &str, &str),
    organisation: &str,
    kind: &str,
    now: Timestamp,
) -> Result<(i64, i64), AppError> {
    let user = crate::features::accounts::demo::member(db, email, person, password).await?;
    super::db::declare_buyer(
        db,
        user,
        &ValidBuyer {
            organisation: organisation.to_owned(),
            kind: kind.to_owned(),
            siret: None,
        },
        now,
    )
    .await?;
    let buyer = super::db::buyer_of(db, user)
        .await?
        .ok_or(AppError::Internal)?;
    // The demo's buyers are who they say they are.
    super::db::confirm_buyer(db, buyer.id, true, None, now).await?;
    Ok((user, buyer.id))
}

fn date(at: Timestamp) -> String {
    at.iso_date()
}

struct DemoNeed {
    title: &'static str,
    description: &'static str,
    commune: &'static str,
    kind: &'static str,
    band: &'static str,
    clause: &'static str,
    public: bool,
    sectors: &'static [&'static str],
}

async fn need(
    db: &Db,
    (user, buyer): (i64, i64),
    demo: &DemoNeed,
    written: Timestamp,
    deadline: Timestamp,
) -> Result<i64, AppError> {
    let valid = ValidNeed {
        title: demo.title.to_owned(),
        description: demo.description.to_owned(),
        commune: demo.commune.to_owned(),
        kind: demo.kind.to_owned(),
        amount_band: demo.band.to_owned(),
        deadline: date(deadline),
        clause: demo.clause.to_owned(),
        public: demo.public,
        sectors: demo.sectors.iter().map(|s| (*s).to_owned()).collect(),
    };
    super::db::create_need(db, buyer, user, &valid, written).await
}

/// Makes sure the structures the story needs are among a draft need's suppliers: on a
/// database that also holds other structures (`dessine seed synthetic`), the matching may
/// rank others first.
async fn include(
    db: &Db,
    need: i64,
    (user, _): (i64, i64),
    structures: &[i64],
    at: Timestamp,
) -> Result<(), AppError> {
    for structure in structures {
        match super::db::add_supplier(db, need, *structure, user, at).await {
            // Already proposed by the matching.
            Ok(()) | Err(AppError::Validation(_)) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

async fn structure(db: &Db, slug: &str) -> Result<i64, AppError> {
    super::db::published_structure(db, slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// Seeds the purchasing demo (idempotent: nothing when a buyer exists).
pub async fn seed(db: &Db) -> Result<(), AppError> {
    let buyers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM buyers")
        .fetch_one(&db.pool)
        .await?;
    if buyers > 0 {
        return Ok(());
    }
    let now = Timestamp::now();
    let days = |n: i64| now.plus(Duration::days(n));
    let cud = buyer(
        db,
        (CUD_EMAIL, "Sandrine Acheteuse", CUD_PASSWORD),
        "Communauté urbaine de Dunkerque — commande publique",
        "collectivite",
        days(-400),
    )
    .await?;
    let landlord = buyer(
        db,
        (LANDLORD_EMAIL, "Olivier Bailleur", LANDLORD_PASSWORD),
        "Habitat du Littoral",
        "bailleur",
        days(-300),
    )
    .await?;
    let council = buyer(
        db,
        (
            WORKS_COUNCIL_EMAIL,
            "Nadia Élue du CSE",
            WORKS_COUNCIL_PASSWORD,
        ),
        "CSE de l'aciérie du port",
        "comite-entreprise",
        days(-200),
    )
    .await?;
    let ressourcerie = structure(db, "ressourcerie-du-dunkerquois").await?;
    let jardins = structure(db, "jardins-du-littoral").await?;
    let courses = structure(db, "les-courses-asteur").await?;

    // Open, public, reserved to insertion structures: the Ressourcerie's demo manager can answer.
    let furniture = need(
        db,
        cud,
        &DemoNeed {
            title: "Reprise et réemploi du mobilier de bureau de l'hôtel communautaire",
            description: "Le déménagement de deux étages libère environ 300 pièces de mobilier de bureau (bureaux, caissons, armoires, chaises). Nous cherchons une structure qui les collecte, remet en état ce qui peut l'être et revend ou donne le reste, avec un bilan des tonnages réemployés.",
            commune: "dunkerque",
            kind: "devis",
            band: "10k-40k",
            clause: "reserve-siae",
            public: true,
            sectors: &["recyclage"],
        },
        days(-6),
        days(24),
    )
    .await?;
    include(db, furniture, cud, &[ressourcerie], days(-6)).await?;
    super::db::send(db, furniture, None, cud.0, days(-6)).await?;

    // Closed this year: a contract won by the Jardins du Littoral.
    let green = need(
        db,
        landlord,
        &DemoNeed {
            title: "Entretien des espaces verts de trois résidences à Grande-Synthe",
            description: "Tonte, taille des haies et ramassage des feuilles autour de trois résidences (420 logements), d'avril à octobre, avec des heures d'insertion pour des habitants du quartier.",
            commune: "grande-synthe",
            kind: "appel-offres",
            band: "10k-40k",
            clause: "clause-sociale",
            public: true,
            sectors: &["environnement", "insertion-par-l-activite-economique"],
        },
        days(-120),
        days(-90),
    )
    .await?;
    include(db, green, landlord, &[jardins], days(-120)).await?;
    super::db::send(db, green, None, landlord.0, days(-120)).await?;
    // The site admin typed in the answers the structures gave by phone.
    let admin = crate::features::accounts::db::find_by_email(
        db,
        crate::features::accounts::demo::ADMIN_EMAIL,
    )
    .await?
    .map_or(landlord.0, |user| user.id);
    super::db::answer(
        db,
        green,
        jardins,
        Answer::Interested,
        "Notre équipe d'entretien des espaces naturels peut intervenir dès avril, avec quatre salariés en parcours d'insertion.",
        "",
        admin,
        days(-110),
    )
    .await?;
    let others: Vec<(i64, Outcome, Option<i64>)> = super::db::suppliers(db, green, None)
        .await?
        .into_iter()
        .filter(|s| !s.removed)
        .map(|s| {
            if s.structure_id == jardins {
                (s.structure_id, Outcome::Won, Some(18_500))
            } else {
                (s.structure_id, Outcome::Dropped, None)
            }
        })
        .collect();
    super::db::close(db, green, &others, landlord.0, days(-80)).await?;

    // Private: only the matched structures read it.
    let baskets = need(
        db,
        council,
        &DemoNeed {
            title: "Paniers de légumes pour les salariés de l'aciérie",
            description: "Le CSE voudrait proposer chaque semaine des paniers de légumes de saison aux 600 salariés, livrés sur le site, avec une commande en ligne.",
            commune: "gravelines",
            kind: "sourcing",
            band: "moins-10k",
            clause: "aucune",
            public: false,
            sectors: &["circuits-courts"],
        },
        days(-3),
        days(30),
    )
    .await?;
    include(db, baskets, council, &[jardins], days(-3)).await?;
    super::db::send(db, baskets, None, council.0, days(-3)).await?;
    super::db::answer(
        db,
        baskets,
        jardins,
        Answer::Interested,
        "Nous livrons déjà des paniers biologiques à des entreprises du littoral ; une tournée hebdomadaire sur le site est possible.",
        "",
        admin,
        days(-2),
    )
    .await?;

    // A draft: the buyer still chooses the structures.
    need(
        db,
        cud,
        &DemoNeed {
            title: "Buffet de midi pour la journée de la commande publique responsable",
            description: "Un buffet pour 80 personnes, avec des produits locaux et de saison, servi à l'hôtel communautaire.",
            commune: "dunkerque",
            kind: "devis",
            band: "moins-10k",
            clause: "aucune",
            public: true,
            sectors: &["circuits-courts"],
        },
        days(-1),
        days(40),
    )
    .await?;

    // Last year, for the report's years.
    let delivery = need(
        db,
        cud,
        &DemoNeed {
            title: "Livraison des colis de fin d'année aux aînés",
            description: "Livrer à domicile 900 colis de fin d'année aux personnes âgées de trois communes, en décembre.",
            commune: "dunkerque",
            kind: "devis",
            band: "moins-10k",
            clause: "aucune",
            public: true,
            sectors: &["services-a-la-personne", "mobilite"],
        },
        days(-380),
        days(-360),
    )
    .await?;
    include(db, delivery, cud, &[courses], days(-380)).await?;
    super::db::send(db, delivery, None, cud.0, days(-380)).await?;
    let kept: Vec<(i64, Outcome, Option<i64>)> = super::db::suppliers(db, delivery, None)
        .await?
        .into_iter()
        .map(|s| {
            if s.structure_id == courses {
                (s.structure_id, Outcome::Won, Some(6_200))
            } else {
                (s.structure_id, Outcome::Lost, None)
            }
        })
        .collect();
    super::db::close(db, delivery, &kept, cud.0, days(-350)).await?;

    fair(db, cud, landlord, ressourcerie, jardins, now).await
}

/// Slots from 10:00 to 17:00 (20 minutes), six stands, two meetings at the salon.
async fn fair(
    db: &Db,
    cud: (i64, i64),
    landlord: (i64, i64),
    ressourcerie: i64,
    jardins: i64,
    now: Timestamp,
) -> Result<(), AppError> {
    let Some(event) = crate::features::events::db::find(db, FAIR_SLUG).await? else {
        return Ok(());
    };
    let slots = super::slot_times(event.starts_at, "10:00", "17:00", "20")?;
    super::db::open_slots(db, event.id, &slots).await?;
    for slug in [
        "ressourcerie-du-dunkerquois",
        "jardins-du-littoral",
        "les-papillons-blancs-de-dunkerque",
        "les-courses-asteur",
        "work-co",
        "entreprendre-ensemble",
    ] {
        if let Some(id) = super::db::published_structure(db, slug).await? {
            super::db::add_stand(db, event.id, id).await?;
        }
    }
    let slot_ids: Vec<i64> = super::db::slots(db, event.id)
        .await?
        .into_iter()
        .map(|(id, _, _, _)| id)
        .collect();
    if let [first, second, ..] = slot_ids[..] {
        super::db::book(db, event.id, first, cud.1, ressourcerie, cud.0, now).await?;
        super::db::book(db, event.id, second, landlord.1, jardins, landlord.0, now).await?;
    }
    Ok(())
}
