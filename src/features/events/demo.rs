//! Demo events, drawn from the territory's calendar: the salon de l'achat responsable with its
//! round table and three workshops, the Mois de l'ESS, the Artois information meeting on the
//! « démarche progrès », club meetings, the village des solidarités, and a small full workshop
//! with a waitlist. Dates are computed from today, so the demo stays current; running the seed
//! again changes nothing (events are matched by slug).

use time::{Date, Duration, Month, Time};

use super::db::{self, Registrant};
use crate::db::Db;
use crate::error::AppError;
use crate::features::events::EventKind;
use crate::features::events::QuestionInfo;
use crate::features::events::QuestionKind;
use crate::features::events::ValidEvent;
use crate::features::events::ValidSession;
use crate::features::events::Visibility;
use crate::timestamp::Timestamp;
use crate::timestamp::paris_wall_clock;

struct DemoEvent {
    title: &'static str,
    kind: EventKind,
    description: &'static str,
    day: Date,
    start: (u8, u8),
    end_day: Option<Date>,
    end: (u8, u8),
    place: &'static str,
    address: &'static str,
    commune: &'static str,
    organiser: Option<&'static str>,
    capacity: Option<i64>,
    per_structure: Option<i64>,
    visibility: Visibility,
}

/// The next `month`/`day` on or after `today`.
fn next(today: Date, month: Month, day: u8) -> Date {
    let this_year = Date::from_calendar_date(today.year(), month, day).unwrap_or(today);
    if this_year >= today {
        this_year
    } else {
        Date::from_calendar_date(today.year() + 1, month, day).unwrap_or(today)
    }
}

fn at(day: Date, (h, m): (u8, u8)) -> Timestamp {
    paris_wall_clock(day, Time::from_hms(h, m, 0).unwrap_or(Time::MIDNIGHT))
}

pub async fn seed(db: &Db) -> Result<(), sqlx::Error> {
    let today = Timestamp::now().in_paris().date();
    let salon_day = next(today, Month::November, 28);
    let month_start =
        Date::from_calendar_date(salon_day.year(), Month::November, 1).unwrap_or(salon_day);
    let month_end =
        Date::from_calendar_date(salon_day.year(), Month::November, 30).unwrap_or(salon_day);
    let artois_day = next(today, Month::March, 9);
    let events = [
        DemoEvent {
            title: "Salon de l'achat responsable du Dunkerquois",
            kind: EventKind::Fair,
            description: "Une journée pour que les entreprises, les collectivités, les bailleurs et les comités d'entreprise rencontrent les structures de l'économie sociale et solidaire du territoire, et fassent affaire avec elles.\n\nStands des acteurs de l'ESS toute la journée, table ronde sur les passerelles entre l'économie générale et l'ESS le matin, trois ateliers animés par des experts l'après-midi.\n\nInitié par le Club de l'ESS du dunkerquois, co-organisé avec la Communauté urbaine de Dunkerque et Entreprendre Ensemble, dans le cadre du Mois de l'ESS.",
            day: salon_day,
            start: (9, 0),
            end_day: None,
            end: (17, 30),
            place: "Communauté urbaine de Dunkerque",
            address: "Pertuis de la Marine",
            commune: "dunkerque",
            organiser: Some("entreprendre-ensemble"),
            capacity: Some(150),
            per_structure: Some(4),
            visibility: Visibility::Public,
        },
        DemoEvent {
            title: "Mois de l'ESS sur le Dunkerquois",
            kind: EventKind::EssMonth,
            description: "Tout le mois de novembre, les structures de l'économie sociale et solidaire ouvrent leurs portes : visites, ateliers, rencontres. Le programme s'enrichit au fil des inscriptions des acteurs.",
            day: month_start,
            start: (9, 0),
            end_day: Some(month_end),
            end: (18, 0),
            place: "Communauté urbaine de Dunkerque",
            address: "",
            commune: "dunkerque",
            organiser: None,
            capacity: None,
            per_structure: None,
            visibility: Visibility::Public,
        },
        DemoEvent {
            title: "Réunion d'information sur la démarche progrès en Artois",
            kind: EventKind::Other,
            description: "Présentation aux acteurs de l'ESS de l'Artois des objectifs de la démarche progrès et de la manière d'y adhérer : six jours de formation collective, un identifiant, puis un renouvellement tous les deux ans.",
            day: artois_day,
            start: (14, 0),
            end_day: None,
            end: (16, 30),
            place: "Maison des associations",
            address: "",
            commune: "bethune",
            organiser: None,
            capacity: Some(40),
            per_structure: Some(2),
            visibility: Visibility::Public,
        },
        DemoEvent {
            title: "Réunion trimestrielle du Club de l'ESS du dunkerquois",
            kind: EventKind::ClubMeeting,
            description: "Point sur les projets communs des membres du club, accueil des nouvelles structures, préparation des réponses groupées aux marchés.",
            day: today + Duration::days(45),
            start: (18, 0),
            end_day: None,
            end: (20, 0),
            place: "Les Papillons Blancs de Dunkerque",
            address: "",
            commune: "dunkerque",
            organiser: Some("les-papillons-blancs-de-dunkerque"),
            capacity: Some(30),
            per_structure: Some(2),
            visibility: Visibility::Members,
        },
        DemoEvent {
            title: "Atelier : répondre à un marché avec une clause sociale",
            kind: EventKind::Workshop,
            description: "Un atelier en petit groupe pour lire un cahier des charges, repérer la clause d'insertion et bâtir une réponse à plusieurs structures.",
            day: today + Duration::days(20),
            start: (9, 30),
            end_day: None,
            end: (12, 0),
            place: "Entreprendre Ensemble",
            address: "",
            commune: "dunkerque",
            organiser: Some("entreprendre-ensemble"),
            capacity: Some(3),
            per_structure: None,
            visibility: Visibility::Public,
        },
        DemoEvent {
            title: "Village des solidarités",
            kind: EventKind::Other,
            description: "Une manifestation pour le grand public, organisée par Entreprendre Ensemble, pour découvrir de manière ludique les structures de l'ESS de l'agglomération.",
            day: today - Duration::days(150),
            start: (10, 0),
            end_day: None,
            end: (18, 0),
            place: "Place Jean Bart",
            address: "",
            commune: "dunkerque",
            organiser: Some("entreprendre-ensemble"),
            capacity: None,
            per_structure: None,
            visibility: Visibility::Public,
        },
        DemoEvent {
            title: "Réunion de rentrée du Club de l'ESS du dunkerquois",
            kind: EventKind::ClubMeeting,
            description: "Bilan du premier semestre et préparation du salon de l'achat responsable.",
            day: today - Duration::days(60),
            start: (18, 0),
            end_day: None,
            end: (20, 0),
            place: "Work&Co",
            address: "",
            commune: "dunkerque",
            organiser: Some("work-co"),
            capacity: Some(30),
            per_structure: None,
            visibility: Visibility::Members,
        },
    ];
    let admin: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(crate::features::accounts::demo::ADMIN_EMAIL)
        .fetch_optional(&db.pool)
        .await?;
    let Some(admin) = admin else { return Ok(()) };
    for demo in events {
        let slug = crate::slug::slugify(demo.title);
        if db::event_id(db, &slug).await?.is_some() {
            continue;
        }
        let organiser: Option<i64> = match demo.organiser {
            Some(slug) => {
                sqlx::query_scalar("SELECT id FROM structures WHERE slug = $1")
                    .bind(slug)
                    .fetch_optional(&db.pool)
                    .await?
            }
            None => None,
        };
        let event = ValidEvent {
            title: demo.title.to_owned(),
            kind: demo.kind,
            description: demo.description.to_owned(),
            starts_at: at(demo.day, demo.start),
            ends_at: at(demo.end_day.unwrap_or(demo.day), demo.end),
            place_name: demo.place.to_owned(),
            address: demo.address.to_owned(),
            commune: Some(demo.commune.to_owned()),
            online_url: String::new(),
            organiser,
            capacity: demo.capacity,
            per_structure_limit: demo.per_structure,
            opens_at: None,
            closes_at: None,
            visibility: demo.visibility,
            // The clubs' demo ties its meetings to the club.
            club: None,
        };
        let Some(slug) = db::create_event(db, &event, admin).await? else {
            continue;
        };
        let Some(id) = db::event_id(db, &slug).await? else {
            continue;
        };
        if demo.kind == EventKind::Fair {
            salon_programme(db, id, demo.day).await?;
        }
        // A few registrations; the small workshop fills up and has a waitlist.
        let count = match demo.capacity {
            Some(3) => 5,
            Some(_) => 6,
            None => 4,
        };
        let names = [
            "Sophie Martin",
            "Jean Lefebvre",
            "Nadia Benali",
            "Thomas Dubois",
            "Claire Vandamme",
            "Yann Delattre",
        ];
        for (n, name) in names.iter().take(count).enumerate() {
            let who = Registrant {
                user_id: None,
                structure_id: None,
                name: (*name).to_owned(),
                email: format!("participant{}@exemple.fr", n + 1),
            };
            // Past the capacity, the rest go on the waitlist; a refusal is no failure here.
            match db::register(db, id, &who, &[], &[]).await {
                Ok(_) | Err(AppError::Conflict(_) | AppError::Validation(_)) => {}
                Err(error) => return Err(sqlx::Error::Protocol(format!("demo: {error}"))),
            }
        }
    }
    Ok(())
}

