//! The purchasing types: the choices of the forms, need statuses, answers and outcomes (each
//! mapped to its stored text here), euros, and what the pages show.

use crate::features::purchasing::Buyer;
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

/// Kinds of buyer organisation: `(stored value, French label)`.
pub const BUYER_KINDS: &[(&str, &str)] = &[
    ("collectivite", "Collectivité"),
    ("bailleur", "Bailleur social"),
    ("entreprise", "Entreprise"),
    ("comite-entreprise", "Comité d'entreprise (CSE)"),
    ("association", "Association"),
    ("autre", "Autre"),
];

/// Kinds of need.
pub const NEED_KINDS: &[(&str, &str)] = &[
    ("devis", "Demande de devis"),
    ("appel-offres", "Appel d'offres"),
    ("sourcing", "Sourcing / veille"),
];

/// Estimated amount bands (excluding tax).
pub const AMOUNT_BANDS: &[(&str, &str)] = &[
    ("non-estime", "Non estimé"),
    ("moins-10k", "Moins de 10 000 € HT"),
    ("10k-40k", "De 10 000 à 40 000 € HT"),
    ("40k-100k", "De 40 000 à 100 000 € HT"),
    ("100k-250k", "De 100 000 à 250 000 € HT"),
    ("plus-250k", "Plus de 250 000 € HT"),
];

/// Social clauses: none, a clause sociale (insertion hours), or a contract reserved for
/// insertion structures (SIAE) or for ESAT and adapted firms.
pub const CLAUSES: &[(&str, &str)] = &[
    ("aucune", "Sans clause sociale"),
    ("clause-sociale", "Avec une clause sociale d'insertion"),
    (
        "reserve-siae",
        "Marché réservé aux structures d'insertion (SIAE)",
    ),
    (
        "reserve-esat-ea",
        "Marché réservé aux ESAT et entreprises adaptées",
    ),
];

/// The legal form a reserved need requires, if any.
pub fn reserved_form(clause: &str) -> Option<&'static str> {
    match clause {
        "reserve-siae" => Some("siae"),
        "reserve-esat-ea" => Some("esat-ea"),
        _ => None,
    }
}

/// The French label of `value` in `choices`, or the value itself.
pub fn label_of(choices: &'static [(&'static str, &'static str)], value: &str) -> String {
    crate::text::choices::label_of(choices, value).to_owned()
}

/// `12 500 €`: euros with a narrow no-break space between thousands.
pub fn euros(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}{out}\u{a0}€")
}

pub fn is_choice(choices: &[(&str, &str)], value: &str) -> bool {
    choices.iter().any(|(v, _)| *v == value)
}

/// Where a need stands. Stored as text in `needs.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NeedStatus {
    /// Written, its suppliers being chosen; only its buyer sees it.
    Draft,
    /// Sent to its suppliers (and listed on `/achats` when public).
    Open,
    Closed,
}

impl NeedStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            NeedStatus::Draft => "draft",
            NeedStatus::Open => "open",
            NeedStatus::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> NeedStatus {
        match text {
            "open" => NeedStatus::Open,
            "closed" => NeedStatus::Closed,
            _ => NeedStatus::Draft,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NeedStatus::Draft => "brouillon, pas encore envoyé",
            NeedStatus::Open => "ouvert aux réponses",
            NeedStatus::Closed => "clos",
        }
    }
}

/// A supplier's answer. Stored as text in `need_suppliers.answer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    #[serde(rename = "interesse")]
    Interested,
    #[serde(rename = "pas-interesse")]
    Declined,
}

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Interested => "interested",
            Answer::Declined => "declined",
        }
    }

    pub fn parse(text: &str) -> Option<Answer> {
        match text {
            "interested" => Some(Answer::Interested),
            "declined" => Some(Answer::Declined),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Answer::Interested => "intéressée",
            Answer::Declined => "pas intéressée",
        }
    }
}

/// What the buyer does with a proposed supplier before sending: the button's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SupplierChange {
    /// Takes it off the list (`retirer`).
    #[serde(rename = "retirer")]
    Remove,
    /// Puts it back (`remettre`).
    #[serde(rename = "remettre")]
    Restore,
}

/// What came of a need for one supplier. Stored as text in `need_suppliers.outcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Won,
    Lost,
    Dropped,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Won, Outcome::Lost, Outcome::Dropped];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Won => "retenu",
            Outcome::Lost => "non-retenu",
            Outcome::Dropped => "sans-suite",
        }
    }

    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Won => "retenue",
            Outcome::Lost => "non retenue",
            Outcome::Dropped => "sans suite",
        }
    }
}

/// A need as lists and pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedSummary {
    pub id: i64,
    pub title: String,
    pub organisation: String,
    pub buyer_kind: String,
    /// A site admin confirmed that the buyer acts for this organisation.
    pub buyer_confirmed: bool,
    pub commune: String,
    pub kind: String,
    pub amount_band: String,
    pub deadline: String,
    pub clause: String,
    pub public: bool,
    pub status: NeedStatus,
    pub sectors: Vec<String>,
    pub published_at: Option<Timestamp>,
}

