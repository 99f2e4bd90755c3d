//! Realistic, deterministic French structures for load tests (`dessine seed synthetic --count N`)
//! and for the invented part of the demo data. The same seed always gives the same rows.
//! Contact details use reserved names and numbers: `.example` domains and the 03 53 73 xx xx
//! range that the French regulator keeps for fiction.

use super::PublicationStatus;
use super::db::NewStructure;
use crate::slug::slugify;
use crate::text::check::capitalise;

/// A small, fast, deterministic generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// Per sector: its slug, names of structures, and what they offer to buyers.
struct SectorVocabulary {
    slug: &'static str,
    names: &'static [&'static str],
    offers: &'static [&'static str],
    missions: &'static [&'static str],
}

const VOCABULARY: &[SectorVocabulary] = &[
    SectorVocabulary {
        slug: "culture",
        names: &[
            "Compagnie du Vent",
            "Théâtre en Marche",
            "Ateliers d'art partagé",
            "Maison des musiques",
            "Lecture pour tous",
            "Scène ouverte",
        ],
        offers: &[
            "spectacles pour comités d'entreprise",
            "ateliers d'écriture en entreprise",
            "animation de fêtes de quartier",
            "médiation culturelle en milieu scolaire",
        ],
        missions: &[
            "rend la culture accessible aux habitants des quartiers",
            "accompagne les pratiques artistiques amateurs",
            "fait vivre le patrimoine local",
        ],
    },
    SectorVocabulary {
        slug: "sport",
        names: &[
            "Sport et Partage",
            "Club omnisports solidaire",
            "Vélo pour tous",
            "Foot citoyen",
            "Les Marcheurs du littoral",
        ],
        offers: &[
            "animations sportives pour les salariés",
            "séjours sportifs adaptés",
            "encadrement d'activités périscolaires",
        ],
        missions: &[
            "fait du sport un outil d'insertion et d'éducation",
            "ouvre la pratique sportive aux personnes handicapées",
        ],
    },
    SectorVocabulary {
        slug: "batiment",
        names: &[
            "Bâtir Ensemble",
            "Chantier école",
            "Rénov'Solidaire",
            "Les Compagnons du bâti",
            "Éco-construction",
        ],
        offers: &[
            "second œuvre et peinture",
            "rénovation énergétique de logements",
            "petits travaux pour les bailleurs sociaux",
            "maçonnerie et carrelage",
        ],
        missions: &[
            "forme des personnes éloignées de l'emploi aux métiers du bâtiment",
            "rénove l'habitat des ménages modestes",
        ],
    },
    SectorVocabulary {
        slug: "services-a-la-personne",
        names: &[
            "Aide et Domicile",
            "Coup de main",
            "Les Bons Voisins",
            "Services Plus",
            "Domicile solidaire",
        ],
        offers: &[
            "ménage et repassage",
            "aide aux courses",
            "garde d'enfants à domicile",
            "portage de repas",
        ],
        missions: &[
            "aide les personnes âgées à rester chez elles",
            "crée des emplois de proximité durables",
        ],
    },
    SectorVocabulary {
        slug: "mobilite",
        names: &[
            "Garage solidaire",
            "Mobil'Emploi",
            "Roue Libre",
            "Auto-école sociale",
            "Atelier vélo",
        ],
        offers: &[
            "location de véhicules à petit prix",
            "réparation de vélos",
            "transport à la demande",
            "entretien de flottes de vélos",
        ],
        missions: &[
            "lève les freins de mobilité vers l'emploi",
            "apprend à se déplacer autrement",
        ],
    },
    SectorVocabulary {
        slug: "tourisme",
        names: &[
            "Gîtes solidaires",
            "Escapade du littoral",
            "Auberge de jeunesse",
            "Balades et Découvertes",
        ],
        offers: &[
            "hébergement de groupes",
            "visites guidées du patrimoine industriel",
            "séminaires au vert",
        ],
        missions: &[
            "fait découvrir le territoire à tous les publics",
            "développe un tourisme respectueux des habitants",
        ],
    },
    SectorVocabulary {
        slug: "circuits-courts",
        names: &[
            "Panier paysan",
            "Épicerie solidaire",
            "Jardins de cocagne",
            "La Ferme partagée",
            "Saveurs locales",
        ],
        offers: &[
            "paniers de légumes pour les salariés",
            "approvisionnement de la restauration collective",
            "traiteur de produits locaux",
        ],
        missions: &[
            "rapproche les producteurs locaux des habitants",
            "propose une alimentation de qualité à petit prix",
        ],
    },
    SectorVocabulary {
        slug: "recyclage",
        names: &[
            "Ressourcerie",
            "Recyclerie",
            "Atelier du réemploi",
            "Repair café",
            "Collecte et Tri",
        ],
        offers: &[
            "collecte d'encombrants",
            "vente de meubles d'occasion",
            "réparation d'électroménager",
            "recyclage de papiers de bureau",
            "destruction d'archives",
        ],
        missions: &[
            "donne une seconde vie aux objets",
            "réduit les déchets du territoire en créant des emplois",
        ],
    },
    SectorVocabulary {
        slug: "insertion-par-l-activite-economique",
        names: &[
            "Chantier d'insertion",
            "Tremplin Emploi",
            "Passerelle",
            "Agir pour l'emploi",
            "Emploi et Avenir",
        ],
        offers: &[
            "entretien d'espaces verts",
            "mise à disposition de personnel",
            "nettoyage de locaux",
            "blanchisserie",
        ],
        missions: &[
            "accompagne des personnes éloignées de l'emploi vers un travail durable",
            "répond aux clauses sociales des marchés publics",
        ],
    },
    SectorVocabulary {
        slug: "social",
        names: &[
            "Accueil et Solidarité",
            "Maison des familles",
            "Entraide",
            "Le Relais",
            "Point d'appui",
        ],
        offers: &[
            "accueil de jour",
            "médiation sociale",
            "conciergerie solidaire",
        ],
        missions: &[
            "accueille et accompagne les personnes en difficulté",
            "facilite l'accès aux droits",
        ],
    },
    SectorVocabulary {
        slug: "environnement",
        names: &[
            "Nature et Littoral",
            "Énergies citoyennes",
            "Les Jardiniers de la dune",
            "Éco-gestes",
            "Terre vivante",
        ],
        offers: &[
            "sensibilisation au tri en entreprise",
            "gestion différenciée des espaces verts",
            "diagnostics énergie",
        ],
        missions: &[
            "protège les milieux naturels du littoral",
            "accompagne la transition écologique des habitants",
        ],
    },
    SectorVocabulary {
        slug: "finance-solidaire",
        names: &[
            "Épargne solidaire",
            "Club d'investisseurs",
            "Microcrédit pour tous",
            "Fonds de garantie",
        ],
        offers: &[
            "prêts d'honneur",
            "placements solidaires",
            "accompagnement financier de projets",
        ],
        missions: &[
            "finance les projets locaux de l'ESS",
            "mobilise l'épargne des habitants pour l'emploi local",
        ],
    },
];

