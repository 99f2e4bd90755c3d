//! Demo and synthetic directory rows.
//!
//! The demo names the organisations of the ESS networks that the portal comes from; what it says
//! about them is written for the demo, and their contact details are reserved fictional ones.

use super::PublicationStatus;
use super::db::{NewStructure, insert_context, insert_structures};
use super::synthetic::{self, Place};
use crate::db::Db;
use crate::features::reference::db as reference;

/// Communes of the covered territories with postal code and approximate coordinates.
const PLACES: &[(&str, &str, &str, f64, f64)] = &[
    ("armbouts-cappel", "Armbouts-Cappel", "59380", 50.980, 2.350),
    ("bourbourg", "Bourbourg", "59630", 50.947, 2.196),
    ("bray-dunes", "Bray-Dunes", "59123", 51.077, 2.516),
    (
        "cappelle-la-grande",
        "Cappelle-la-Grande",
        "59180",
        50.999,
        2.366,
    ),
    (
        "coudekerque-branche",
        "Coudekerque-Branche",
        "59210",
        51.022,
        2.393,
    ),
    ("craywick", "Craywick", "59279", 50.970, 2.240),
    ("dunkerque", "Dunkerque", "59140", 51.034, 2.377),
    ("ghyvelde", "Ghyvelde", "59254", 51.053, 2.527),
    (
        "grand-fort-philippe",
        "Grand-Fort-Philippe",
        "59153",
        51.000,
        2.106,
    ),
    ("grande-synthe", "Grande-Synthe", "59760", 51.014, 2.302),
    ("gravelines", "Gravelines", "59820", 50.986, 2.128),
    ("leffrinckoucke", "Leffrinckoucke", "59495", 51.036, 2.462),
    ("loon-plage", "Loon-Plage", "59279", 50.996, 2.218),
    ("spycker", "Spycker", "59380", 50.970, 2.320),
    (
        "teteghem-coudekerque-village",
        "Téteghem-Coudekerque-Village",
        "59229",
        51.020,
        2.440,
    ),
    ("zuydcoote", "Zuydcoote", "59123", 51.063, 2.490),
    ("annezin", "Annezin", "62232", 50.532, 2.617),
    ("auchel", "Auchel", "62260", 50.508, 2.474),
    ("barlin", "Barlin", "62620", 50.457, 2.617),
    ("bethune", "Béthune", "62400", 50.530, 2.640),
    ("beuvry", "Beuvry", "62660", 50.520, 2.680),
    (
        "bruay-la-buissiere",
        "Bruay-la-Buissière",
        "62700",
        50.483,
        2.550,
    ),
    (
        "calonne-ricouart",
        "Calonne-Ricouart",
        "62470",
        50.487,
        2.480,
    ),
    ("divion", "Divion", "62460", 50.471, 2.507),
    ("houdain", "Houdain", "62150", 50.450, 2.535),
    (
        "marles-les-mines",
        "Marles-les-Mines",
        "62540",
        50.503,
        2.503,
    ),
    ("noeux-les-mines", "Nœux-les-Mines", "62290", 50.480, 2.665),
];

fn place(slug: &str) -> (&'static str, f64, f64) {
    PLACES
        .iter()
        .find(|p| p.0 == slug)
        .map_or(("", 50.7, 2.5), |p| (p.2, p.3, p.4))
}

struct Named {
    name: &'static str,
    acronym: &'static str,
    form: &'static str,
    siae_kind: Option<&'static str>,
    sectors: &'static [&'static str],
    commune: &'static str,
    offer: &'static str,
    description: &'static str,
    staff: &'static str,
    founded: i64,
}