impl NeedSummary {
    /// The buyer's organisation as the portal's mails name it: as declared, and said to be so
    /// until a site admin has confirmed it.
    pub fn buyer_named(&self) -> String {
        super::buyers::named(&self.organisation, self.buyer_confirmed)
    }

    /// `15 janvier 2027` for the stored `2027-01-15`.
    pub fn deadline_text(&self) -> String {
        crate::timestamp::parse_date(&self.deadline)
            .map(|d| {
                crate::timestamp::paris_wall_clock(
                    d,
                    time::Time::from_hms(12, 0, 0).unwrap_or(time::Time::MIDNIGHT),
                )
                .french_date()
            })
            .unwrap_or_else(|| self.deadline.clone())
    }
}

/// One proposed supplier of a need, with its answer and outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supplier {
    pub structure_id: i64,
    pub slug: String,
    pub name: String,
    pub commune: String,
    pub legal_form: String,
    pub email: String,
    pub phone: String,
    pub reasons: String,
    pub added: bool,
    pub removed: bool,
    pub answer: Option<Answer>,
    pub message: String,
    pub attachment_url: String,
    pub answered_at: Option<Timestamp>,
    pub contacted_at: Option<Timestamp>,
    pub outcome: Option<Outcome>,
    pub amount: Option<i64>,
}

/// One line of a need's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at: Timestamp,
    pub text: String,
}

/// `/achats/{id}`: what the person looking may see of a need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedPage {
    pub need: NeedSummary,
    pub description: String,
    /// The buyer (or a site admin): every supplier, the history, the actions.
    pub owner: bool,
    /// The rows of the structures the person manages among the need's kept suppliers.
    pub mine: Vec<Supplier>,
    /// For the owner: every proposed supplier.
    pub suppliers: Vec<Supplier>,
    pub history: Vec<HistoryLine>,
}

/// `/achats`: the open public needs and the filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedList {
    pub needs: Vec<NeedSummary>,
    pub sectors: Vec<(String, String)>,
    pub territories: Vec<(String, String)>,
    /// Coming public events with meeting slots: `(slug, title)`.
    pub fairs: Vec<(String, String)>,
    pub buyer: bool,
    pub logged_in: bool,
}

/// What `/achats/nouveau` needs: the buyer (none yet: the buyer form comes first), the choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedFormData {
    pub buyer: Option<Buyer>,
    pub communes: Vec<(String, String)>,
    pub sectors: Vec<(String, String)>,
}

/// `/achats/mes-demandes`: the buyer's needs and the needs sent to the member's structures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyPurchasing {
    pub buyer: Option<Buyer>,
    pub needs: Vec<NeedSummary>,
    /// `(need, structure name, answer)`.
    pub received: Vec<(NeedSummary, String, Option<Answer>)>,
}

/// Notices of the purchasing pages.
pub const PURCHASING_NOTICES: crate::ui::notice::Notices = &[
    (
        "acheteur",
        "Votre organisation est enregistrée : vous pouvez publier un besoin. Un administrateur du portail confirmera que vous achetez pour elle ; en attendant, un besoin est envoyé à trois structures au plus.",
    ),
    (
        "acheteur-confirme",
        "L'acheteur est confirmé : ses besoins peuvent partir vers toutes les structures retenues.",
    ),
    (
        "confirmation-retiree",
        "La confirmation est retirée : les besoins de cet acheteur iront de nouveau à trois structures au plus.",
    ),
    (
        "besoin-cree",
        "Le besoin est enregistré. Vérifiez les structures proposées, puis envoyez-le.",
    ),
    ("retiree", "La structure ne recevra pas ce besoin."),
    ("remise", "La structure est de nouveau dans la liste."),
    ("ajoutee", "La structure est ajoutée à la liste."),
    (
        "envoye",
        "Le besoin est envoyé : les structures retenues ont reçu un courriel.",
    ),
    ("reponse", "Votre réponse est envoyée à l'acheteur."),
    ("contact", "Votre message est envoyé à la structure."),
    (
        "clos",
        "Le besoin est clos : merci d'avoir indiqué le résultat.",
    ),
    ("creneaux", "Les créneaux de rendez-vous sont ouverts."),
    ("stand", "La structure est inscrite comme exposante."),
    (
        "rendez-vous",
        "Le rendez-vous est réservé : vous et la structure avez reçu un courriel avec le fichier d'agenda.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_are_grouped_by_thousands() {
        assert_eq!(euros(0), "0\u{a0}€");
        assert_eq!(euros(12500), "12\u{202f}500\u{a0}€");
        assert_eq!(euros(1_234_567), "1\u{202f}234\u{202f}567\u{a0}€");
    }

    #[test]
    fn stored_texts_round_trip() {
        for status in [NeedStatus::Draft, NeedStatus::Open, NeedStatus::Closed] {
            assert_eq!(NeedStatus::parse(status.as_str()), status);
        }
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::parse(outcome.as_str()), Some(outcome));
        }
        for answer in [Answer::Interested, Answer::Declined] {
            assert_eq!(Answer::parse(answer.as_str()), Some(answer));
        }
        assert_eq!(reserved_form("reserve-siae"), Some("siae"));
        assert_eq!(reserved_form("clause-sociale"), None);
    }
}