const FORMS: &[(&str, u64)] = &[
    ("association", 55),
    ("scop", 8),
    ("scic", 5),
    ("cooperative", 4),
    ("mutuelle", 3),
    ("fondation", 3),
    ("esus", 6),
    ("siae", 10),
    ("esat-ea", 4),
    ("autre", 2),
];

const STAFF_BANDS: &[&str] = &["1-2", "3-5", "6-9", "10-19", "20-49", "50-99", "100-199"];
const STREETS: &[&str] = &[
    "rue de la République",
    "avenue Jean-Jaurès",
    "rue Victor-Hugo",
    "place du Marché",
    "rue des Écoles",
    "quai des Chantiers",
    "rue Pasteur",
    "boulevard de la Liberté",
];
const SUFFIXES: &[&str] = &[
    "",
    " solidaire",
    " et compagnie",
    " du littoral",
    " des Flandres",
    " d'Artois",
];

/// A commune the generator may place a structure in: slug, display name, postal code, lat, lon.
pub struct Place {
    pub slug: String,
    pub name: String,
    pub postal_code: String,
    pub latitude: f64,
    pub longitude: f64,
}

/// A 14-digit SIRET with a valid Luhn key.
fn siret(rng: &mut Rng) -> String {
    let mut digits: Vec<u32> = (0..13).map(|_| rng.below(10) as u32).collect();
    digits[0] = 1 + rng.below(9) as u32;
    for check in 0..10 {
        digits.push(check);
        let text: String = digits
            .iter()
            .map(|d| char::from_digit(*d, 10).unwrap())
            .collect();
        if super::is_valid_siret(&text) {
            return text;
        }
        digits.pop();
    }
    unreachable!("one of ten check digits satisfies Luhn")
}

