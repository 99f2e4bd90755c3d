//! The index against naive answers: ranking order, facet counts for every filter
//! combination, documents replaced in place.

use super::ranking::Counting;
use super::*;

fn document(id: i64, name: &str, offer: &str, description: &str) -> Document {
    Document {
        id,
        sort_key: text::fold(name, 100),
        texts: [name.into(), String::new(), offer.into(), description.into()],
        sectors: 1 << (id % 3 + 1),
        places: [100 + id % 2, if id % 4 == 0 { 0 } else { 20 }, 30 + id % 2],
        form: if id % 2 == 0 { "association" } else { "scop" }.into(),
        groups: if id % 5 == 0 { vec![7] } else { vec![] },
        labelled: false,
        point: None,
        card: Card {
            slug: format!("s{id}"),
            name: name.into(),
            ..Card::default()
        },
    }
}

fn names(index: &Index, words: &[&str]) -> Vec<String> {
    let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    index
        .search(&Query {
            words: &words,
            limit: 20,
            ..Query::default()
        })
        .hits
        .into_iter()
        .map(|h| h.card.name)
        .collect()
}

#[test]
fn words_stems_prefixes_and_typos_rank_in_that_order() {
    let index = Index::build([
        document(1, "Recyclerie du Port", "", ""),
        document(2, "Atelier Bois", "recyclage de mobilier", ""),
        document(3, "Jardin partagé", "", "le recyclage des déchets verts"),
        document(4, "Les Recycleries réunies", "", ""),
        document(5, "Insertion Plus", "", ""),
    ]);
    assert_eq!(
        names(&index, &["recyclage"]),
        ["Atelier Bois", "Jardin partagé"]
    );
    assert_eq!(names(&index, &["recycleries"]).len(), 2);
    assert_eq!(names(&index, &["recycl"]).len(), 4);
    assert_eq!(
        names(&index, &["recylage"]),
        ["Atelier Bois", "Jardin partagé"]
    );
    assert_eq!(names(&index, &["insersion"]), ["Insertion Plus"]);
    assert!(names(&index, &["ins"]).contains(&"Insertion Plus".to_owned()));
    assert!(names(&index, &["xyzzy"]).is_empty());
    // Every word must match.
    assert_eq!(names(&index, &["recyclage", "mobilier"]), ["Atelier Bois"]);
}

#[test]
fn facets_leave_out_their_own_filter_and_match_the_total() {
    let index = Index::build((1..=40).map(|id| document(id, &format!("Structure {id}"), "", "")));
    let all = index.search(&Query {
        limit: 5,
        ..Query::default()
    });
    assert_eq!(all.total, 40);
    assert_eq!(all.hits.len(), 5);
    assert_eq!(all.forms.iter().map(|(_, c)| c).sum::<u64>(), 40);
    let scop = index.search(&Query {
        form: Some("scop"),
        sectors: Some(1 << 1),
        limit: 100,
        ..Query::default()
    });
    assert_eq!(scop.total as usize, scop.hits.len());
    assert!(
        scop.hits
            .iter()
            .all(|h| h.form == "scop" && h.sectors & 2 != 0)
    );
    // The form facet ignores the form filter but keeps the sector one.
    let in_sector = index.search(&Query {
        sectors: Some(1 << 1),
        limit: 100,
        ..Query::default()
    });
    let scop_count = scop.forms.iter().find(|(f, _)| f == "scop").unwrap().1;
    assert_eq!(scop_count, scop.total);
    assert_eq!(
        scop.forms.iter().map(|(_, c)| c).sum::<u64>(),
        in_sector.total
    );
    let unknown = index.search(&Query {
        form: Some("inconnue"),
        limit: 10,
        ..Query::default()
    });
    assert_eq!(unknown.total, 0);
    assert!(!unknown.forms.is_empty());
}

#[test]
fn changes_replace_documents_in_place_of_their_old_slot() {
    let mut index = Index::build([document(1, "Alpha", "", ""), document(2, "Beta", "", "")]);
    index.upsert(document(1, "Gamma", "", ""));
    index.upsert(document(3, "Aaa", "", ""));
    index.remove(2);
    index.finish();
    assert!(names(&index, &["alpha"]).is_empty());
    assert_eq!(names(&index, &["gamma"]), ["Gamma"]);
    assert_eq!(names(&index, &[]), ["Aaa", "Gamma"]);
    assert_eq!(index.stats().documents, 2);
    assert_eq!(index.matching_ids(&Query::default()), [3, 1]);
}

