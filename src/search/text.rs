//! The search index's text: the French folding of `crate::text::french`, and the one-typo
//! neighbourhood of a word.

pub use crate::text::french::{fold, is_stop_word, stem, words};

/// A 64-bit hash of a word, for the neighbourhood table (FNV-1a: short keys, no attacker
/// control over what is stored).
pub fn hash(word: &[u8]) -> u64 {
    word.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The word with each one of its letters left out in turn (« recylage » gives « ecylage »,
/// « rcylage », …). Two words are at most one edit apart (one letter changed, added or left
/// out) only if one of them, or one of these variants of it, equals the other or one of its
/// variants; [`within_one_edit`] then confirms.
pub fn deletions(word: &str) -> impl Iterator<Item = u64> + '_ {
    let bytes = word.as_bytes();
    (0..bytes.len()).map(move |i| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for (j, &b) in bytes.iter().enumerate() {
            if j != i {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        h
    })
}

/// Whether `a` becomes `b` with at most one letter changed, added or left out.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let common = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        common == short.len() || short[common + 1..] == long[common + 1..]
    } else {
        short[common..] == long[common + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_apart() {
        assert!(within_one_edit("recylage", "recyclage"));
        assert!(within_one_edit("insersion", "insertion"));
        assert!(within_one_edit("recyclage", "recyclage"));
        assert!(within_one_edit("velos", "velo"));
        assert!(!within_one_edit("recyclage", "recycleur"));
        assert!(!within_one_edit("ab", "ba"));
        assert!(!within_one_edit("insertion", "inserti"));
        // Every one-edit pair shares a variant (or a word and a variant).
        let shares = |a: &str, b: &str| {
            let va: Vec<u64> = deletions(a).chain([hash(a.as_bytes())]).collect();
            deletions(b)
                .chain([hash(b.as_bytes())])
                .any(|h| va.contains(&h))
        };
        for (a, b) in [
            ("recylage", "recyclage"),
            ("insersion", "insertion"),
            ("velo", "vela"),
        ] {
            assert!(shares(a, b), "{a} {b}");
        }
    }
}