const NAMED: &[Named] = &[
    Named {
        name: "Entreprendre Ensemble",
        acronym: "",
        form: "association",
        siae_kind: None,
        sectors: &["insertion-par-l-activite-economique", "social"],
        commune: "dunkerque",
        offer: "Accompagnement des structures de l'ESS, appui aux clauses d'insertion des marchés publics et privés, mise en relation avec les acheteurs.",
        description: "Mandatée par la Communauté urbaine de Dunkerque pour animer sa politique d'économie sociale et solidaire, l'association soutient les structures du territoire et développe l'insertion par l'activité économique. Elle co-organise le salon de l'achat responsable et anime le club de l'ESS du Dunkerquois.",
        staff: "50-99",
        founded: 1993,
    },
    Named {
        name: "Les Papillons Blancs de Dunkerque",
        acronym: "",
        form: "association",
        siae_kind: None,
        sectors: &["social", "services-a-la-personne"],
        commune: "dunkerque",
        offer: "Prestations de sous-traitance par des travailleurs en situation de handicap : conditionnement, entretien d'espaces verts, blanchisserie.",
        description: "Association de parents et d'amis de personnes handicapées mentales, elle gère des établissements et services d'accompagnement et d'emploi adapté. Membre fondateur du club de l'ESS du Dunkerquois.",
        staff: "250-499",
        founded: 1960,
    },
    Named {
        name: "Les Courses Asteur",
        acronym: "",
        form: "scop",
        siae_kind: None,
        sectors: &["services-a-la-personne", "mobilite"],
        commune: "dunkerque",
        offer: "Livraison de courses à domicile, portage pour les personnes âgées, tournées de livraison pour les commerces de proximité.",
        description: "Société coopérative de production détenue par ses salariés, elle a signé une convention de partenariat avec Entreprendre Ensemble lors du premier salon de l'achat responsable du Dunkerquois.",
        staff: "6-9",
        founded: 2015,
    },
    Named {
        name: "Maison de la poésie",
        acronym: "",
        form: "association",
        siae_kind: None,
        sectors: &["culture"],
        commune: "beuvry",
        offer: "Lectures publiques, ateliers d'écriture pour les écoles et les entreprises, résidences d'auteurs.",
        description: "Lieu de création et de diffusion de la poésie, la Maison de la poésie est à l'origine du Club des entrepreneurs de l'ESS d'Artois Comm. : une première rencontre à Beuvry avait réuni une quarantaine de structures.",
        staff: "3-5",
        founded: 1984,
    },
    Named {
        name: "Pôle de finance solidaire des CIGALES",
        acronym: "CIGALES",
        form: "association",
        siae_kind: None,
        sectors: &["finance-solidaire"],
        commune: "dunkerque",
        offer: "Apports en capital et accompagnement de créateurs d'entreprises de l'ESS par des clubs d'investisseurs citoyens.",
        description: "Les clubs d'investisseurs pour une gestion alternative et locale de l'épargne solidaire réunissent des habitants qui placent leur épargne dans des projets du territoire. Le pôle est soutenu par la Communauté urbaine de Dunkerque.",
        staff: "1-2",
        founded: 2005,
    },
    Named {
        name: "Work&Co",
        acronym: "",
        form: "scic",
        siae_kind: None,
        sectors: &["services-a-la-personne", "social"],
        commune: "grande-synthe",
        offer: "Location d'espaces de travail et de salles de réunion, crèche solidaire, café solidaire et équitable.",
        description: "Projet primé au concours de l'innovation économique et sociale « S'engager pour les quartiers », Work&Co réunit en un lieu des espaces de travail partagés, une crèche et un café solidaires.",
        staff: "10-19",
        founded: 2016,
    },
    Named {
        name: "Réseau Alliances",
        acronym: "",
        form: "association",
        siae_kind: None,
        sectors: &["social", "environnement"],
        commune: "lille",
        offer: "Accompagnement des entreprises dans leur démarche de responsabilité sociétale, innovation sociale, clubs d'entrepreneurs.",
        description: "Réseau d'entrepreneurs engagés pour une croissance responsable ; il anime l'atelier sur la responsabilité sociétale du salon de l'achat responsable du Dunkerquois.",
        staff: "10-19",
        founded: 1993,
    },
    Named {
        name: "Union régionale de l'insertion par l'activité économique",
        acronym: "URIAE",
        form: "association",
        siae_kind: None,
        sectors: &["insertion-par-l-activite-economique"],
        commune: "lille",
        offer: "Appui aux acheteurs pour rédiger et suivre la clause emploi des marchés publics et privés.",
        description: "Tête de réseau régionale des structures d'insertion par l'activité économique, elle représente les chantiers, entreprises et associations d'insertion des Hauts-de-France.",
        staff: "6-9",
        founded: 1998,
    },
    Named {
        name: "Chambre régionale de l'économie sociale et solidaire Hauts-de-France",
        acronym: "CRESS",
        form: "association",
        siae_kind: None,
        sectors: &["social", "finance-solidaire"],
        commune: "lille",
        offer: "Observatoire régional de l'ESS, formation des élus et des dirigeants, organisation du mois de l'ESS.",
        description: "La chambre régionale représente et promeut les entreprises de l'économie sociale et solidaire de la région.",
        staff: "10-19",
        founded: 2004,
    },
    Named {
        name: "Acteurs pour une économie solidaire",
        acronym: "APES",
        form: "association",
        siae_kind: None,
        sectors: &["social", "circuits-courts"],
        commune: "lille",
        offer: "Animation de rencontres entre acteurs, accompagnement de réseaux locaux et de clubs d'entrepreneurs de l'ESS.",
        description: "Réseau régional d'acteurs de l'économie solidaire ; il a animé la première rencontre du Club des entrepreneurs de l'ESS d'Artois Comm.",
        staff: "6-9",
        founded: 2000,
    },
    Named {
        name: "Ressourcerie du Dunkerquois",
        acronym: "",
        form: "siae",
        siae_kind: Some("ACI"),
        sectors: &["recyclage", "insertion-par-l-activite-economique"],
        commune: "coudekerque-branche",
        offer: "Collecte d'encombrants et de mobilier de bureau, vente de meubles d'occasion, sensibilisation au tri.",
        description: "Atelier et chantier d'insertion de la filière récupération-recyclage, membre du club de l'ESS du Dunkerquois.",
        staff: "20-49",
        founded: 2008,
    },
    Named {
        name: "Jardins du Littoral",
        acronym: "",
        form: "siae",
        siae_kind: Some("ACI"),
        sectors: &[
            "circuits-courts",
            "insertion-par-l-activite-economique",
            "environnement",
        ],
        commune: "gravelines",
        offer: "Paniers de légumes biologiques, approvisionnement de la restauration collective, entretien d'espaces naturels.",
        description: "Maraîchage biologique en insertion : des salariés en parcours cultivent et livrent des légumes aux habitants et aux cantines.",
        staff: "20-49",
        founded: 2001,
    },
];

