//! Moderation's types: proposals (a new entry, a correction), their states and the form people
//! fill, the moderation queue, the moderators.

use crate::error::{AppError, FieldErrors};
use crate::features::directory::db::Snapshot;
use crate::timestamp::Timestamp;
use crate::ui::form::Many;
use serde::{Deserialize, Serialize};

/// The confirmations of moderation's pages.
pub const MODERATION_NOTICES: crate::ui::notice::Notices = &[
    (
        "import-lance",
        "L'import est lancé : son compte rendu s'affiche ici dès qu'il est fini (rechargez la page).",
    ),
    (
        "import-deja-applique",
        "Cet import a déjà été appliqué (peut-être par une autre personne) : il ne l'est pas une seconde fois.",
    ),
    (
        "proposition-envoyee",
        "Merci : votre proposition a été transmise à la modération. Vous recevrez un e-mail quand elle sera examinée.",
    ),
    (
        "verifiez-mail",
        "Presque fini : ouvrez le lien que nous venons de vous envoyer par e-mail pour confirmer votre adresse. La proposition part ensuite à la modération.",
    ),
    (
        "proposition-confirmee",
        "Votre adresse est confirmée : la proposition est transmise à la modération.",
    ),
    ("acceptee", "La proposition a été acceptée."),
    (
        "refusee",
        "La proposition a été refusée ; son auteur en est informé.",
    ),
    (
        "moderateur-ajoute",
        "La personne modère maintenant l'annuaire.",
    ),
    (
        "moderateur-retire",
        "La personne ne modère plus l'annuaire.",
    ),
    ("fiche-supprimee", "La fiche a été supprimée."),
];

/// A new entry, or a correction of an entry. Stored as text in `proposals.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProposalKind {
    New,
    Correction,
}

impl ProposalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalKind::New => "new",
            ProposalKind::Correction => "correction",
        }
    }

    pub fn from_stored(text: &str) -> ProposalKind {
        if text == "new" {
            ProposalKind::New
        } else {
            ProposalKind::Correction
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProposalKind::New => "Nouvelle structure",
            ProposalKind::Correction => "Correction",
        }
    }
}

/// Where a proposal stands. Stored as text in `proposals.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProposalStatus {
    /// A visitor's, waiting for their address to be confirmed.
    Unconfirmed,
    Pending,
    Accepted,
    Refused,
}

impl ProposalStatus {
    pub const ALL: [ProposalStatus; 4] = [
        ProposalStatus::Unconfirmed,
        ProposalStatus::Pending,
        ProposalStatus::Accepted,
        ProposalStatus::Refused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Unconfirmed => "unconfirmed",
            ProposalStatus::Pending => "pending",
            ProposalStatus::Accepted => "accepted",
            ProposalStatus::Refused => "refused",
        }
    }

    pub fn from_stored(text: &str) -> ProposalStatus {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
            .unwrap_or(ProposalStatus::Refused)
    }

    pub fn label(self) -> &'static str {
        match self {
            ProposalStatus::Unconfirmed => "adresse à confirmer",
            ProposalStatus::Pending => "en attente",
            ProposalStatus::Accepted => "acceptée",
            ProposalStatus::Refused => "refusée",
        }
    }
}

/// The fields of a proposal, as typed: a new entry (every field), or a correction (the form
/// starts with the entry's values). A visitor also gives their name and address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub legal_form: String,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub sectors: Many<String>,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub siret: String,
    #[serde(default)]
    pub offer: String,
    #[serde(default)]
    pub description: String,
    /// A visitor's name and address (a member's come from the account).
    #[serde(default)]
    pub proposer_name: String,
    #[serde(default)]
    pub proposer_email: String,
    /// Ticked when the proposer says the likely duplicate shown is another structure.
    #[serde(default)]
    pub autre_structure: String,
}

/// A proposal checked: its fields (see [`Snapshot`]) and, for a visitor, who proposes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProposal {
    pub fields: Snapshot,
    pub proposer: Option<(String, String)>,
    pub other_structure: bool,
}

