//! The reference rows loaded by `dessine seed demo` (and kept up to date by it).

pub struct TerritorySeed {
    pub name: &'static str,
    pub kind: &'static str,
    /// Name of the enclosing territory, which appears earlier in [`TERRITORIES`].
    pub parent: Option<&'static str>,
    pub code: Option<&'static str>,
}

const fn t(
    name: &'static str,
    kind: &'static str,
    parent: Option<&'static str>,
    code: Option<&'static str>,
) -> TerritorySeed {
    TerritorySeed {
        name,
        kind,
        parent,
        code,
    }
}

const CUD: &str = "Communauté urbaine de Dunkerque";
const ARTOIS: &str = "Artois Comm.";
const MEL: &str = "Métropole européenne de Lille";

/// Parents come before their children.
pub const TERRITORIES: &[TerritorySeed] = &[
    t("Nord", "departement", None, Some("59")),
    t("Pas-de-Calais", "departement", None, Some("62")),
    t(CUD, "intercommunalite", Some("Nord"), None),
    t(ARTOIS, "intercommunalite", Some("Pas-de-Calais"), None),
    // Lille hosts the regional ESS networks (CRESS, URIAE, APES, Réseau Alliances).
    t(MEL, "intercommunalite", Some("Nord"), None),
    t("Lille", "commune", Some(MEL), Some("59350")),
    t("Armbouts-Cappel", "commune", Some(CUD), Some("59016")),
    t("Bourbourg", "commune", Some(CUD), Some("59094")),
    t("Bray-Dunes", "commune", Some(CUD), Some("59107")),
    t("Cappelle-la-Grande", "commune", Some(CUD), Some("59131")),
    t("Coudekerque-Branche", "commune", Some(CUD), Some("59155")),
    t("Craywick", "commune", Some(CUD), Some("59159")),
    t("Dunkerque", "commune", Some(CUD), Some("59183")),
    t("Ghyvelde", "commune", Some(CUD), Some("59260")),
    t("Grand-Fort-Philippe", "commune", Some(CUD), Some("59272")),
    t("Grande-Synthe", "commune", Some(CUD), Some("59271")),
    t("Gravelines", "commune", Some(CUD), Some("59273")),
    t("Leffrinckoucke", "commune", Some(CUD), Some("59340")),
    t("Loon-Plage", "commune", Some(CUD), Some("59359")),
    t(
        "Saint-Georges-sur-l'Aa",
        "commune",
        Some(CUD),
        Some("59532"),
    ),
    t("Spycker", "commune", Some(CUD), Some("59576")),
    t(
        "Téteghem-Coudekerque-Village",
        "commune",
        Some(CUD),
        Some("59588"),
    ),
    t("Zuydcoote", "commune", Some(CUD), Some("59668")),
    t("Annezin", "commune", Some(ARTOIS), Some("62035")),
    t("Auchel", "commune", Some(ARTOIS), Some("62048")),
    t("Barlin", "commune", Some(ARTOIS), Some("62083")),
    t("Béthune", "commune", Some(ARTOIS), Some("62119")),
    t("Beuvry", "commune", Some(ARTOIS), Some("62126")),
    t("Bruay-la-Buissière", "commune", Some(ARTOIS), Some("62178")),
    t("Calonne-Ricouart", "commune", Some(ARTOIS), Some("62194")),
    t("Divion", "commune", Some(ARTOIS), Some("62270")),
    t(
        "Fouquières-lès-Béthune",
        "commune",
        Some(ARTOIS),
        Some("62350"),
    ),
    t("Haillicourt", "commune", Some(ARTOIS), Some("62400")),
    t("Hersin-Coupigny", "commune", Some(ARTOIS), Some("62443")),
    t("Houdain", "commune", Some(ARTOIS), Some("62457")),
    t("Labourse", "commune", Some(ARTOIS), Some("62480")),
    t("Marles-les-Mines", "commune", Some(ARTOIS), Some("62555")),
    t("Nœux-les-Mines", "commune", Some(ARTOIS), Some("62617")),
    t("Verquin", "commune", Some(ARTOIS), Some("62848")),
];

/// The ESS sectors, in display order, with a one-line French description.
pub const SECTORS: &[(&str, &str)] = &[
    (
        "Culture",
        "Spectacle vivant, lecture, patrimoine, pratiques artistiques ouvertes à tous.",
    ),
    (
        "Sport",
        "Clubs et associations qui font du sport un outil de lien et d'éducation.",
    ),
    (
        "Bâtiment",
        "Construction, rénovation et second œuvre par des entreprises à finalité sociale.",
    ),
    (
        "Services à la personne",
        "Aide à domicile, garde d'enfants, accompagnement des personnes âgées.",
    ),
    (
        "Mobilité",
        "Garages solidaires, location de véhicules, apprentissage du vélo et du permis.",
    ),
    (
        "Tourisme",
        "Hébergement, loisirs et découverte du territoire à vocation sociale.",
    ),
    (
        "Circuits courts",
        "Producteurs locaux, épiceries solidaires, restauration collective de proximité.",
    ),
    (
        "Recyclage",
        "Récupération, réemploi, réparation et valorisation des déchets.",
    ),
    (
        "Insertion par l'activité économique",
        "Chantiers et entreprises d'insertion, associations intermédiaires, ETTI.",
    ),
    (
        "Social",
        "Accueil, hébergement, accès aux droits et lutte contre l'exclusion.",
    ),
    (
        "Environnement",
        "Préservation de la nature, énergie, sensibilisation à l'écologie.",
    ),
    (
        "Finance solidaire",
        "Épargne solidaire, clubs d'investisseurs, microcrédit et garanties.",
    ),
];