#[test]
fn pages_follow_the_ranking() {
    let index = Index::build((1..=45).map(|id| document(id, &format!("Nom {id:02}"), "", "")));
    let page = |offset| {
        index
            .search(&Query {
                words: &["nom".to_owned()],
                offset,
                limit: 20,
                ..Query::default()
            })
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect::<Vec<_>>()
    };
    let all: Vec<i64> = [page(0), page(20), page(40)].concat();
    assert_eq!(all, (1..=45).collect::<Vec<_>>());
}

/// Every combination of filters, with and without words, against counts made naively.
/// Everything an answer says, comparable.
#[allow(clippy::type_complexity)]
fn summary(
    answer: &Answer,
) -> (
    Vec<i64>,
    u64,
    Vec<(u32, u64)>,
    Vec<(i64, u64)>,
    Vec<(i64, u64)>,
    Vec<(String, u64)>,
    Vec<(i64, u64)>,
    u64,
) {
    (
        answer.hits.iter().map(|h| h.id).collect(),
        answer.total,
        answer.sectors.clone(),
        answer.intercommunalities.clone(),
        answer.departements.clone(),
        answer.forms.clone(),
        answer.groups.clone(),
        answer.labelled,
    )
}

#[test]
fn facet_counts_equal_naive_counts_for_every_filter_combination() {
    let vocabulary = ["recyclage", "jardin", "velo", "culture", "bois"];
    let documents: Vec<Document> = (1..=300)
        .map(|id: i64| {
            let mut d = document(
                id,
                &format!("Nom {id}"),
                vocabulary[(id % 5) as usize],
                vocabulary[(id * 7 % 5) as usize],
            );
            d.sectors = (1 << (id % 4 + 1)) | if id % 6 == 0 { 1 << 7 } else { 0 };
            d.places = [100 + id % 7, [0, 20, 21][(id % 3) as usize], 30 + id % 2];
            d.groups = [vec![], vec![7], vec![7, 8]][(id % 3) as usize].clone();
            d.labelled = id % 4 == 1;
            d
        })
        .collect();
    let mut index = Index::build(documents.clone());
    // Some changes after the build too.
    index.remove(5);
    index.upsert(Document {
        sectors: 1 << 3,
        ..documents[10].clone()
    });
    // A label lost, one gained.
    index.upsert(Document {
        labelled: false,
        ..documents[0].clone()
    });
    index.upsert(Document {
        labelled: true,
        ..documents[2].clone()
    });
    index.finish();
    let live: Vec<Document> = documents
        .into_iter()
        .filter(|d| d.id != 5)
        .map(|d| match d.id {
            11 => Document {
                sectors: 1 << 3,
                ..d
            },
            1 => Document {
                labelled: false,
                ..d
            },
            3 => Document {
                labelled: true,
                ..d
            },
            _ => d,
        })
        .collect();
    let words_options: [&[String]; 2] = [&[], &["jardin".to_owned()]];
    for words in words_options {
        for sectors in [None, Some(1u64 << 2), Some((1 << 3) | (1 << 7))] {
            for place in [
                None,
                Some((1, 20)),
                Some((2, 31)),
                Some((0, 103)),
                Some((1, 99)),
            ] {
                for form in [None, Some("scop")] {
                    for (group, labelled) in [
                        (None, false),
                        (Some(8), false),
                        (None, true),
                        (Some(8), true),
                    ] {
                        let query = Query {
                            words,
                            sectors,
                            place,
                            form,
                            group,
                            labelled,
                            zone: None,
                            near: None,
                            offset: 0,
                            limit: 1000,
                        };
                        let answer = index.search_counting(&query, Counting::EachMatch);
                        // Counted with bit sets: the same answer, page by page too.
                        let label = format!("{query:?}");
                        assert_eq!(
                            summary(&index.search_counting(&query, Counting::Bits)),
                            summary(&answer),
                            "{label}"
                        );
                        for offset in [0, 3, 40] {
                            let page = Query {
                                offset,
                                limit: 5,
                                ..query
                            };
                            assert_eq!(
                                summary(&index.search_counting(&page, Counting::Bits)),
                                summary(&index.search_counting(&page, Counting::EachMatch)),
                                "{label} from {offset}"
                            );
                        }
                        let has_word = |d: &Document| {
                            words.is_empty()
                                || d.texts[2].contains(words[0].as_str())
                                || d.texts[3].contains(words[0].as_str())
                        };
                        let pass = |d: &Document, skip: usize| {
                            has_word(d)
                                && (skip == 0 || sectors.is_none_or(|m| d.sectors & m != 0))
                                && (skip == 1 || place.is_none_or(|(l, id)| d.places[l] == id))
                                && (skip == 2 || form.is_none_or(|f| d.form == f))
                                && (skip == 3 || group.is_none_or(|g| d.groups.contains(&g)))
                                && (skip == 4 || !labelled || d.labelled)
                        };
                        let label = format!(
                            "{words:?} {sectors:?} {place:?} {form:?} {group:?} {labelled}"
                        );
                        assert_eq!(
                            answer.labelled,
                            live.iter().filter(|d| pass(d, 4) && d.labelled).count() as u64,
                            "labelled {label}"
                        );
                        let total = live.iter().filter(|d| pass(d, 9)).count() as u64;
                        assert_eq!(answer.total, total, "{label}");
                        assert_eq!(answer.hits.len() as u64, total, "{label}");
                        for (bit, count) in &answer.sectors {
                            let naive = live
                                .iter()
                                .filter(|d| pass(d, 0) && d.sectors & (1 << bit) != 0)
                                .count() as u64;
                            assert_eq!(*count, naive, "sector {bit} {label}");
                        }
                        let sector_sum: u64 = answer.sectors.iter().map(|(_, c)| c).sum();
                        let naive_sum: u64 = live
                            .iter()
                            .filter(|d| pass(d, 0))
                            .map(|d| u64::from(d.sectors.count_ones()))
                            .sum();
                        assert_eq!(sector_sum, naive_sum, "{label}");
                        for (id, count) in &answer.departements {
                            let naive = live
                                .iter()
                                .filter(|d| pass(d, 1) && d.places[2] == *id)
                                .count();
                            assert_eq!(*count, naive as u64, "département {id} {label}");
                        }
                        for (id, count) in &answer.intercommunalities {
                            let naive = live
                                .iter()
                                .filter(|d| pass(d, 1) && d.places[1] == *id)
                                .count();
                            assert_eq!(*count, naive as u64, "intercommunality {id} {label}");
                        }
                        let forms: u64 = answer.forms.iter().map(|(_, c)| c).sum();
                        assert_eq!(
                            forms,
                            live.iter().filter(|d| pass(d, 2)).count() as u64,
                            "{label}"
                        );
                        for (id, count) in &answer.groups {
                            let naive = live
                                .iter()
                                .filter(|d| pass(d, 3) && d.groups.contains(id))
                                .count();
                            assert_eq!(*count, naive as u64, "club {id} {label}");
                        }
                        // Without words, results come in name order.
                        if words.is_empty() {
                            let ids: Vec<i64> = answer.hits.iter().map(|h| h.id).collect();
                            let mut sorted: Vec<&Document> =
                                live.iter().filter(|d| pass(d, 9)).collect();
                            sorted.sort_by(|a, b| (&a.sort_key, a.id).cmp(&(&b.sort_key, b.id)));
                            let expected: Vec<i64> = sorted.iter().map(|d| d.id).collect();
                            assert_eq!(ids, expected, "{label}");
                        }
                    }
                }
            }
        }
    }
}

