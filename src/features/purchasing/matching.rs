//! Which ESS structures fit a need, in which order, and why. Pure: the database gives the
//! candidates (the published structures of the need's département), this module decides.
//!
//! A structure fits when it works in one of the need's sectors or when a word of the need is found
//! in its offer, and, for a reserved need, when it has the reserved legal form. Closer is better:
//! the need's commune, then its intercommunality, then its département. The rank adds up
//! these reasons; each reason is also written out for the buyer.

use std::collections::BTreeMap;

/// The most suppliers proposed for one need.
pub const MAX_MATCHES: usize = 30;

/// What the matching reads of a need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchNeed {
    pub sectors: Vec<String>,
    pub commune_id: i64,
    pub intercommunality_id: Option<i64>,
    pub departement_id: i64,
    /// The legal form a reserved need requires.
    pub reserved_form: Option<String>,
    /// The need's title and description.
    pub text: String,
}

/// A published structure of the need's département.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub sort_key: String,
    pub legal_form: String,
    pub commune_id: i64,
    pub intercommunality_id: Option<i64>,
    pub departement_id: i64,
    /// `(slug, French name)`.
    pub sectors: Vec<(String, String)>,
    pub offer: String,
}

/// A structure that fits, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub structure_id: i64,
    pub score: u32,
    /// The part of `score` that says how close it is: 3 same commune, 2, 1.
    pub place: u32,
    /// « secteur : recyclage · même intercommunalité · « mobilier » dans son offre ».
    pub reasons: String,
}

/// Words that say nothing about what is bought.
const STOP_WORDS: &[&str] = &[
    "avec",
    "dans",
    "pour",
    "sans",
    "sous",
    "chez",
    "entre",
    "vers",
    "depuis",
    "nous",
    "vous",
    "notre",
    "votre",
    "nos",
    "vos",
    "leur",
    "leurs",
    "cette",
    "celle",
    "ceux",
    "sont",
    "sera",
    "seront",
    "etre",
    "avoir",
    "fait",
    "faire",
    "plus",
    "moins",
    "tres",
    "tous",
    "toutes",
    "tout",
    "aussi",
    "ainsi",
    "dont",
    "mais",
    "elle",
    "elles",
    "ils",
    "une",
    "des",
    "les",
    "par",
    "sur",
    "aux",
    "pas",
    "besoin",
    "besoins",
    "recherche",
    "recherchons",
    "cherchons",
    "prestation",
    "prestations",
    "prestataire",
    "structure",
    "structures",
    "personnes",
    "environ",
    "jour",
    "jours",
    "annee",
    "mois",
    "semaine",
    "date",
    "lieu",
    "site",
    "merci",
    "afin",
    "partir",
    "selon",
    "chaque",
    "autre",
    "autres",
    "ensemble",
    "service",
    "services",
];

/// The meaningful words of a text, folded and stemmed as the directory's search does them
/// ([`crate::text::french`]: « Recycleries » and « recyclerie » are one word), four letters or
/// more, numbers and the words of every need left out: stem -> the first word as written
/// (folded), to quote it.
pub fn words(text: &str) -> BTreeMap<String, String> {
    use crate::text::french;
    let mut found = BTreeMap::new();
    let folded = french::fold(text, 20_000);
    for word in french::words(&folded)
        .filter(|w| w.len() >= 4 && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !STOP_WORDS.contains(w))
    {
        found
            .entry(french::stem(word))
            .or_insert_with(|| word.to_owned());
    }
    found
}