async fn salon_programme(db: &Db, event_id: i64, day: Date) -> Result<(), sqlx::Error> {
    let sessions = [
        (
            "Table ronde : les passerelles entre l'économie générale et l'ESS",
            (10, 0),
            (11, 30),
            "Salle du conseil",
            None,
        ),
        (
            "Atelier « La responsabilité sociétale », animé par Réseau Alliances",
            (14, 0),
            (15, 30),
            "Salle 1",
            Some(30),
        ),
        (
            "Atelier « La clause emploi dans les marchés publics et privés », animé par l'URIAE",
            (14, 0),
            (15, 30),
            "Salle 2",
            Some(30),
        ),
        (
            "Atelier « Le mécénat », animé par un consultant de Culture d'Entreprise",
            (14, 0),
            (15, 30),
            "Salle 3",
            Some(30),
        ),
    ];
    for (title, start, end, room, capacity) in sessions {
        db::add_session(
            db,
            event_id,
            &ValidSession {
                title: title.to_owned(),
                starts_at: at(day, start),
                ends_at: at(day, end),
                room: room.to_owned(),
                capacity,
            },
        )
        .await?;
    }
    for question in [
        QuestionInfo {
            id: 0,
            label: "Vous venez en tant que".to_owned(),
            kind: QuestionKind::Choice,
            choices: vec![
                "Acheteur public".to_owned(),
                "Acheteur privé".to_owned(),
                "Structure de l'ESS".to_owned(),
                "Autre".to_owned(),
            ],
            required: true,
        },
        QuestionInfo {
            id: 0,
            label: "Resterez-vous au déjeuner ?".to_owned(),
            kind: QuestionKind::YesNo,
            choices: Vec::new(),
            required: false,
        },
    ] {
        db::add_question(db, event_id, &question).await?;
    }
    Ok(())
}
