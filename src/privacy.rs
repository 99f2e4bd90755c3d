//! What the portal keeps about people (RGPD art. 13 and 30), declared in code by the feature
//! that owns the tables: what is kept, why, on what legal basis, for how long, who reads it.
//! `/donnees-personnelles` lists the declarations ([`crate::features::PERSONAL_DATA`]), and a
//! test fails for a table of the migrations that is neither declared nor listed as holding
//! nothing personal: a new table cannot slip past the page.

/// One processing of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Processing {
    /// A title for people (« Comptes et connexion »).
    pub name: &'static str,
    /// The tables that hold it.
    pub tables: &'static [&'static str],
    /// What is kept.
    pub data: &'static str,
    /// Why.
    pub purpose: &'static str,
    /// The legal basis (RGPD art. 6).
    pub basis: &'static str,
    /// How long, and what enforces it.
    pub retention: &'static str,
    /// Who reads it.
    pub recipients: &'static str,
}

/// The legal bases the declarations use.
pub const CONTRACT: &str = "Exécution des conditions d'utilisation du portail, que vous acceptez en créant un compte ou en envoyant un formulaire (article 6.1.b du RGPD).";
pub const CONSENT: &str =
    "Votre consentement, que vous pouvez retirer à tout moment (article 6.1.a du RGPD).";
pub const LEGITIMATE_INTEREST: &str = "L'intérêt légitime des réseaux de l'ESS du territoire à tenir un annuaire exact et à faire connaître leurs structures (article 6.1.f du RGPD).";
