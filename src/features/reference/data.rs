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
    t("Lille", "commune", Some(MEL), None),
    t("Armbouts-Cappel", "commune", Some(CUD), None),
    t("Bourbourg", "commune", Some(CUD), None),
    t("Bray-Dunes", "commune", Some(CUD), None),
    t("Cappelle-la-Grande", "commune", Some(CUD), None),
    t("Coudekerque-Branche", "commune", Some(CUD), None),
    t("Craywick", "commune", Some(CUD), None),
    t("Dunkerque", "commune", Some(CUD), None),
    t("Ghyvelde", "commune", Some(CUD), None),
    t("Grand-Fort-Philippe", "commune", Some(CUD), None),
    t("Grande-Synthe", "commune", Some(CUD), None),
    t("Gravelines", "commune", Some(CUD), None),
    t("Leffrinckoucke", "commune", Some(CUD), None),
    t("Loon-Plage", "commune", Some(CUD), None),
    t("Saint-Georges-sur-l'Aa", "commune", Some(CUD), None),
    t("Spycker", "commune", Some(CUD), None),
    t("Téteghem-Coudekerque-Village", "commune", Some(CUD), None),
    t("Zuydcoote", "commune", Some(CUD), None),
    t("Annezin", "commune", Some(ARTOIS), None),
    t("Auchel", "commune", Some(ARTOIS), None),
    t("Barlin", "commune", Some(ARTOIS), None),
    t("Béthune", "commune", Some(ARTOIS), None),
    t("Beuvry", "commune", Some(ARTOIS), None),
    t("Bruay-la-Buissière", "commune", Some(ARTOIS), None),
    t("Calonne-Ricouart", "commune", Some(ARTOIS), None),
    t("Divion", "commune", Some(ARTOIS), None),
    t("Fouquières-lès-Béthune", "commune", Some(ARTOIS), None),
    t("Haillicourt", "commune", Some(ARTOIS), None),
    t("Hersin-Coupigny", "commune", Some(ARTOIS), None),
    t("Houdain", "commune", Some(ARTOIS), None),
    t("Labourse", "commune", Some(ARTOIS), None),
    t("Marles-les-Mines", "commune", Some(ARTOIS), None),
    t("Nœux-les-Mines", "commune", Some(ARTOIS), None),
    t("Verquin", "commune", Some(ARTOIS), None),
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
