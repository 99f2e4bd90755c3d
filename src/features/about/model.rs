//! The information pages: which exist (with the text they start with), and their form.

use crate::error::AppError;
use crate::error::FieldErrors;
use crate::ui::notice::Notices;
use crate::ui::revisions::Revision;
use serde::{Deserialize, Serialize};

/// An information page as the portal ships it.
#[derive(Debug, Clone, Copy)]
pub struct PageDefault {
    pub slug: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub body: &'static str,
}

pub const PAGES: &[PageDefault] = &[
    PageDefault {
        slug: "qu-est-ce-que-l-ess",
        title: "Qu'est-ce que l'économie sociale et solidaire ?",
        summary: "L'économie sociale et solidaire en quelques mots : associations, coopératives, mutuelles, fondations et entreprises d'insertion qui placent l'utilité sociale avant le profit, sur le territoire.",
        body: include_str!("pages/qu-est-ce-que-l-ess.md"),
    },
    PageDefault {
        slug: "qu-est-ce-que-dessine",
        title: "Qu'est-ce que DESSINE ?",
        summary: "DESSINE, le portail des réseaux de l'ESS du Dunkerquois et de l'Artois : annuaire des structures, événements, clubs et achat responsable.",
        body: include_str!("pages/qu-est-ce-que-dessine.md"),
    },
    PageDefault {
        slug: "qui-sommes-nous",
        title: "Qui sommes-nous ?",
        summary: "Qui anime DESSINE : les réseaux de l'économie sociale et solidaire du territoire et leurs partenaires.",
        body: include_str!("pages/qui-sommes-nous.md"),
    },
    PageDefault {
        slug: "mentions-legales",
        title: "Mentions légales",
        summary: "Qui édite DESSINE, qui en dirige la publication, qui l'héberge ; les contenus, les liens et le seul cookie du portail.",
        body: include_str!("pages/mentions-legales.md"),
    },
    PageDefault {
        slug: "donnees-personnelles",
        title: "Données personnelles",
        summary: "Ce que DESSINE garde sur vous, pourquoi, sur quelle base, combien de temps et qui le lit ; vos droits et comment les exercer.",
        body: include_str!("pages/donnees-personnelles.md"),
    },
    PageDefault {
        slug: "accessibilite",
        title: "Déclaration d'accessibilité",
        summary: "L'état de conformité de DESSINE au RGAA 4.1, ce qui est vérifié à chaque version, les contenus non accessibles et les voies de recours.",
        body: include_str!("pages/accessibilite.md"),
    },
];

/// What every `make test` checks, as the accessibility statement quotes it: the pages the Nu
/// checker reads (`scripts/check-html.sh` fails when its count differs) and the page types
/// Lighthouse scores (`end2end/lighthouse.mjs` likewise).
pub const NU_PAGES: usize = 137;
pub const LIGHTHOUSE_PAGES: usize = 29;
/// The Playwright journeys, each run with JavaScript on and off.
pub const JOURNEYS: &str = "inscription et connexion, modification de sa fiche, inscription à un événement, adhésion à un club, proposition d'une fiche, publication d'un besoin d'achat, message à une structure, abonnement à la lettre, recherche sur la carte et près d'une commune, réservation d'un moyen partagé, demande d'accompagnement suivie jusqu'à sa clôture, consortium formé autour d'un appel à projets";

/// The pages the footer links, beside the generated site plan.
pub const FOOTER_PAGES: &[(&str, &str)] = &[
    ("/mentions-legales", "Mentions légales"),
    ("/donnees-personnelles", "Données personnelles"),
    ("/accessibilite", "Accessibilité : partiellement conforme"),
    ("/plan-du-site", "Plan du site"),
    ("/lettre", "Lettre d'information"),
];

pub fn page_default(slug: &str) -> Option<&'static PageDefault> {
    PAGES.iter().find(|page| page.slug == slug)
}

/// An information page as visitors read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfoPage {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub can_edit: bool,
    /// What the portal adds below the editors' text, from its configuration and its code.
    pub generated: Generated,
}

/// The part of a page no editor writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Generated {
    Nothing,
    /// The legal notice's facts: (label, value, or `None` while the operator has not set it).
    Facts(Vec<(String, Option<String>)>),
    /// The processings of personal data, and whom to write to.
    Processings {
        list: Vec<ProcessingView>,
        contact: Option<String>,
    },
    /// What each version of the software is checked with, and whom to write to.
    Checks {
        facts: Vec<String>,
        contact: Option<String>,
    },
}

/// One processing of personal data, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessingView {
    pub name: String,
    pub data: String,
    pub purpose: String,
    pub basis: String,
    pub retention: String,
    pub recipients: String,
}

/// The fields of the page editor, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageEdit {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub body: String,
}

impl PageEdit {
    /// Trimmed and checked, every bad field with its French message.
    pub fn validated(self) -> Result<PageEdit, AppError> {
        let mut errors = FieldErrors::default();
        let (title, summary, body) = crate::features::news::articles::checked_text(
            &mut errors,
            [&self.title, &self.summary, &self.body],
            "de la page",
        );
        errors.finish(PageEdit {
            title,
            summary,
            body,
        })
    }
}

/// What the page editor shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageForm {
    pub slug: String,
    pub edit: PageEdit,
    pub revisions: Vec<Revision>,
}

pub const NOTICES: Notices = &[
    ("page-enregistree", "La page est enregistrée."),
    (
        "revision-restauree",
        "La version choisie est restaurée ; elle devient une nouvelle version.",
    ),
];
