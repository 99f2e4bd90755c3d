//! Calls for projects and the consortia formed to answer them: what a call says, how a
//! consortium is named and who is in it, and the rules of their forms.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::{AppError, FieldErrors};
use crate::text::check::{lines, one_line};

/// Whether the call's public page names a consortium (it always counts it).
pub const VISIBILITIES: &[(&str, &str)] = &[
    ("privee", "Seulement compté sur la page de l'appel"),
    ("publique", "Nommé sur la page de l'appel, avec ses membres"),
];

/// A structure's place in a consortium, stored as text in `consortium_members.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberStatus {
    Invited,
    Member,
    Declined,
}

impl MemberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Invited => "invitee",
            MemberStatus::Member => "membre",
            MemberStatus::Declined => "declinee",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            MemberStatus::Invited,
            MemberStatus::Member,
            MemberStatus::Declined,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            MemberStatus::Invited => "invitée, pas encore de réponse",
            MemberStatus::Member => "membre",
            MemberStatus::Declined => "a décliné",
        }
    }
}

/// A call as typed in `/appels/nouveau` or `/appels/{id}/modifier`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallForm {
    /// The slug of the structure that publishes it, or "" (the portal).
    #[serde(default)]
    pub structure: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub funder: String,
    /// `AAAA-MM-JJ`.
    #[serde(default)]
    pub deadline: String,
    #[serde(default)]
    pub themes: String,
    /// A département's or intercommunality's slug, or "" (the whole portal).
    #[serde(default)]
    pub territory: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub description: String,
}

/// A call, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCall {
    pub structure: String,
    pub title: String,
    pub funder: String,
    pub deadline: Date,
    pub themes: String,
    pub territory: String,
    pub url: String,
    pub description: String,
}

/// How far ahead a deadline may be, in days.
pub const AHEAD_DAYS: i64 = 3 * 366;

impl CallForm {
    /// Every field; the deadline is today or later.
    pub fn validated(self, today: Date) -> Result<ValidCall, AppError> {
        let mut errors = FieldErrors::default();
        let title = one_line(&self.title);
        if errors.required(
            "title",
            &title,
            "Donnez le titre de l'appel (par exemple : Appel à projets Économie circulaire 2027).",
        ) {
            errors.at_most("title", &title, 150, "Le titre");
        }
        let funder = one_line(&self.funder);
        if errors.required(
            "funder",
            &funder,
            "Indiquez qui finance (par exemple : Région Hauts-de-France).",
        ) {
            errors.at_most("funder", &funder, 120, "Le financeur");
        }
        let deadline = crate::timestamp::parse_date(&self.deadline);
        match deadline {
            None => errors.add(
                "deadline",
                "Indiquez la date limite (exemple : 2027-03-31).",
            ),
            Some(day) if day < today => errors.add("deadline", "La date limite est déjà passée."),
            Some(day) if (day - today).whole_days() > AHEAD_DAYS => errors.add(
                "deadline",
                "La date limite est à plus de trois ans : vérifiez l'année.",
            ),
            Some(_) => {}
        }
        let themes = self
            .themes
            .split([',', ';', '\n'])
            .map(one_line)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        errors.at_most("themes", &themes, 200, "Les thèmes");
        let url = self.url.trim().to_owned();
        if errors.required(
            "url",
            &url,
            "Donnez le lien vers le texte officiel de l'appel.",
        ) && errors.at_most("url", &url, 500, "Le lien")
            && !crate::text::check::is_web_address(&url)
        {
            errors.add(
                "url",
                "Le lien doit être une adresse web complète, commençant par https:// ou http://.",
            );
        }
        let description = lines(&self.description);
        errors.at_most("description", &description, 4000, "La présentation");
        let deadline = deadline.unwrap_or(today);
        errors.finish(ValidCall {
            structure: self.structure.trim().to_owned(),
            title,
            funder,
            deadline,
            themes,
            territory: self.territory.trim().to_owned(),
            url,
            description,
        })
    }
}

