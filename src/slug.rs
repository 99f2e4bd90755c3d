//! URL slugs from French labels: « Économie sociale & solidaire » -> `economie-sociale-solidaire`.

/// Whether `value` could be a slug (lower-case ASCII letters, digits and hyphens, 80 at most).
pub fn is_slug(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 80
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Lower-case ASCII words joined by single hyphens; French accents and ligatures are folded.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded: &str = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
            'ç' => "c",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' | 'ì' => "i",
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ÿ' => "y",
            'ñ' => "n",
            'œ' => "oe",
            'æ' => "ae",
            c if c.is_ascii_alphanumeric() => {
                if pending_hyphen && !slug.is_empty() {
                    slug.push('-');
                }
                pending_hyphen = false;
                slug.push(c);
                continue;
            }
            _ => {
                pending_hyphen = true;
                continue;
            }
        };
        if pending_hyphen && !slug.is_empty() {
            slug.push('-');
        }
        pending_hyphen = false;
        slug.push_str(folded);
    }
    slug
}

/// A `LIKE` pattern that finds `words` in a folded name (a structure's `sort_key` with its
/// hyphens made spaces), so « economie » finds « Économie »; `None` when nothing is left to look
/// for.
pub fn name_pattern(words: &str) -> Option<String> {
    let folded = slugify(words).replace('-', " ");
    let words: Vec<&str> = folded.split_whitespace().collect();
    (!words.is_empty()).then(|| format!("%{}%", words.join("%")))
}

#[cfg(test)]
mod tests {
    use super::{name_pattern, slugify};

    #[test]
    fn name_patterns_fold_and_join_words() {
        assert_eq!(
            name_pattern(" Économie  solidaire ").as_deref(),
            Some("%economie%solidaire%")
        );
        assert_eq!(
            name_pattern("%_' -").as_deref(),
            None,
            "nothing left to look for"
        );
    }

    #[test]
    fn folds_accents_and_ligatures() {
        assert_eq!(slugify("Nœux-les-Mines"), "noeux-les-mines");
        assert_eq!(
            slugify("Économie sociale & solidaire"),
            "economie-sociale-solidaire"
        );
        assert_eq!(slugify("Saint-Georges-sur-l'Aa"), "saint-georges-sur-l-aa");
    }

    #[test]
    fn collapses_and_trims_separators() {
        assert_eq!(slugify("  --Club  de l'ESS -- "), "club-de-l-ess");
        assert_eq!(
            slugify("SCOP « Les Courses Asteur »"),
            "scop-les-courses-asteur"
        );
    }

    #[test]
    fn empty_or_symbol_only_input_gives_empty_slug() {
        assert_eq!(slugify(""), "");
        assert_eq!(slugify("!!! ???"), "");
    }
}
