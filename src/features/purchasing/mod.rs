//! Responsible purchasing: buyers (a local authority's purchasing service, a social landlord, a
//! works council…) publish a **need**; the portal finds the ESS structures that fit it and says
//! why ([`matching`]); the buyer removes or adds some and sends it; the kept structures answer in
//! the page; the buyer closes the need with an outcome per structure. `/achats` lists the open
//! public needs, `/achats/bilan` counts what the portal made happen. At a fair, buyers book
//! one-to-one meetings with the structures that hold a stand (`/evenements/{slug}/rendez-vous`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod mails;
pub mod matching;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors};
use crate::timestamp::Timestamp;
use crate::ui::form::Many;

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
    choices
        .iter()
        .find(|(v, _)| *v == value)
        .map_or_else(|| value.to_owned(), |(_, label)| (*label).to_owned())
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

fn is_choice(choices: &[(&str, &str)], value: &str) -> bool {
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

/// The « Je suis acheteur » form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerForm {
    pub organisation: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub siret: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBuyer {
    pub organisation: String,
    pub kind: String,
    pub siret: Option<String>,
}

impl BuyerForm {
    pub fn validated(self) -> Result<ValidBuyer, AppError> {
        let mut errors = FieldErrors::default();
        let organisation = self.organisation.trim().to_owned();
        if organisation.is_empty() {
            errors.add(
                "organisation",
                "Indiquez le nom de votre organisation (exemple : Communauté urbaine de Dunkerque, service des achats).",
            );
        } else if organisation.chars().count() > 160 {
            errors.add(
                "organisation",
                "Le nom ne doit pas dépasser 160 caractères.",
            );
        }
        if !is_choice(BUYER_KINDS, self.kind.trim()) {
            errors.add("kind", "Choisissez le type d'organisation dans la liste.");
        }
        let digits: String = self.siret.chars().filter(|c| !c.is_whitespace()).collect();
        let siret = if digits.is_empty() {
            None
        } else if digits.len() == 14 && digits.chars().all(|c| c.is_ascii_digit()) {
            Some(digits)
        } else {
            errors.add(
                "siret",
                "Le SIRET compte 14 chiffres (les espaces sont acceptés), ou laissez le champ vide.",
            );
            None
        };
        errors.finish(ValidBuyer {
            organisation,
            kind: self.kind.trim().to_owned(),
            siret,
        })
    }
}

/// A buyer, as their pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Buyer {
    pub id: i64,
    pub organisation: String,
    pub kind: String,
}

/// The need form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedForm {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub amount_band: String,
    #[serde(default)]
    pub deadline: String,
    #[serde(default)]
    pub clause: String,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub sectors: Many<String>,
}

/// A need once checked. The commune and sectors are slugs; the database checks they exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNeed {
    pub title: String,
    pub description: String,
    pub commune: String,
    pub kind: String,
    pub amount_band: String,
    /// `YYYY-MM-DD`.
    pub deadline: String,
    pub clause: String,
    pub public: bool,
    pub sectors: Vec<String>,
}

impl NeedForm {
    /// Checks the form on `today` (Paris): the deadline may not be in the past.
    pub fn validated(self, today: time::Date) -> Result<ValidNeed, AppError> {
        let mut errors = FieldErrors::default();
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            errors.add(
                "title",
                "Indiquez l'objet du besoin (exemple : Traiteur pour 80 personnes).",
            );
        } else if title.chars().count() > 160 {
            errors.add("title", "L'objet ne doit pas dépasser 160 caractères.");
        }
        let description = self.description.trim().to_owned();
        if description.chars().count() < 20 {
            errors.add(
                "description",
                "Décrivez le besoin en quelques phrases (20 caractères au moins) : c'est ce que liront les structures.",
            );
        } else if description.chars().count() > 5000 {
            errors.add(
                "description",
                "La description ne doit pas dépasser 5 000 caractères.",
            );
        }
        if self.commune.trim().is_empty() {
            errors.add(
                "commune",
                "Choisissez la commune où la prestation aura lieu.",
            );
        }
        if !is_choice(NEED_KINDS, self.kind.trim()) {
            errors.add("kind", "Choisissez le type de besoin dans la liste.");
        }
        if !is_choice(AMOUNT_BANDS, self.amount_band.trim()) {
            errors.add(
                "amount_band",
                "Choisissez une tranche de montant dans la liste.",
            );
        }
        match crate::timestamp::parse_date(self.deadline.trim()) {
            None => errors.add(
                "deadline",
                "Indiquez la date limite des réponses (exemple : 2027-01-15).",
            ),
            Some(date) if date < today => errors.add(
                "deadline",
                "La date limite des réponses est passée : choisissez aujourd'hui ou une date à venir.",
            ),
            Some(date) if date > today + time::Duration::days(366) => errors.add(
                "deadline",
                "La date limite doit tomber dans l'année qui vient.",
            ),
            Some(_) => {}
        }
        if !is_choice(CLAUSES, self.clause.trim()) {
            errors.add(
                "clause",
                "Choisissez une option de clause sociale dans la liste.",
            );
        }
        let public = match self.visibility.trim() {
            "public" => true,
            "private" => false,
            _ => {
                errors.add("visibility", "Choisissez qui peut voir le besoin.");
                false
            }
        };
        let mut sectors: Vec<String> = self
            .sectors
            .0
            .iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        sectors.sort();
        sectors.dedup();
        if sectors.is_empty() {
            errors.add("sectors", "Cochez au moins un secteur d'activité.");
        } else if sectors.len() > 5 {
            errors.add("sectors", "Cochez au plus cinq secteurs.");
        }
        errors.finish(ValidNeed {
            title,
            description,
            commune: self.commune.trim().to_owned(),
            kind: self.kind.trim().to_owned(),
            amount_band: self.amount_band.trim().to_owned(),
            deadline: self.deadline.trim().to_owned(),
            clause: self.clause.trim().to_owned(),
            public,
            sectors,
        })
    }
}

