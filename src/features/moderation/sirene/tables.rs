//! INSEE's codes read as the portal's words: legal categories (catégories juridiques, level
//! III) to legal forms, NAF rév. 2 activities to sectors, staff bands, street types,
//! départements. The README's « Import SIRENE » section prints the same tables.

/// A legal category code (4 digits) as the portal's legal form, and a sector it implies (the
/// insertion associations). Codes not listed are `autre`.
pub fn legal_form(category: &str) -> (&'static str, Option<&'static str>) {
    match category {
        // Associations (declared, recognised of public utility, local law), employers' groups.
        "9210" | "9220" | "9223" | "9230" | "9240" | "9260" => ("association", None),
        // Associations d'insertion par l'économique, associations intermédiaires.
        "9221" | "9222" => ("siae", Some("insertion-par-l-activite-economique")),
        "9300" => ("fondation", None),
        // Sociétés coopératives ouvrières de production (SARL, SA à conseil, SA à directoire).
        "5458" | "5558" | "5658" => ("scop", None),
        // Other cooperatives: consumers, retailers, craftsmen, maritime, transport, building,
        // unions, agricultural, civil cooperatives, mutual credit banks.
        "5443" | "5451" | "5453" | "5454" | "5455" | "5459" | "5460" | "5551" | "5552" | "5553"
        | "5554" | "5555" | "5559" | "5560" | "5651" | "5652" | "5653" | "5654" | "5655"
        | "5659" | "5660" | "6316" | "6317" | "6318" | "6543" | "6551" | "6554" | "6558"
        | "6560" | "6595" | "6596" => ("cooperative", None),
        // Mutuals, mutual insurers.
        "6411" | "8210" | "8250" | "8290" => ("mutuelle", None),
        _ => ("autre", None),
    }
}

/// NAF rév. 2 code prefixes (without the dot) and the sector they mean; the longest prefix
/// wins. Activities not listed (« autres organisations fonctionnant par adhésion volontaire »,
/// 94.99Z, the most common) give no sector: the entry says « secteur à compléter ».
const NAF_SECTORS: &[(&str, &str)] = &[
    ("0210", "environnement"),
    ("01", "circuits-courts"),
    ("10", "circuits-courts"),
    ("1071", "circuits-courts"),
    ("4711", "circuits-courts"),
    ("472", "circuits-courts"),
    ("56", "circuits-courts"),
    ("35", "environnement"),
    ("36", "environnement"),
    ("37", "environnement"),
    ("8130", "environnement"),
    ("9104", "environnement"),
    ("38", "recyclage"),
    ("39", "recyclage"),
    ("4779", "recyclage"),
    ("95", "recyclage"),
    ("41", "batiment"),
    ("42", "batiment"),
    ("43", "batiment"),
    ("452", "mobilite"),
    ("4932", "mobilite"),
    ("4939", "mobilite"),
    ("771", "mobilite"),
    ("8553", "mobilite"),
    ("55", "tourisme"),
    ("79", "tourisme"),
    ("932", "tourisme"),
    ("5914", "culture"),
    ("581", "culture"),
    ("90", "culture"),
    ("91", "culture"),
    ("8552", "culture"),
    ("931", "sport"),
    ("8551", "sport"),
    ("782", "insertion-par-l-activite-economique"),
    ("783", "insertion-par-l-activite-economique"),
    ("8810", "services-a-la-personne"),
    ("8891", "services-a-la-personne"),
    ("97", "services-a-la-personne"),
    ("86", "social"),
    ("87", "social"),
    ("88", "social"),
    ("641", "finance-solidaire"),
    ("649", "finance-solidaire"),
    ("66", "finance-solidaire"),
];

/// The sector of an activity code (« 88.99B », « 8899B »), if any.
pub fn sector(naf: &str) -> Option<&'static str> {
    let code: String = naf.chars().filter(|c| *c != '.').collect();
    NAF_SECTORS
        .iter()
        .filter(|(prefix, _)| code.starts_with(prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, sector)| *sector)
}

/// A staff band code (tranche d'effectif) as the portal writes it (« 10-19 » salariés); no
/// employee at the date (« 00 »): "0"; a unit that employs nobody (« NN ») or unknown: "".
pub fn staff_band(code: &str) -> &'static str {
    match code {
        "00" => "0",
        "01" => "1-2",
        "02" => "3-5",
        "03" => "6-9",
        "11" => "10-19",
        "12" => "20-49",
        "21" => "50-99",
        "22" => "100-199",
        "31" => "200-249",
        "32" => "250-499",
        "41" => "500-999",
        "42" => "1000-1999",
        "51" => "2000-4999",
        "52" => "5000-9999",
        "53" => "10000 et plus",
        _ => "",
    }
}