/// The candidates that fit `need`, best first (ties by name), at most [`MAX_MATCHES`].
pub fn rank(need: &MatchNeed, candidates: &[Candidate]) -> Vec<Match> {
    let need_words = words(&need.text);
    let mut found: Vec<(&Candidate, Match)> = Vec::new();
    for candidate in candidates {
        if candidate.departement_id != need.departement_id {
            continue;
        }
        if let Some(form) = &need.reserved_form
            && &candidate.legal_form != form
        {
            continue;
        }
        let shared: Vec<&str> = candidate
            .sectors
            .iter()
            .filter(|(slug, _)| need.sectors.contains(slug))
            .map(|(_, name)| name.as_str())
            .collect();
        let offer_words = words(&candidate.offer);
        let hits: Vec<&String> = need_words
            .iter()
            .filter(|(stem, _)| offer_words.contains_key(*stem))
            .map(|(_, word)| word)
            .take(3)
            .collect();
        if shared.is_empty() && hits.is_empty() {
            continue;
        }
        let mut reasons = Vec::new();
        let mut score = 0;
        if !shared.is_empty() {
            score += 4;
            reasons.push(format!("secteur : {}", shared.join(", ").to_lowercase()));
        }
        let (place, points) = if candidate.commune_id == need.commune_id {
            ("même commune", 3)
        } else if candidate.intercommunality_id.is_some()
            && candidate.intercommunality_id == need.intercommunality_id
        {
            ("même intercommunalité", 2)
        } else {
            ("même département", 1)
        };
        score += points;
        reasons.push(place.to_owned());
        if need.reserved_form.is_some() {
            reasons.push("forme juridique du marché réservé".to_owned());
        }
        if !hits.is_empty() {
            score += hits.len() as u32;
            let quoted: Vec<String> = hits.iter().map(|w| format!("« {w} »")).collect();
            reasons.push(format!("{} dans son offre", quoted.join(", ")));
        }
        found.push((
            candidate,
            Match {
                structure_id: candidate.id,
                score,
                place: points,
                reasons: reasons.join(" · "),
            },
        ));
    }
    // Equal scores: the closer first, then by name.
    found.sort_by(|(a, ma), (b, mb)| {
        mb.score
            .cmp(&ma.score)
            .then_with(|| mb.place.cmp(&ma.place))
            .then_with(|| a.sort_key.cmp(&b.sort_key))
    });
    found
        .into_iter()
        .take(MAX_MATCHES)
        .map(|(_, m)| m)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(
        id: i64,
        name: &str,
        form: &str,
        commune: i64,
        sectors: &[&str],
        offer: &str,
    ) -> Candidate {
        Candidate {
            id,
            sort_key: crate::slug::slugify(name),
            legal_form: form.into(),
            commune_id: commune,
            intercommunality_id: (commune < 100).then_some(1),
            departement_id: if commune < 200 { 59 } else { 62 },
            sectors: sectors
                .iter()
                .map(|s| ((*s).to_owned(), (*s).to_owned()))
                .collect(),
            offer: offer.into(),
        }
    }

    fn need(sectors: &[&str], reserved: Option<&str>, text: &str) -> MatchNeed {
        MatchNeed {
            sectors: sectors.iter().map(|s| (*s).to_owned()).collect(),
            commune_id: 10,
            intercommunality_id: Some(1),
            departement_id: 59,
            reserved_form: reserved.map(str::to_owned),
            text: text.into(),
        }
    }

    fn candidates() -> Vec<Candidate> {
        vec![
            // Same commune, same sector.
            candidate(
                1,
                "Alpha",
                "association",
                10,
                &["recyclage"],
                "Collecte de papier.",
            ),
            // Same intercommunality, same sector, and a word of the need.
            candidate(
                2,
                "Bravo",
                "siae",
                11,
                &["recyclage"],
                "Vente de mobilier d'occasion.",
            ),
            // Same département, outside the intercommunality, only a word.
            candidate(
                3,
                "Charlie",
                "scop",
                150,
                &["culture"],
                "Réparation de mobilier ancien.",
            ),
            // Another département: never.
            candidate(4, "Delta", "siae", 250, &["recyclage"], "Mobilier."),
            // Nothing in common.
            candidate(
                5,
                "Echo",
                "association",
                10,
                &["sport"],
                "Clubs de football.",
            ),
        ]
    }

    fn ids(matches: &[Match]) -> Vec<i64> {
        matches.iter().map(|m| m.structure_id).collect()
    }

    #[test]
    fn sector_then_place_then_words_order_the_matches() {
        let found = rank(
            &need(&["recyclage"], None, "Reprise de mobilier de bureau"),
            &candidates(),
        );
        // Alpha: 4 + 3 = 7; Bravo: 4 + 2 + 1 = 7 (ties: the closer first); Charlie: 1 + 1 = 2.
        assert_eq!(ids(&found), vec![1, 2, 3]);
        assert_eq!(
            found[1].reasons,
            "secteur : recyclage · même intercommunalité · « mobilier » dans son offre"
        );
        assert_eq!(
            found[2].reasons,
            "même département · « mobilier » dans son offre"
        );
    }

    #[test]
    fn a_reserved_need_keeps_only_the_reserved_form() {
        let found = rank(
            &need(&["recyclage"], Some("siae"), "Reprise de mobilier"),
            &candidates(),
        );
        assert_eq!(ids(&found), vec![2]);
        assert!(found[0].reasons.contains("marché réservé"));
    }

    #[test]
    fn plural_and_accents_do_not_hide_a_word() {
        let stem = crate::text::french::stem;
        assert_eq!(
            words("Des Réparations de MEUBLES")
                .get(&stem("meuble"))
                .map(String::as_str),
            Some("meubles")
        );
        assert!(words("réparation").contains_key(&stem("reparation")));
        assert!(!words("pour les besoins").contains_key("pour"));
        // The search's French stems: a verb and its noun meet, « œ » is « oe », and the
        // words of every need (« besoin ») say nothing.
        let need = words("Réparation de vélos pour nos agents");
        let offer = words("Nous réparons les vélos de vos équipes");
        assert!(
            need.keys().any(|stem| offer.contains_key(stem)),
            "{need:?} {offer:?}"
        );
        assert!(words("Main-d'œuvre").contains_key(&stem("oeuvre")));
        assert!(words("12345 besoin").is_empty());
    }

    #[test]
    fn no_sector_and_no_word_in_common_is_no_match() {
        assert!(
            rank(
                &need(&["tourisme"], None, "Hébergement de groupe"),
                &candidates()
            )
            .is_empty()
        );
    }

    #[test]
    fn at_most_max_matches_are_proposed() {
        let many: Vec<Candidate> = (0..100)
            .map(|i| {
                candidate(
                    i,
                    &format!("S{i:03}"),
                    "association",
                    10,
                    &["recyclage"],
                    "",
                )
            })
            .collect();
        assert_eq!(
            rank(&need(&["recyclage"], None, ""), &many).len(),
            MAX_MATCHES
        );
    }
}