/// A need as lists and pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedSummary {
    pub id: i64,
    pub title: String,
    pub organisation: String,
    pub buyer_kind: String,
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

/// One row of the report: a sector, a territory, or the total.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    pub name: String,
    pub needs: i64,
    pub answers: i64,
    pub won: i64,
    pub amount: i64,
}

/// `/achats/bilan`: a year's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub year: i32,
    pub years: Vec<i32>,
    pub total: ReportRow,
    pub by_sector: Vec<ReportRow>,
    pub by_territory: Vec<ReportRow>,
}

/// A stand holder's meeting, or a buyer's, for the schedule of the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: i64,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub buyer: String,
    pub structure: String,
    pub structure_slug: String,
}

/// `/evenements/{slug}/rendez-vous`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fair {
    pub slug: String,
    pub title: String,
    pub starts_at: Timestamp,
    /// `(slot id, starts, ends, meetings booked)`.
    pub slots: Vec<(i64, Timestamp, Timestamp, i64)>,
    /// `(structure id, slug, name)`.
    pub stands: Vec<(i64, String, String)>,
    pub organiser: bool,
    pub buyer: Option<Buyer>,
    pub logged_in: bool,
    /// The person's meetings: as the buyer, and as a manager of stand holders.
    pub schedule: Vec<Meeting>,
    /// For a buyer: `(slot id, structure id)` already taken by someone (free ones are the rest).
    pub taken: Vec<(i64, i64)>,
    /// For a buyer: the slots at which they already have a meeting.
    pub busy: Vec<i64>,
}

/// The most meeting slots a fair opens in one go.
pub const MAX_SLOTS: usize = 60;

/// The meeting slots of a fair that starts at `day`: from `start` to `end` (`HH:MM`, Paris time),
/// every `minutes` (10 to 120); a last slot that would end after `end` is not opened.
pub fn slot_times(
    day: Timestamp,
    start: &str,
    end: &str,
    minutes: &str,
) -> Result<Vec<(Timestamp, Timestamp)>, AppError> {
    use crate::timestamp::{paris_wall_clock, parse_time};
    let mut errors = FieldErrors::default();
    let start = parse_time(start);
    let end = parse_time(end);
    if start.is_none() {
        errors.add(
            "start_time",
            "Indiquez l'heure du premier créneau (exemple : 10:00).",
        );
    }
    match (start, end) {
        (_, None) => errors.add("end_time", "Indiquez l'heure de fin (exemple : 17:00)."),
        (Some(start), Some(end)) if end <= start => {
            errors.add("end_time", "La fin doit suivre le début.")
        }
        _ => {}
    }
    let length = match minutes.trim().parse::<i64>() {
        Ok(length) if (10..=120).contains(&length) => length,
        _ => {
            errors.add("minutes", "La durée d'un créneau va de 10 à 120 minutes.");
            0
        }
    };
    let (Some(start), Some(end)) = (start, end) else {
        return Err(errors.finish(()).unwrap_err());
    };
    errors.finish(())?;
    let date = day.in_paris().date();
    let last = paris_wall_clock(date, end);
    let step = time::Duration::minutes(length);
    let mut slots = Vec::new();
    let mut at = paris_wall_clock(date, start);
    while at.plus(step) <= last {
        slots.push((at, at.plus(step)));
        at = at.plus(step);
        if slots.len() > MAX_SLOTS {
            return Err(AppError::validation(
                "minutes",
                format!(
                    "Cela ferait plus de {MAX_SLOTS} créneaux : allongez-les ou raccourcissez la plage."
                ),
            ));
        }
    }
    if slots.is_empty() {
        return Err(AppError::validation(
            "minutes",
            "La plage est plus courte qu'un créneau.",
        ));
    }
    Ok(slots)
}

