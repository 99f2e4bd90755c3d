//! Cells of CSV files that people open in Excel or LibreOffice: a cell that starts like a
//! formula (`=`, `+`, `-`, `@`, a tab or a carriage return) is written with a leading apostrophe,
//! so that a name typed on the portal can never run as a formula on an organiser's computer.

use std::borrow::Cow;

pub fn formula_safe(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::formula_safe;

    #[test]
    fn formula_starts_are_neutralised() {
        for cell in [
            "=HYPERLINK(\"http://x\")",
            "+33 3",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(formula_safe(cell), format!("'{cell}"));
        }
        for cell in ["", "Les Courses Asteur", "3 rue =", "'déjà"] {
            assert_eq!(formula_safe(cell), cell);
        }
    }
}