/// The `index`-th structure of the stream seeded by `seed`, placed in one of `places`.
pub fn structure(seed: u64, index: u64, places: &[Place], timestamp: &str) -> NewStructure {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let vocabulary = rng.pick(VOCABULARY);
    let place = rng.pick(places);
    let roll = rng.below(100) as u64;
    let mut acc = 0;
    let form = FORMS.iter().find(|(_, weight)| {
        acc += weight;
        roll < acc
    });
    let legal_form = form.map_or("association", |(slug, _)| slug).to_owned();
    let base = rng.pick(vocabulary.names);
    let suffix = rng.pick(SUFFIXES);
    let name = match rng.below(3) {
        0 => format!("{base} {}", of_place(&place.name)),
        1 => format!("{base}{suffix}"),
        _ => format!("{base} {}", place.name),
    };
    let mut sectors = vec![vocabulary.slug.to_owned()];
    if rng.chance(35) {
        let other = rng.pick(VOCABULARY).slug;
        if other != vocabulary.slug {
            sectors.push(other.to_owned());
        }
    }
    let offer_a = rng.pick(vocabulary.offers);
    let offer_b = rng.pick(vocabulary.offers);
    let offer = if offer_a == offer_b {
        capitalise(offer_a)
    } else {
        format!("{}, {offer_b}.", capitalise(offer_a))
    };
    let founded = 1960 + rng.below(64) as i64;
    let description = format!(
        "{name} {} depuis {founded}. Installée à {}, la structure travaille avec les habitants, les collectivités et les entreprises du territoire.",
        rng.pick(vocabulary.missions),
        place.name
    );
    let slug = format!("{}-{index}", slugify(&name));
    let jitter = |rng: &mut Rng| (rng.below(2000) as f64 - 1000.0) / 50_000.0;
    let siae_kind =
        (legal_form == "siae").then(|| rng.pick(&["ACI", "EI", "ETTI", "AI"]).to_string());
    NewStructure {
        acronym: if rng.chance(20) {
            initials(&name)
        } else {
            String::new()
        },
        siret: rng.chance(70).then(|| siret(&mut rng)),
        siae_kind,
        sector_slugs: sectors,
        commune_slug: place.slug.clone(),
        address: format!("{} {}", 1 + rng.below(180), rng.pick(STREETS)),
        postal_code: place.postal_code.clone(),
        latitude: Some(place.latitude + jitter(&mut rng)),
        longitude: Some(place.longitude + jitter(&mut rng)),
        email: format!("contact@{}.example", slugify(base)),
        phone: format!("03 53 73 {:02} {:02}", rng.below(100), rng.below(100)),
        website: format!("https://{}.example", slugify(&name)),
        staff_band: rng.pick(STAFF_BANDS).to_string(),
        year_founded: Some(founded),
        status: if rng.chance(3) {
            PublicationStatus::Draft
        } else {
            PublicationStatus::Published
        }
        .as_str()
        .to_owned(),
        timestamp: timestamp.to_owned(),
        description,
        offer,
        legal_form,
        name,
        slug,
    }
}

/// « de Dunkerque », « d'Auchel »: French elision before a vowel.
fn of_place(name: &str) -> String {
    match name.chars().next() {
        Some('A' | 'E' | 'I' | 'O' | 'U' | 'É' | 'Â' | 'Î' | 'Y' | 'H') => format!("d'{name}"),
        _ => format!("de {name}"),
    }
}

fn initials(name: &str) -> String {
    name.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() > 3)
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Vec<Place> {
        vec![Place {
            slug: "dunkerque".into(),
            name: "Dunkerque".into(),
            postal_code: "59140".into(),
            latitude: 51.03,
            longitude: 2.37,
        }]
    }

    #[test]
    fn place_names_take_elision() {
        assert_eq!(of_place("Auchel"), "d'Auchel");
        assert_eq!(of_place("Dunkerque"), "de Dunkerque");
    }

    #[test]
    fn same_seed_and_index_give_the_same_structure() {
        let a = structure(7, 42, &places(), "2026-01-01T00:00:00Z");
        let b = structure(7, 42, &places(), "2026-01-01T00:00:00Z");
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_ne!(
            format!("{a:?}"),
            format!("{:?}", structure(7, 43, &places(), "2026-01-01T00:00:00Z"))
        );
    }

    #[test]
    fn generated_fields_are_plausible() {
        for index in 0..500 {
            let s = structure(1, index, &places(), "t");
            assert!(!s.name.is_empty() && !s.offer.is_empty() && !s.description.is_empty());
            assert!(s.slug.ends_with(&format!("-{index}")));
            if let Some(siret) = &s.siret {
                assert!(super::super::is_valid_siret(siret), "{siret}");
            }
            assert!(s.email.ends_with(".example") && s.phone.starts_with("03 53 73"));
            assert_eq!(s.siae_kind.is_some(), s.legal_form == "siae");
            assert!(!s.sector_slugs.is_empty());
        }
    }
}