/// A street type code (typeVoie) written out.
pub fn street_type(code: &str) -> String {
    let word = match code {
        "ALL" => "allée",
        "AV" => "avenue",
        "BD" => "boulevard",
        "CAR" => "carrefour",
        "CHE" | "CHEM" => "chemin",
        "CHS" => "chaussée",
        "CITE" => "cité",
        "COR" => "corniche",
        "CRS" => "cours",
        "DOM" => "domaine",
        "DSC" => "descente",
        "ECA" => "écart",
        "ESP" => "esplanade",
        "FG" => "faubourg",
        "GR" => "grande rue",
        "HAM" => "hameau",
        "HLE" => "halle",
        "IMP" => "impasse",
        "LD" => "lieu-dit",
        "LOT" => "lotissement",
        "MAR" => "marché",
        "MTE" => "montée",
        "PARC" => "parc",
        "PAS" => "passage",
        "PL" => "place",
        "PLN" => "plaine",
        "PLT" => "plateau",
        "PRO" => "promenade",
        "PRV" => "parvis",
        "QUA" => "quartier",
        "QUAI" => "quai",
        "R" | "RUE" => "rue",
        "RES" => "résidence",
        "ROC" => "rocade",
        "RPT" => "rond-point",
        "RTE" => "route",
        "RLE" => "ruelle",
        "SEN" => "sentier",
        "SQ" => "square",
        "TPL" => "terre-plein",
        "TRA" => "traverse",
        "VLA" => "villa",
        "VLGE" => "village",
        _ => return code.to_lowercase(),
    };
    word.to_owned()
}

/// Words written in lower case inside a name (« Maison de la Vie associative »).
const SMALL_WORDS: &[&str] = &[
    "à", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "par", "pour",
    "sur", "sous",
];

/// INSEE writes names in capitals without accents (« ASSOC LES JARDINS DU LITTORAL »): the
/// portal shows them with a capital at each word but the small ones. A name already in mixed
/// case stays as it is.
pub fn readable_name(name: &str) -> String {
    let name = name.trim();
    if name.chars().any(char::is_lowercase) {
        return name.to_owned();
    }
    let mut out = String::with_capacity(name.len());
    let mut word = String::new();
    let mut first = true;
    let flush = |word: &mut String, out: &mut String, first: &mut bool| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        if !*first && SMALL_WORDS.contains(&lower.as_str()) {
            out.push_str(&lower);
        } else {
            let mut chars = lower.chars();
            if let Some(c) = chars.next() {
                out.extend(c.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
        *first = false;
        word.clear();
    };
    for c in name.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out, &mut first);
            out.push(c);
        }
    }
    flush(&mut word, &mut out, &mut first);
    out
}