/// Inserts the demo structures (named ones, then 48 invented ones). Idempotent.
pub async fn seed_demo(db: &Db, timestamp: &str) -> Result<usize, sqlx::Error> {
    let context = insert_context(db).await?;
    let mut tx = db.begin_write().await?;
    let mut structures = Vec::new();
    for named in NAMED {
        let (postal_code, latitude, longitude) = if named.commune == "lille" {
            ("59000", 50.629, 3.057)
        } else {
            place(named.commune)
        };
        let slug = crate::slug::slugify(named.name);
        let structure = NewStructure {
            website: format!("https://{slug}.example"),
            email: format!("contact@{slug}.example"),
            phone: format!(
                "03 53 73 {:02} {:02}",
                named.founded % 100,
                named.name.len() % 100
            ),
            slug,
            name: named.name.to_owned(),
            acronym: named.acronym.to_owned(),
            siret: None,
            legal_form: named.form.to_owned(),
            siae_kind: named.siae_kind.map(str::to_owned),
            sector_slugs: named.sectors.iter().map(|s| s.to_string()).collect(),
            commune_slug: named.commune.to_owned(),
            address: String::new(),
            postal_code: postal_code.to_owned(),
            latitude: Some(latitude),
            longitude: Some(longitude),
            description: named.description.to_owned(),
            offer: named.offer.to_owned(),
            staff_band: named.staff.to_owned(),
            year_founded: Some(named.founded),
            status: PublicationStatus::Published.as_str().to_owned(),
            timestamp: timestamp.to_owned(),
        };
        structures.push(structure);
    }
    let places = local_places();
    for index in 0..48 {
        let mut structure = synthetic::structure(2026, index, &places, timestamp);
        structure.status = PublicationStatus::Published.as_str().to_owned();
        structures.push(structure);
    }
    let added = insert_structures(&mut tx, &context, &structures).await?;
    tx.commit().await?;
    Ok(added)
}

fn local_places() -> Vec<Place> {
    PLACES
        .iter()
        .map(|(slug, name, postal_code, latitude, longitude)| Place {
            slug: (*slug).to_owned(),
            name: (*name).to_owned(),
            postal_code: (*postal_code).to_owned(),
            latitude: *latitude,
            longitude: *longitude,
        })
        .collect()
}