/// Notices of the purchasing pages.
pub const PURCHASING_NOTICES: crate::ui::notice::Notices = &[
    (
        "acheteur",
        "Votre organisation est enregistrée : vous pouvez publier un besoin.",
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

/// The form posts of the purchasing pages.
#[cfg(feature = "ssr")]
pub fn routes() -> crate::web::forms::Routes {
    use crate::web::forms::{FormFields, Routes, same_page};
    fn need_page(path: &str, _: &FormFields) -> String {
        // `/achats/{id}/…` answers with `/achats/{id}`.
        let mut parts = path.trim_start_matches('/').split('/');
        match (parts.next(), parts.next()) {
            (Some("achats"), Some(id)) => format!("/achats/{id}"),
            _ => "/achats".to_owned(),
        }
    }
    fn fair_page(path: &str, _: &FormFields) -> String {
        let end = path
            .find("/rendez-vous")
            .map_or(path.len(), |i| i + "/rendez-vous".len());
        path[..end].to_owned()
    }
    fn new_need(_: &str, _: &FormFields) -> String {
        "/achats/nouveau".to_owned()
    }
    Routes::new()
        .form::<api::DeclareBuyer>("/achats/acheteur", new_need)
        .form::<api::CreateNeed>("/achats/nouveau", same_page)
        .form::<api::ChangeSupplier>("/achats/{id}/fournisseurs", need_page)
        .form::<api::AddSupplier>("/achats/{id}/fournisseurs/ajouter", need_page)
        .form::<api::SendNeed>("/achats/{id}/envoyer", need_page)
        .form::<api::AnswerNeed>("/achats/{id}/reponse", need_page)
        .form::<api::ContactSupplier>("/achats/{id}/contact", need_page)
        .form::<api::CloseNeed>("/achats/{id}/cloture", need_page)
        .form::<api::OpenSlots>("/evenements/{slug}/rendez-vous/creneaux", fair_page)
        .form::<api::AddStand>("/evenements/{slug}/rendez-vous/stands", fair_page)
        .form::<api::BookMeeting>("/evenements/{slug}/rendez-vous", same_page)
        .get("/achats/bilan.csv", export::report_csv)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> time::Date {
        time::Date::from_calendar_date(2026, time::Month::November, 24).unwrap()
    }

    fn need() -> NeedForm {
        NeedForm {
            title: "Traiteur pour 80 personnes".into(),
            description: "Un buffet de midi pour la journée de la commande publique responsable."
                .into(),
            commune: "dunkerque".into(),
            kind: "devis".into(),
            amount_band: "moins-10k".into(),
            deadline: "2026-12-15".into(),
            clause: "aucune".into(),
            visibility: "public".into(),
            sectors: Many(vec!["circuits-courts".into()]),
        }
    }

    #[test]
    fn a_complete_need_is_valid() {
        let valid = need().validated(today()).unwrap();
        assert!(valid.public);
        assert_eq!(valid.sectors, vec!["circuits-courts".to_owned()]);
    }

    #[test]
    fn every_bad_field_of_a_need_gets_its_message() {
        let form = NeedForm {
            title: " ".into(),
            description: "court".into(),
            commune: "".into(),
            kind: "autre".into(),
            amount_band: "beaucoup".into(),
            deadline: "2026-11-23".into(),
            clause: "x".into(),
            visibility: "".into(),
            sectors: Many(vec![]),
        };
        let fields: Vec<String> = form
            .validated(today())
            .unwrap_err()
            .field_errors()
            .into_iter()
            .map(|(field, _)| field)
            .collect();
        for field in [
            "title",
            "description",
            "commune",
            "kind",
            "amount_band",
            "deadline",
            "clause",
            "visibility",
            "sectors",
        ] {
            assert!(fields.contains(&field.to_owned()), "{field} in {fields:?}");
        }
    }

    #[test]
    fn a_deadline_today_is_accepted_and_a_garbled_one_refused() {
        let today_form = NeedForm {
            deadline: "2026-11-24".into(),
            ..need()
        };
        assert!(today_form.validated(today()).is_ok());
        let garbled = NeedForm {
            deadline: "15/12/2026<script>".into(),
            ..need()
        };
        assert!(garbled.validated(today()).is_err());
    }

    #[test]
    fn siret_accepts_spaces_and_refuses_letters() {
        let form = |siret: &str| BuyerForm {
            organisation: "CUD".into(),
            kind: "collectivite".into(),
            siret: siret.into(),
        };
        assert_eq!(
            form("245 900 428 00011")
                .validated()
                .unwrap()
                .siret
                .as_deref(),
            Some("24590042800011")
        );
        assert_eq!(form("").validated().unwrap().siret, None);
        assert!(form("2459004280001A").validated().is_err());
        assert!(form("123").validated().is_err());
    }

    #[test]
    fn slots_fill_the_range_in_paris_time() {
        let day: Timestamp = "2026-11-28T08:00:00Z".parse().unwrap();
        let slots = slot_times(day, "10:00", "17:00", "20").unwrap();
        assert_eq!(slots.len(), 21);
        // 10:00 in Paris in November is 09:00 UTC.
        assert_eq!(slots[0].0.to_string(), "2026-11-28T09:00:00Z");
        assert_eq!(slots[20].1.to_string(), "2026-11-28T16:00:00Z");
        assert!(slot_times(day, "10:00", "10:10", "20").is_err());
        assert!(slot_times(day, "12:00", "10:00", "20").is_err());
        assert!(slot_times(day, "08:00", "20:00", "10").is_err());
        assert!(slot_times(day, "10:00", "17:00", "5").is_err());
    }

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