impl ProposalForm {
    /// Checks every field as the entry form does; `visitor`: the proposer's name and address
    /// are checked too.
    pub fn validated(self, visitor: bool) -> Result<ValidProposal, AppError> {
        use crate::text::check::{lines, one_line};
        let mut errors = FieldErrors::default();
        // The entry form's own rules for the fields it shares.
        let shared = errors.take(
            crate::features::stewardship::EntryEdit {
                name: one_line(&self.name),
                description: self.description.clone(),
                offer: self.offer.clone(),
                address: self.address.clone(),
                postal_code: self.postal_code.clone(),
                email: self.email.clone(),
                phone: self.phone.clone(),
                website: self.website.clone(),
                // Proposals do not state the workforce: SIRENE or the entry's managers do.
                staff_band: String::new(),
                sectors: self.sectors.clone(),
            }
            .validated(),
        );
        if !self.name.trim().is_empty() && crate::slug::slugify(&self.name).is_empty() {
            errors.add(
                "name",
                "Le nom doit contenir au moins une lettre ou un chiffre.",
            );
        }
        let legal_form = self.legal_form.trim();
        if !crate::features::directory::LEGAL_FORMS
            .iter()
            .any(|(slug, _)| *slug == legal_form)
        {
            errors.add("legal_form", "Choisissez la forme juridique dans la liste.");
        }
        let commune = self.commune.trim();
        if !crate::slug::is_slug(commune) {
            errors.add("commune", "Choisissez la commune dans la liste.");
        }
        if self
            .sectors
            .0
            .iter()
            .any(|sector| !crate::slug::is_slug(sector.trim()))
        {
            errors.add("sectors", "Choisissez les secteurs dans la liste.");
        }
        let siret = errors.siret_or_empty("siret", &self.siret);
        let proposer = if visitor {
            let name = errors.check(
                "proposer_name",
                crate::features::accounts::normalise_name(&self.proposer_name),
            );
            let email = errors.check(
                "proposer_email",
                crate::features::accounts::normalise_email(&self.proposer_email),
            );
            name.zip(email)
        } else {
            None
        };
        let shared = errors.finish(shared)?.unwrap_or_default();
        let fields = Snapshot::from([
            ("name".to_owned(), shared.name),
            ("legal_form".to_owned(), legal_form.to_owned()),
            ("commune".to_owned(), commune.to_owned()),
            ("sectors".to_owned(), shared.sectors.0.join(",")),
            ("address".to_owned(), shared.address),
            ("postal_code".to_owned(), shared.postal_code),
            ("email".to_owned(), shared.email),
            ("phone".to_owned(), shared.phone),
            ("website".to_owned(), shared.website),
            ("siret".to_owned(), siret.unwrap_or_default()),
            ("offer".to_owned(), lines(&shared.offer)),
            ("description".to_owned(), lines(&shared.description)),
        ]);
        Ok(ValidProposal {
            fields,
            proposer,
            other_structure: !self.autre_structure.is_empty(),
        })
    }
}

/// What the proposal form needs: the entry's current values for a correction (empty for a new
/// entry), and the lists to choose from, `(slug, name)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalPage {
    /// The corrected entry's slug and name; `None` for a new entry.
    pub entry: Option<(String, String)>,
    pub values: Snapshot,
    pub communes: Vec<(String, String)>,
    pub sectors: Vec<(String, String)>,
    /// Whether the person is logged in (a visitor gives a name and an address).
    pub member: bool,
}

/// A line of the moderation queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: i64,
    pub kind: ProposalKind,
    /// The proposed name (a new entry) or the corrected entry's name.
    pub name: String,
    pub territory: String,
    pub proposer: String,
    pub fields: usize,
    pub created_at: Timestamp,
}

/// `/moderation`: the proposals waiting, and the entries waiting to be published (created
/// through a club's invitation), `(slug, name, commune, created)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub proposals: Vec<QueueItem>,
    pub drafts: Vec<(String, String, String, Timestamp)>,
    /// Entries not verified for two years, `(slug, name, commune, verified)`.
    pub stale: Vec<(String, String, String, Option<Timestamp>)>,
}

/// One field of a proposal, side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub label: String,
    pub current: String,
    pub proposed: String,
    /// A new entry cannot do without it (name, legal form, commune, sectors).
    pub required: bool,
}