/// Large French cities for national-size synthetic data: (commune, postal code, département
/// code, département, latitude, longitude).
const FRANCE: &[(&str, &str, &str, &str, f64, f64)] = &[
    ("Paris", "75001", "75", "Paris", 48.857, 2.352),
    (
        "Marseille",
        "13001",
        "13",
        "Bouches-du-Rhône",
        43.296,
        5.370,
    ),
    ("Lyon", "69001", "69", "Rhône", 45.764, 4.836),
    ("Toulouse", "31000", "31", "Haute-Garonne", 43.605, 1.444),
    ("Nice", "06000", "06", "Alpes-Maritimes", 43.710, 7.262),
    ("Nantes", "44000", "44", "Loire-Atlantique", 47.218, -1.554),
    ("Montpellier", "34000", "34", "Hérault", 43.611, 3.877),
    ("Strasbourg", "67000", "67", "Bas-Rhin", 48.573, 7.752),
    ("Bordeaux", "33000", "33", "Gironde", 44.838, -0.579),
    ("Rennes", "35000", "35", "Ille-et-Vilaine", 48.117, -1.678),
    ("Reims", "51100", "51", "Marne", 49.258, 4.032),
    ("Saint-Étienne", "42000", "42", "Loire", 45.440, 4.387),
    ("Le Havre", "76600", "76", "Seine-Maritime", 49.494, 0.108),
    ("Grenoble", "38000", "38", "Isère", 45.188, 5.724),
    ("Dijon", "21000", "21", "Côte-d'Or", 47.322, 5.041),
    ("Angers", "49000", "49", "Maine-et-Loire", 47.478, -0.563),
    ("Nîmes", "30000", "30", "Gard", 43.836, 4.360),
    (
        "Clermont-Ferrand",
        "63000",
        "63",
        "Puy-de-Dôme",
        45.778,
        3.087,
    ),
    ("Le Mans", "72000", "72", "Sarthe", 48.007, 0.199),
    ("Brest", "29200", "29", "Finistère", 48.390, -4.486),
    ("Tours", "37000", "37", "Indre-et-Loire", 47.394, 0.685),
    ("Amiens", "80000", "80", "Somme", 49.894, 2.296),
    ("Limoges", "87000", "87", "Haute-Vienne", 45.834, 1.261),
    (
        "Perpignan",
        "66000",
        "66",
        "Pyrénées-Orientales",
        42.699,
        2.895,
    ),
    ("Metz", "57000", "57", "Moselle", 49.119, 6.176),
    ("Besançon", "25000", "25", "Doubs", 47.238, 6.024),
    ("Orléans", "45000", "45", "Loiret", 47.903, 1.909),
    ("Rouen", "76000", "76", "Seine-Maritime", 49.443, 1.099),
    ("Caen", "14000", "14", "Calvados", 49.183, -0.371),
    ("Nancy", "54000", "54", "Meurthe-et-Moselle", 48.692, 6.184),
    ("Roubaix", "59100", "59", "Nord", 50.690, 3.182),
    ("Arras", "62000", "62", "Pas-de-Calais", 50.291, 2.777),
    ("Calais", "62100", "62", "Pas-de-Calais", 50.951, 1.858),
    (
        "Boulogne-sur-Mer",
        "62200",
        "62",
        "Pas-de-Calais",
        50.726,
        1.614,
    ),
    ("Valenciennes", "59300", "59", "Nord", 50.358, 3.523),
    ("Poitiers", "86000", "86", "Vienne", 46.580, 0.340),
    ("Pau", "64000", "64", "Pyrénées-Atlantiques", 43.295, -0.371),
    (
        "La Rochelle",
        "17000",
        "17",
        "Charente-Maritime",
        46.160,
        -1.151,
    ),
];

/// Adds the national communes and départements the synthetic data needs (idempotent).
async fn ensure_national_places(db: &Db) -> Result<Vec<Place>, sqlx::Error> {
    use crate::slug::slugify;
    let mut tx = db.begin_write().await?;
    // Paris is both a commune and a département: the département's slug must differ.
    let departement_slug = |commune: &str, departement: &str| {
        let slug = slugify(departement);
        if slug == slugify(commune) {
            format!("departement-de-{slug}")
        } else {
            slug
        }
    };
    for (commune, _, code, departement, _, _) in FRANCE {
        let departement_slug = departement_slug(commune, departement);
        reference::add_departement(&mut *tx, &departement_slug, departement, code).await?;
        reference::add_commune(&mut *tx, &slugify(commune), commune, &departement_slug).await?;
    }
    tx.commit().await?;
    let mut places = local_places();
    places.extend(
        FRANCE
            .iter()
            .map(|(commune, postal_code, _, _, latitude, longitude)| Place {
                slug: slugify(commune),
                name: (*commune).to_owned(),
                postal_code: (*postal_code).to_owned(),
                latitude: *latitude,
                longitude: *longitude,
            }),
    );
    Ok(places)
}

/// Inserts `count` synthetic structures (indexes 0..count of a fixed stream), in batches.
/// Returns how many were new.
pub async fn seed_synthetic(db: &Db, count: u64, timestamp: &str) -> Result<usize, sqlx::Error> {
    let places = ensure_national_places(db).await?;
    let context = insert_context(db).await?;
    let mut added = 0;
    let mut index = 0;
    while index < count {
        let end = (index + 5_000).min(count);
        let structures: Vec<NewStructure> = (index..end)
            .map(|i| synthetic::structure(0x5EED, 1_000_000 + i, &places, timestamp))
            .collect();
        let mut tx = db.begin_write().await?;
        added += insert_structures(&mut tx, &context, &structures).await?;
        tx.commit().await?;
        index = end;
    }
    Ok(added)
}
