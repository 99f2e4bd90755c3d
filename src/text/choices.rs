//! Fixed lists of choices: each value stored as text beside its French name, `(value, label)`,
//! as the features declare them (kinds of shared means, a project's stages, a consortium's
//! visibility…). One reading of such a table for every feature.

/// The French name of a stored `value` (the value itself if the table does not know it).
pub fn label_of<'a>(table: &[(&'a str, &'a str)], value: &'a str) -> &'a str {
    table
        .iter()
        .find(|(v, _)| *v == value)
        .map_or(value, |(_, label)| label)
}

/// Whether `value` is one of the table's.
pub fn is_choice(table: &[(&str, &str)], value: &str) -> bool {
    table.iter().any(|(v, _)| *v == value)
}

/// The table as a form's options, `(value, label)`.
pub fn options(table: &[(&str, &str)]) -> Vec<(String, String)> {
    table
        .iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &[(&str, &str)] = &[("salle", "Salle"), ("vehicule", "Véhicule")];

    #[test]
    fn values_read_as_their_french_names() {
        assert_eq!(label_of(TABLE, "vehicule"), "Véhicule");
        assert_eq!(label_of(TABLE, "<b>"), "<b>", "unknown: the value itself");
        assert!(is_choice(TABLE, "salle") && !is_choice(TABLE, "Salle"));
        assert_eq!(
            options(TABLE)[1],
            ("vehicule".to_owned(), "Véhicule".to_owned())
        );
    }
}