/// `/moderation/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalDetail {
    pub id: i64,
    pub kind: ProposalKind,
    pub status: ProposalStatus,
    /// The entry corrected (or created), `(slug, name)`; `None` for a new one not accepted yet,
    /// or an entry deleted meanwhile.
    pub entry: Option<(String, String)>,
    pub proposer: String,
    pub proposer_email: String,
    pub changes: Vec<FieldChange>,
    /// Entries that look like the proposed one, `(slug, name, why)`.
    pub look_alikes: Vec<(String, String, String)>,
    pub decided: Option<(String, Timestamp, String)>,
    pub created_at: Timestamp,
}

/// A moderator, for the site admins' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moderator {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// The département they moderate; `None`: every territory.
    pub territory: Option<String>,
}

/// `/moderation/moderateurs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModeratorsPage {
    pub moderators: Vec<Moderator>,
    /// `(slug, name)` of the départements.
    pub departements: Vec<(String, String)>,
}

/// A moderator's decision (the button's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    #[serde(rename = "accepter")]
    Accept,
    #[serde(rename = "refuser")]
    Refuse,
}

/// Publishing an entry or taking it out of the directory (the button's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Publication {
    #[serde(rename = "publier")]
    Publish,
    #[serde(rename = "retirer")]
    Withdraw,
}

/// `/annuaire/{slug}/administration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryAdmin {
    pub slug: String,
    pub name: String,
    pub published: bool,
    /// `(id, name, e-mail)`.
    pub managers: Vec<(i64, String, String)>,
    /// What refers to the entry, `(what, how many)`.
    pub references: Vec<(String, i64)>,
    /// A site admin (who may also delete and change managers).
    pub admin: bool,
}

/// `/moderation/fusion`: the entry kept and the one merged into it, `(slug, name)`, and what
/// moves, `(what, how many)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergePreview {
    pub keep: (String, String),
    pub merge: (String, String),
    pub moving: Vec<(String, i64)>,
}

/// Adding or removing a moderator or a manager (the button's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModeratorChange {
    #[serde(rename = "ajouter")]
    Add,
    #[serde(rename = "retirer")]
    Remove,
}

/// An import started in the page: its dry run, and once applied its report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: i64,
    pub sirene: bool,
    pub file_name: String,
    pub departements: String,
    pub dry_run: super::imports::StoredReport,
    pub applied: Option<super::imports::StoredReport>,
    /// Applying, not finished yet.
    pub running: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ProposalForm {
        ProposalForm {
            name: "  Les  Jardins de la Colme ".into(),
            legal_form: "association".into(),
            commune: "bergues".into(),
            sectors: Many(vec!["environnement".into()]),
            siret: "732 829 320 00074".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_proposal_is_checked_like_an_entry() {
        let valid = form().validated(false).unwrap();
        assert_eq!(valid.fields["name"], "Les Jardins de la Colme");
        assert_eq!(valid.fields["siret"], "73282932000074");
        assert_eq!(valid.fields["sectors"], "environnement");
        assert_eq!(valid.proposer, None);
        let bad = ProposalForm {
            name: "!!!".into(),
            legal_form: "sarl".into(),
            commune: "../x".into(),
            sectors: Many(vec![]),
            siret: "1234567890123a".into(),
            website: "javascript:alert(1)".into(),
            ..Default::default()
        }
        .validated(true)
        .unwrap_err();
        let fields: Vec<String> = bad.field_errors().into_iter().map(|(f, _)| f).collect();
        for field in [
            "name",
            "legal_form",
            "commune",
            "sectors",
            "siret",
            "website",
            "proposer_name",
            "proposer_email",
        ] {
            assert!(fields.iter().any(|f| f == field), "{field}: {fields:?}");
        }
        let huge = ProposalForm {
            description: "é".repeat(2_000_000),
            ..form()
        };
        assert!(huge.validated(false).is_err());
    }

    #[test]
    fn a_visitor_says_who_they_are() {
        let valid = ProposalForm {
            proposer_name: "Awa Diallo".into(),
            proposer_email: "Awa@Exemple.fr".into(),
            ..form()
        }
        .validated(true)
        .unwrap();
        assert_eq!(
            valid.proposer,
            Some(("Awa Diallo".to_owned(), "awa@exemple.fr".to_owned()))
        );
    }
}