/// A consortium as typed on a call's page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsortiumForm {
    /// The slug of the lead structure (one its author manages).
    #[serde(default)]
    pub structure: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub visibility: String,
}

impl ConsortiumForm {
    /// `(lead slug, name, visibility)`.
    pub fn validated(self) -> Result<(String, String, String), AppError> {
        let mut errors = FieldErrors::default();
        let name = one_line(&self.name);
        if errors.required(
            "name",
            &name,
            "Donnez un nom au consortium (par exemple : Filière réemploi du Dunkerquois).",
        ) {
            errors.at_most("name", &name, 120, "Le nom");
        }
        let visibility = self.visibility.trim().to_owned();
        if !crate::text::choices::is_choice(VISIBILITIES, &visibility) {
            errors.add(
                "visibility",
                "Dites si le consortium est nommé sur la page de l'appel.",
            );
        }
        errors.finish((self.structure.trim().to_owned(), name, visibility))
    }
}

/// A role in a consortium (« chef de file », « partenaire technique »): one line, short. Its
/// message is the form's (each row of the page has its own role field).
pub fn role(text: &str) -> Result<String, AppError> {
    let role = one_line(text);
    if crate::text::check::chars(&role) > 80 {
        return Err(AppError::form(
            "Le rôle ne doit pas dépasser 80 caractères.",
        ));
    }
    Ok(role)
}

/// An item of the consortium's checklist.
pub fn task(text: &str) -> Result<String, AppError> {
    let mut errors = FieldErrors::default();
    let label = one_line(text);
    if errors.required(
        "label",
        &label,
        "Écrivez la tâche (par exemple : Budget prévisionnel signé par chaque partenaire).",
    ) {
        errors.at_most("label", &label, 200, "La tâche");
    }
    errors.finish(label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn fields(error: AppError) -> Vec<String> {
        error.field_errors().into_iter().map(|(f, _)| f).collect()
    }

    fn call() -> CallForm {
        CallForm {
            structure: String::new(),
            title: " Appel  Économie circulaire ".into(),
            funder: "Région Hauts-de-France".into(),
            deadline: "2027-03-31".into(),
            themes: "réemploi; insertion ,, alimentation\n".into(),
            territory: String::new(),
            url: "https://www.hautsdefrance.fr/appel".into(),
            description: "Pour des projets portés à plusieurs.".into(),
        }
    }

    #[test]
    fn a_call_has_a_funder_a_future_deadline_and_an_official_link() {
        let today = date!(2027 - 01 - 10);
        let valid = call().validated(today).unwrap();
        assert_eq!(valid.title, "Appel Économie circulaire");
        assert_eq!(valid.themes, "réemploi, insertion, alimentation");
        assert_eq!(valid.deadline, date!(2027 - 03 - 31));
        let wrong = CallForm {
            title: String::new(),
            funder: "=1+1".repeat(40),
            deadline: "2027-01-09".into(),
            url: "javascript:alert(1)".into(),
            ..call()
        }
        .validated(today)
        .unwrap_err();
        assert_eq!(fields(wrong), ["title", "funder", "deadline", "url"]);
        let far = CallForm {
            deadline: "2031-01-01".into(),
            ..call()
        };
        assert_eq!(fields(far.validated(today).unwrap_err()), ["deadline"]);
    }

    #[test]
    fn consortia_roles_and_tasks_are_short_lines() {
        let (lead, name, visibility) = ConsortiumForm {
            structure: "les-courses-asteur".into(),
            name: "Filière\nréemploi".into(),
            visibility: "publique".into(),
        }
        .validated()
        .unwrap();
        assert_eq!(
            (lead.as_str(), name.as_str(), visibility.as_str()),
            ("les-courses-asteur", "Filière réemploi", "publique")
        );
        assert!(ConsortiumForm::default().validated().is_err());
        assert_eq!(role(" Chef  de file ").unwrap(), "Chef de file");
        assert!(role(&"x".repeat(81)).is_err());
        assert!(task("  ").is_err());
        assert_eq!(
            MemberStatus::parse(MemberStatus::Declined.as_str()),
            Some(MemberStatus::Declined)
        );
    }
}
