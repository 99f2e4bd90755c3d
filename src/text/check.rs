//! Checks of what people type into forms, shared by every feature's `validated()`: trimming,
//! lengths counted in characters, web addresses and whole numbers, each bad field recorded with
//! its French message in [`FieldErrors`].

use crate::error::FieldErrors;
use std::ops::RangeInclusive;

/// One line of text: trimmed, every run of white space (line breaks included) made one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A text of several lines: trimmed, Windows line ends made `\n`.
pub fn lines(text: &str) -> String {
    text.trim().replace("\r\n", "\n")
}

/// Length as people count it: in characters, not bytes.
pub fn chars(text: &str) -> usize {
    text.chars().count()
}

/// A number as written in French: `12 500` (with a no-break space between thousands).
pub fn french_number(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + 4);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(digit);
    }
    out
}

/// A count as the pages print it: `1 234 567`, a narrow no-break space between thousands.
/// « 1 réponse », « 2 réponses », « 0 réponse » (French counts 0 and 1 as one), the number
/// grouped by thousands.
pub fn count_of(n: i64, one: &str, many: &str) -> String {
    let noun = if n.abs() <= 1 { one } else { many };
    format!("{} {noun}", group_thousands(n))
}

pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + 8);
    if n < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(digit);
    }
    out
}

/// The text with its first letter in upper case.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// At most this many characters in a web address.
pub const MAX_WEB_ADDRESS_CHARS: usize = 500;

/// `https://…` or `http://…` with a host, without spaces, and not too long.
pub fn is_web_address(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|rest| rest.len() >= 3 && !rest.starts_with('/'))
        && chars(text) <= MAX_WEB_ADDRESS_CHARS
        && !text.contains(|c: char| c.is_whitespace() || c.is_control())
}