/// The matches of `words` and their scores (rounded), in slot order, each word's expansions
/// looked up in the posting lists slot by slot: the sum over the posting lists, which the
/// search's bit sets and score array must give too.
fn naive_matches(index: &Index, words: &[String]) -> Vec<(u32, f32)> {
    let groups: Vec<Vec<(u32, f32)>> = words
        .iter()
        .filter(|w| !text::is_stop_word(w))
        .map(|w| index.expand(w))
        .collect();
    if groups.is_empty() {
        return Vec::new();
    }
    (0..index.ids.len() as u32)
        .filter(|slot| index.bits.alive.get(*slot as usize))
        .filter_map(|slot| {
            let mut score = 0.0;
            for expansions in &groups {
                let mut found = false;
                for (word, factor) in expansions {
                    let postings = &index.postings[*word as usize];
                    if let Ok(at) = postings.slots.binary_search(&slot) {
                        score += index.idf(*word) * factor * postings.weights[at];
                        found = true;
                    }
                }
                if !found {
                    return None;
                }
            }
            Some((slot, score))
        })
        .collect()
}

#[test]
fn text_matches_equal_the_sum_over_posting_lists() {
    // Dense words (every other document or more), rare ones, and words sharing stems and
    // prefixes, so that a query crosses lists both by scanning and by looking slots up.
    let documents: Vec<Document> = (1..=3000)
        .map(|id: i64| {
            let offer = match id % 4 {
                0 => "jardin partagé et recyclage",
                1 => "jardins familiaux",
                2 => "recyclerie solidaire",
                _ => "atelier vélo solidaire",
            };
            let rare = if id % 97 == 0 { "tonnellerie" } else { "bois" };
            document(
                id,
                &format!("Structure {id} {rare}"),
                offer,
                "jardinage recycler",
            )
        })
        .collect();
    let mut index = Index::build(documents.clone());
    for id in (1..=3000).step_by(7) {
        index.remove(id);
    }
    for id in (2..=3000).step_by(11) {
        index.upsert(document(id, "Renommée", "jardin", ""));
    }
    index.finish();
    let mut scratch = super::index::Scratch::default();
    for query in [
        &["jardin"][..],
        &["jardins"],
        &["recycl"],
        &["jardin", "solidaire"],
        &["tonnellerie", "jardin"],
        &["solidaire", "velo", "atelier"],
        &["jardin", "absent"],
        &["structure", "tonnellerie", "recyclage"],
        &["renommee", "jardin"],
    ] {
        let words: Vec<String> = query.iter().map(|w| w.to_string()).collect();
        let round = |m: &[(u32, f32)]| -> Vec<(u32, i64)> {
            m.iter()
                .map(|(s, score)| (*s, (score * 1000.0).round() as i64))
                .collect()
        };
        let expected = naive_matches(&index, &words);
        // Twice: worked out, then (a dense word alone) as kept by the first search.
        for time in ["first", "second"] {
            let found = index.text_matches(&words, &mut scratch);
            let Some((matches, set)) = found.view(&scratch) else {
                panic!("{query:?}: words were given")
            };
            assert_eq!(round(matches), round(&expected), "{query:?} {time}");
            assert_eq!(
                set.ones().map(|s| s as u32).collect::<Vec<_>>(),
                expected.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
                "{query:?} {time}: the bit set holds the matches"
            );
            let kept = matches!(found, super::words::Found::Remembered(_));
            let dense = words.len() == 1 && expected.len() >= 256;
            assert_eq!(kept, dense && time == "second", "{query:?} {time}");
            // Nothing is left behind for the next search.
            assert!(scratch.scores.iter().all(|s| *s == 0.0), "{query:?}");
        }
        if *query != ["jardin", "absent"] {
            assert!(!expected.is_empty(), "{query:?} finds something");
        }
    }
    assert!(
        index.remembered.lock().kept().0 >= 2,
        "« jardin » and « jardins » are dense words"
    );
}

