//! French text, folded for comparison: plain lower-case ASCII, words, stop words and stems.
//! The search index and the purchasing matching read texts through it, so « Recycleries »
//! and « recyclerie » are one word for both.

use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

/// Lower-case ASCII letters and digits, and spaces for everything else: compatibility forms
/// decomposed (`½` is `1⁄2`, `⑴` is `(1)`), accents dropped, `œ` `æ` `ß` spelled out. At most
/// `max_chars` characters of `text` are read.
pub fn fold(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 2));
    for c in text.chars().take(max_chars).flat_map(|c| c.to_lowercase()) {
        if c.is_ascii() {
            out.push(if c.is_ascii_alphanumeric() { c } else { ' ' });
            continue;
        }
        match c {
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            _ => {
                for d in std::iter::once(c).nfkd() {
                    if d.is_ascii_alphanumeric() {
                        out.push(d.to_ascii_lowercase());
                    } else if !unicode_normalization::char::is_combining_mark(d) {
                        out.push(' ');
                    }
                }
            }
        }
    }
    out
}

/// Words that say nothing about a structure: neither indexed nor searched.
const STOP_WORDS: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "d", "dans", "de", "des", "du", "elle", "en", "et", "il",
    "ils", "l", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais", "me", "mes", "ne", "nos",
    "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "s", "sa", "se", "ses",
    "son", "sur", "ta", "te", "tes", "ton", "un", "une", "vos", "votre", "vous", "y",
];

pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// The indexable words of a folded text: two characters or more (one for digits), stop words
/// left out, at most 40 characters each.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(' ')
        .filter(|w| !w.is_empty() && (w.len() >= 2 || w.as_bytes()[0].is_ascii_digit()))
        .filter(|w| !is_stop_word(w))
        .map(|w| &w[..w.len().min(40)])
}

static FRENCH: LazyLock<rust_stemmers::Stemmer> =
    LazyLock::new(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French));

/// The French (Snowball) stem of a folded word: « associations » and « association » share
/// « associ », « recycleries » and « recyclerie » share « recycler ».
pub fn stem(word: &str) -> String {
    FRENCH.stem(word).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_letters_and_digits_only() {
        assert_eq!(fold("Économie  SOLIDAIRE", 100), "economie  solidaire");
        assert_eq!(fold("cœur d'Œuvre", 100), "coeur d oeuvre");
        assert_eq!(
            fold("x½ ⑴", 100).split_whitespace().collect::<Vec<_>>(),
            ["x1", "2", "1"]
        );
        assert!(fold("'\"&|!:*()<->\\", 100).trim().is_empty());
        assert_eq!(fold("abcdef", 3), "abc");
    }

    #[test]
    fn stop_words_are_sorted_for_the_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("des") && !is_stop_word("velo"));
        assert_eq!(
            words("la maison de l economie 62 a x").collect::<Vec<_>>(),
            ["maison", "economie", "62"]
        );
    }

    #[test]
    fn plural_and_singular_share_a_stem() {
        for (a, b) in [
            ("associations", "association"),
            ("recycleries", "recyclerie"),
            ("structures", "structure"),
            ("jardins", "jardin"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} {b}");
        }
        assert_ne!(stem("recyclage"), stem("jardin"));
    }
}