/// A SIRET is 14 digits whose Luhn sum is a multiple of 10 (La Poste's establishments, SIREN
/// 356 000 000, use a digit sum that is a multiple of 5 instead).
pub fn is_valid_siret(siret: &str) -> bool {
    let digits: Vec<u32> = siret.chars().filter_map(|c| c.to_digit(10)).collect();
    if siret.len() != 14 || digits.len() != 14 {
        return false;
    }
    if siret.starts_with("356000000") {
        return digits.iter().sum::<u32>().is_multiple_of(5);
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A SIRET as people write it (spaces allowed): its 14 digits when they are valid.
pub fn siret(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    is_valid_siret(&digits).then_some(digits)
}

impl FieldErrors {
    /// An optional SIRET: "" (`None`), or 14 valid digits, else the field's message.
    pub fn siret_or_empty(&mut self, field: &str, text: &str) -> Option<String> {
        if text.trim().is_empty() {
            return None;
        }
        let found = siret(text);
        if found.is_none() {
            self.add(
                field,
                "Le SIRET compte 14 chiffres (il figure sur l'avis de situation INSEE) ; vérifiez-le, ou laissez le champ vide.",
            );
        }
        found
    }

    /// Records `message` when `text` is empty; whether it was given.
    pub fn required(&mut self, field: &str, text: &str, message: impl Into<String>) -> bool {
        let given = !text.is_empty();
        if !given {
            self.add(field, message);
        }
        given
    }

    /// Records « `what` ne doit pas dépasser `max` caractères. » when `text` is longer.
    pub fn at_most(&mut self, field: &str, text: &str, max: usize, what: &str) -> bool {
        let fits = chars(text) <= max;
        if !fits {
            self.add(
                field,
                format!(
                    "{what} ne doit pas dépasser {} caractères.",
                    french_number(max)
                ),
            );
        }
        fits
    }

    /// An optional web address: "" or a full `https://…` address, else the field's message.
    pub fn web_address_or_empty(&mut self, field: &str, text: &str) {
        if !text.is_empty() && !is_web_address(text) {
            self.add(
                field,
                "Le lien doit être une adresse web complète (https://…), ou laissez le champ vide.",
            );
        }
    }

    /// An optional whole number within `range`: `None` for "" (spaces, no-break spaces and a
    /// « € » ignored, as people write amounts), else the number or the field's `message`.
    pub fn whole_number(
        &mut self,
        field: &str,
        text: &str,
        range: RangeInclusive<i64>,
        message: &str,
    ) -> Option<i64> {
        let digits: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '€')
            .collect();
        if digits.is_empty() {
            return None;
        }
        match digits.parse::<i64>() {
            Ok(n) if range.contains(&n) => Some(n),
            _ => {
                self.add(field, message);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(group_thousands(1_234_567), "1\u{202f}234\u{202f}567");
        assert_eq!(group_thousands(12), "12");
        assert_eq!(count_of(0, "réponse", "réponses"), "0 réponse");
        assert_eq!(count_of(1, "réponse", "réponses"), "1 réponse");
        assert_eq!(
            count_of(2_000, "réponse", "réponses"),
            "2\u{202f}000 réponses"
        );
        assert_eq!(group_thousands(-1_000), "-1\u{202f}000");
        assert_eq!(capitalise("la forme"), "La forme");
        assert_eq!(capitalise("écoles"), "Écoles");
        assert_eq!(capitalise(""), "");
    }

    #[test]
    fn texts_are_trimmed_and_counted_in_characters() {
        assert_eq!(
            one_line("  Club\tde l'ESS \r\n du  dunkerquois "),
            "Club de l'ESS du dunkerquois"
        );
        assert_eq!(lines("  un\r\ndeux\n "), "un\ndeux");
        assert_eq!(chars("économie"), 8);
        let mut errors = FieldErrors::default();
        assert!(errors.at_most("nom", &"é".repeat(120), 120, "Le nom"));
        assert!(!errors.at_most("nom", &"é".repeat(121), 120, "Le nom"));
        assert!(errors.required("titre", "x", "Indiquez le titre."));
        assert!(!errors.required("titre", "", "Indiquez le titre."));
        let errors = errors.finish(()).unwrap_err().field_errors();
        assert_eq!(
            errors,
            [
                (
                    "nom".to_owned(),
                    "Le nom ne doit pas dépasser 120 caractères.".to_owned()
                ),
                ("titre".to_owned(), "Indiquez le titre.".to_owned()),
            ]
        );
        assert_eq!(french_number(3000), "3\u{a0}000");
        assert_eq!(french_number(100_000), "100\u{a0}000");
        assert_eq!(french_number(999), "999");
    }

    #[test]
    fn web_addresses_are_whole_and_without_spaces() {
        for good in [
            "https://www.entreprendre-ensemble.info",
            "http://exemple.fr/a?b=c",
        ] {
            assert!(is_web_address(good), "{good}");
        }
        for bad in [
            "",
            "www.exemple.fr",
            "https://",
            "https:///chemin",
            "javascript:alert(1)",
            "https://exemple.fr/a b",
            "https://exemple.fr/\u{0}",
            "ftp://exemple.fr",
        ] {
            assert!(!is_web_address(bad), "{bad:?}");
        }
        assert!(!is_web_address(&format!("https://{}", "a".repeat(500))));
        let mut errors = FieldErrors::default();
        errors.web_address_or_empty("site", "");
        assert!(errors.is_empty());
        errors.web_address_or_empty("site", "exemple.fr");
        assert!(!errors.is_empty());
    }

    #[test]
    fn siret_numbers_pass_the_luhn_check_or_la_poste_s_rule() {
        // Real establishments: INSEE's own, and La Poste's head office and a post office.
        assert_eq!(
            siret("130 005 481 00010").as_deref(),
            Some("13000548100010")
        );
        assert!(
            siret("35600000049837").is_some(),
            "La Poste: digits add up to 45"
        );
        for bad in [
            "13000548100011",
            "1300054810001",
            "130005481000100",
            "abcdefghijklmn",
            "1300054810001a",
            "",
            "35600000049838",
        ] {
            assert_eq!(siret(bad), None, "{bad}");
        }
        let mut errors = FieldErrors::default();
        assert_eq!(errors.siret_or_empty("siret", "  "), None);
        assert!(errors.is_empty());
        assert_eq!(errors.siret_or_empty("siret", "123"), None);
        assert!(!errors.is_empty());
    }

    #[test]
    fn whole_numbers_as_people_write_them() {
        let mut errors = FieldErrors::default();
        let message = "Indiquez un nombre.";
        assert_eq!(errors.whole_number("n", "", 0..=10, message), None);
        assert_eq!(errors.whole_number("n", " 7 ", 0..=10, message), Some(7));
        assert_eq!(
            errors.whole_number("n", "12\u{a0}500 €", 0..=1_000_000, message),
            Some(12_500)
        );
        assert!(errors.is_empty());
        assert_eq!(errors.whole_number("n", "11", 0..=10, message), None);
        assert_eq!(errors.whole_number("n", "beaucoup", 0..=10, message), None);
        assert_eq!(errors.whole_number("n", "-1", 0..=10, message), None);
        // The same message on the same field is recorded once.
        assert_eq!(errors.finish(()).unwrap_err().field_errors().len(), 1);
    }
}