/// A kept word is forgotten by any change to the index: a search after the change sees it.
#[test]
fn a_change_forgets_the_kept_words() {
    let documents: Vec<Document> = (1..=1000)
        .map(|id: i64| document(id, &format!("Structure {id}"), "recyclerie", ""))
        .collect();
    let mut index = Index::build(documents);
    let query = |index: &Index, words: &[&str]| {
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        index.search(&Query {
            words: &words,
            limit: 1,
            ..Query::default()
        })
    };
    assert_eq!(query(&index, &["recyclerie"]).total, 1000);
    assert_eq!(index.remembered.lock().kept().0, 1);
    assert_eq!(
        query(&index, &["recyclerie"]).total,
        1000,
        "from the kept matches"
    );
    // A new document holding the word, named to come first.
    index.upsert(document(
        5000,
        "Aaa recyclerie recyclerie",
        "recyclerie",
        "",
    ));
    index.finish();
    assert_eq!(index.remembered.lock().kept(), (0, 0));
    let answer = query(&index, &["recyclerie"]);
    assert_eq!(answer.total, 1001);
    assert_eq!(answer.hits[0].id, 5000, "its weight counts in the ranking");
    // A removal too.
    query(&index, &["recyclerie"]);
    index.remove(5000);
    index.finish();
    assert_eq!(query(&index, &["recyclerie"]).total, 1000);
    assert!(
        query(&index, &["recyclerie"])
            .hits
            .iter()
            .all(|h| h.id != 5000)
    );
}
