//! Entries that look like another: the same SIRET, the same address, or a similar name in the
//! same commune (names folded as the search folds them, then compared word by word and letter
//! by letter).

use crate::db::Db;
use crate::features::directory::db::Snapshot;
use crate::text::french::fold;

/// The folded words of a name, sorted, without the words every name has.
fn name_words(name: &str) -> Vec<String> {
    const COMMON: &[&str] = &[
        "association",
        "asso",
        "scop",
        "scic",
        "sarl",
        "sas",
        "cooperative",
        "la",
        "le",
        "les",
        "de",
        "des",
        "du",
        "d",
        "l",
        "et",
    ];
    let mut words: Vec<String> = fold(name, 300)
        .split_whitespace()
        .filter(|w| !COMMON.contains(w))
        .map(str::to_owned)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Letters to change, add or remove to go from `a` to `b` (at most a few hundred letters).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// Whether two names likely name the same structure: the same meaningful words, or names at a
/// few letters from each other (a typo, an accent, a hyphen).
pub fn similar_names(a: &str, b: &str) -> bool {
    let (wa, wb) = (name_words(a), name_words(b));
    if wa.is_empty() || wb.is_empty() {
        return false;
    }
    if wa == wb {
        return true;
    }
    let (ja, jb) = (wa.join(" "), wb.join(" "));
    let longest = ja.chars().count().max(jb.chars().count());
    longest >= 6 && edit_distance(&ja, &jb) * 6 <= longest
}

/// Published entries that look like `fields` (a proposed entry), `(slug, name, why)`, at most
/// five; `except` is the entry itself (a correction).
pub async fn look_alikes(
    db: &Db,
    fields: &Snapshot,
    except: Option<i64>,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let except = except.unwrap_or(0);
    let mut found: Vec<(String, String, String)> = Vec::new();
    let mut push = |slug: String, name: String, why: &str| {
        if found.len() < 5 && !found.iter().any(|(s, _, _)| *s == slug) {
            found.push((slug, name, why.to_owned()));
        }
    };
    let field = |name: &str| fields.get(name).map_or("", String::as_str);
    if !field("siret").is_empty() {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT slug, name FROM structures WHERE siret = $1 AND id <> $2")
                .bind(field("siret"))
                .bind(except)
                .fetch_all(&db.pool)
                .await?;
        for (slug, name) in rows {
            push(slug, name, "même SIRET");
        }
    }
    if !field("email").is_empty() {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT slug, name FROM structures WHERE lower(email) = $1 AND id <> $2 LIMIT 5",
        )
        .bind(field("email").to_lowercase())
        .bind(except)
        .fetch_all(&db.pool)
        .await?;
        for (slug, name) in rows {
            push(slug, name, "même adresse e-mail");
        }
    }
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.slug, s.name FROM structures s JOIN territories c ON c.id = s.commune_id \
         WHERE c.slug = $1 AND s.id <> $2 LIMIT 5000",
    )
    .bind(field("commune"))
    .bind(except)
    .fetch_all(&db.pool)
    .await?;
    for (slug, name) in rows {
        if similar_names(&name, field("name")) {
            push(slug, name, "nom proche, même commune");
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_differ_by_little_are_alike() {
        for (a, b) in [
            (
                "Ressourcerie du Dunkerquois",
                "La Ressourcerie du dunkerquois",
            ),
            (
                "Les Jardins du Littoral",
                "Jardins du littoral (association)",
            ),
            (
                "Épicerie solidaire de Grande-Synthe",
                "Epicerie solidaire Grande Synthe",
            ),
            ("Les Courses Asteur", "Les Courses Asteure"),
        ] {
            assert!(similar_names(a, b), "{a} / {b}");
        }
        for (a, b) in [
            ("Ressourcerie du Dunkerquois", "Jardins du Littoral"),
            ("SCOP Vélo", "SCOP Véloce Transports"),
            ("Association", "Association"),
        ] {
            assert!(!similar_names(a, b), "{a} / {b}");
        }
        assert_eq!(edit_distance("recyclage", "recylage"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