/// The départements, by INSEE code (metropolitan and overseas).
pub const DEPARTEMENTS: &[(&str, &str)] = &[
    ("01", "Ain"),
    ("02", "Aisne"),
    ("03", "Allier"),
    ("04", "Alpes-de-Haute-Provence"),
    ("05", "Hautes-Alpes"),
    ("06", "Alpes-Maritimes"),
    ("07", "Ardèche"),
    ("08", "Ardennes"),
    ("09", "Ariège"),
    ("10", "Aube"),
    ("11", "Aude"),
    ("12", "Aveyron"),
    ("13", "Bouches-du-Rhône"),
    ("14", "Calvados"),
    ("15", "Cantal"),
    ("16", "Charente"),
    ("17", "Charente-Maritime"),
    ("18", "Cher"),
    ("19", "Corrèze"),
    ("21", "Côte-d'Or"),
    ("22", "Côtes-d'Armor"),
    ("23", "Creuse"),
    ("24", "Dordogne"),
    ("25", "Doubs"),
    ("26", "Drôme"),
    ("27", "Eure"),
    ("28", "Eure-et-Loir"),
    ("29", "Finistère"),
    ("2A", "Corse-du-Sud"),
    ("2B", "Haute-Corse"),
    ("30", "Gard"),
    ("31", "Haute-Garonne"),
    ("32", "Gers"),
    ("33", "Gironde"),
    ("34", "Hérault"),
    ("35", "Ille-et-Vilaine"),
    ("36", "Indre"),
    ("37", "Indre-et-Loire"),
    ("38", "Isère"),
    ("39", "Jura"),
    ("40", "Landes"),
    ("41", "Loir-et-Cher"),
    ("42", "Loire"),
    ("43", "Haute-Loire"),
    ("44", "Loire-Atlantique"),
    ("45", "Loiret"),
    ("46", "Lot"),
    ("47", "Lot-et-Garonne"),
    ("48", "Lozère"),
    ("49", "Maine-et-Loire"),
    ("50", "Manche"),
    ("51", "Marne"),
    ("52", "Haute-Marne"),
    ("53", "Mayenne"),
    ("54", "Meurthe-et-Moselle"),
    ("55", "Meuse"),
    ("56", "Morbihan"),
    ("57", "Moselle"),
    ("58", "Nièvre"),
    ("59", "Nord"),
    ("60", "Oise"),
    ("61", "Orne"),
    ("62", "Pas-de-Calais"),
    ("63", "Puy-de-Dôme"),
    ("64", "Pyrénées-Atlantiques"),
    ("65", "Hautes-Pyrénées"),
    ("66", "Pyrénées-Orientales"),
    ("67", "Bas-Rhin"),
    ("68", "Haut-Rhin"),
    ("69", "Rhône"),
    ("70", "Haute-Saône"),
    ("71", "Saône-et-Loire"),
    ("72", "Sarthe"),
    ("73", "Savoie"),
    ("74", "Haute-Savoie"),
    ("75", "Paris"),
    ("76", "Seine-Maritime"),
    ("77", "Seine-et-Marne"),
    ("78", "Yvelines"),
    ("79", "Deux-Sèvres"),
    ("80", "Somme"),
    ("81", "Tarn"),
    ("82", "Tarn-et-Garonne"),
    ("83", "Var"),
    ("84", "Vaucluse"),
    ("85", "Vendée"),
    ("86", "Vienne"),
    ("87", "Haute-Vienne"),
    ("88", "Vosges"),
    ("89", "Yonne"),
    ("90", "Territoire de Belfort"),
    ("91", "Essonne"),
    ("92", "Hauts-de-Seine"),
    ("93", "Seine-Saint-Denis"),
    ("94", "Val-de-Marne"),
    ("95", "Val-d'Oise"),
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", "Guyane"),
    ("974", "La Réunion"),
    ("976", "Mayotte"),
];

/// The département of a commune code (« 59183 » → « 59 », « 97411 » → « 974 »), if known.
pub fn departement_of(commune_code: &str) -> Option<&'static str> {
    let length = if commune_code.starts_with("97") { 3 } else { 2 };
    let prefix = commune_code.get(..length)?;
    DEPARTEMENTS
        .iter()
        .find(|(code, _)| *code == prefix)
        .map(|(code, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_the_portal_words() {
        assert_eq!(legal_form("9220"), ("association", None));
        assert_eq!(
            legal_form("9222"),
            ("siae", Some("insertion-par-l-activite-economique"))
        );
        assert_eq!(legal_form("5458").0, "scop");
        assert_eq!(legal_form("6317").0, "cooperative");
        assert_eq!(legal_form("8210").0, "mutuelle");
        assert_eq!(legal_form("9300").0, "fondation");
        assert_eq!(legal_form("5710").0, "autre");
        assert_eq!(legal_form("").0, "autre");
        // The longest prefix wins: 91.04 (nature reserves) is not culture like 91.01.
        assert_eq!(sector("91.04Z"), Some("environnement"));
        assert_eq!(sector("91.01Z"), Some("culture"));
        assert_eq!(sector("88.10A"), Some("services-a-la-personne"));
        assert_eq!(sector("88.99B"), Some("social"));
        assert_eq!(sector("3832Z"), Some("recyclage"));
        assert_eq!(sector("94.99Z"), None);
        assert_eq!(sector(""), None);
        assert_eq!(staff_band("11"), "10-19");
        assert_eq!(staff_band("NN"), "");
        assert_eq!(street_type("AV"), "avenue");
        assert_eq!(street_type("XYZ"), "xyz");
        assert_eq!(departement_of("59183"), Some("59"));
        assert_eq!(departement_of("2A004"), Some("2A"));
        assert_eq!(departement_of("97411"), Some("974"));
        assert_eq!(departement_of("99"), None);
        assert_eq!(departement_of("é"), None);
    }

    #[test]
    fn capitals_become_a_readable_name() {
        assert_eq!(
            readable_name("ASSOCIATION LES JARDINS DU LITTORAL"),
            "Association les Jardins du Littoral"
        );
        assert_eq!(readable_name("LE RELAIS D'ARTOIS"), "Le Relais d'Artois");
        assert_eq!(readable_name("Déjà Écrit"), "Déjà Écrit");
        assert_eq!(readable_name("ÉCOLE 2000"), "École 2000");
    }
}
