//! The search index alone, without HTTP or rendering (run by `make bench`): 200,000 synthetic
//! structures (the generator of `dessine seed synthetic`) in memory, then the time of each
//! search shape, one query at a time on one core. The shapes are those of `scripts/bench-search.lua`
//! and of issue 28: a dense word, a facet alone, no query at all, and random queries of 0 to 3
//! words and 0 to 2 filters drawn from that script's word list. Prints p50 / p99 / max in µs
//! and checks that every shape found what it should (a dense word matching thousands, ...).

use std::time::{Duration, Instant};

use dessine::features::directory::search_params::search_terms;
use dessine::features::directory::synthetic::{self, Place, Rng};
use dessine::search::{Card, Document, Index, Query};

const STRUCTURES: u64 = 200_000;

fn main() {
    let structures = std::env::var("BENCH_STRUCTURES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(STRUCTURES);
    let started = Instant::now();
    let (mut index, sectors, forms) = build(structures);
    let stats = index.stats();
    println!(
        "index: {} documents, {} words, {} postings, {:.0} MiB, built in {:.1} s",
        stats.documents,
        stats.words,
        stats.postings,
        stats.bytes as f64 / 1_048_576.0,
        started.elapsed().as_secs_f64()
    );
    let words = bench_words();
    let culture = sectors
        .iter()
        .position(|s| s == "culture")
        .expect("the culture sector") as u32;
    let no_words: Vec<String> = Vec::new();
    let emploi = search_terms("emploi");
    let two = search_terms("emploi solidaire");
    let shape = |words, sectors, share: u64| {
        let query = Query {
            words,
            sectors,
            limit: 20,
            ..Query::default()
        };
        (query, stats.documents as u64 / share)
    };
    // Each shape with the fewest matches it must find.
    let shapes = [
        ("no query at all", shape(&no_words, None, 2)),
        (
            "a facet alone (secteur=culture)",
            shape(&no_words, Some(1 << culture), 20),
        ),
        ("a dense word (q=emploi)", shape(&emploi, None, 10)),
        (
            "a dense word worked out (q=emploi, not kept)",
            shape(&emploi, None, 10),
        ),
        (
            "two dense words (q=emploi solidaire)",
            shape(&two, None, 100),
        ),
    ];
    println!(
        "\n{:<44} {:>9} {:>9} {:>9} {:>9}",
        "shape", "p50 µs", "p99 µs", "max µs", "matches"
    );
    for (name, (query, at_least)) in &shapes {
        let total = index.search(query).total;
        assert!(
            total >= *at_least,
            "{name}: {total} matches, expected at least {at_least}"
        );
        // The same word each time comes from its kept matches but for this shape.
        let forget = name.contains("not kept");
        let times: Vec<Duration> = (0..400)
            .map(|_| {
                if forget {
                    index.forget_words();
                }
                let start = Instant::now();
                std::hint::black_box(index.search(std::hint::black_box(query)));
                start.elapsed()
            })
            .collect();
        report(name, times, total);
    }
    // Random queries, each made once, as scripts/bench-search.lua draws them.
    let mut rng = Rng::new(28);
    let mut times = Vec::new();
    let mut found = 0u64;
    let mut slowest = Vec::new();
    for _ in 0..4000 {
        let terms: Vec<String> = (0..rng.below(4))
            .map(|_| rng.pick(&words).clone())
            .collect();
        let mut query = Query {
            words: &terms,
            limit: 20,
            offset: 20 * rng.below(10),
            ..Query::default()
        };
        for _ in 0..rng.below(3) {
            match rng.below(3) {
                0 => query.sectors = Some(1 << rng.below(sectors.len())),
                1 => query.form = Some(rng.pick(&forms).as_str()),
                _ => query.place = Some((2, 1 + rng.below(4) as i64)),
            }
        }
        let start = Instant::now();
        let answer = std::hint::black_box(index.search(&query));
        let took = start.elapsed();
        times.push(took);
        slowest.push((took, format!("{query:?}")));
        found += answer.total;
    }
    assert!(found > 0, "random queries found nothing");
    report("random queries (4,000, each once)", times, found / 4000);
    slowest.sort();
    println!("\nthe three slowest random queries:");
    for (took, query) in slowest.iter().rev().take(3) {
        println!("  {:>6.0} µs  {query}", took.as_secs_f64() * 1e6);
    }
}

fn report(name: &str, mut times: Vec<Duration>, matches: u64) {
    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e6;
    println!(
        "{name:<44} {:>9.0} {:>9.0} {:>9.0} {matches:>9}",
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

/// The word list of `scripts/bench-search.lua`, read from the script so both draw from one list.
fn bench_words() -> Vec<String> {
    let script = include_str!("../scripts/bench-search.lua");
    let start = script.find("local words = {").expect("the word list");
    let list = &script[start..];
    let list = &list[..list.find('}').expect("the list's end")];
    let words: Vec<String> = list
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    assert!(
        words.len() > 100,
        "{} words read from the script",
        words.len()
    );
    words
}

/// An index of `count` synthetic structures over 60 communes in 12 intercommunalities and 4
/// départements, with the generator's sectors and legal forms; returns it with the sector slugs
/// (a sector's bit is its position) and the legal forms seen.
fn build(count: u64) -> (Index, Vec<String>, Vec<String>) {
    let places: Vec<Place> = (0..60)
        .map(|n| Place {
            slug: format!("commune-{n}"),
            name: format!("Commune {n}"),
            postal_code: format!("59{n:03}"),
            latitude: 50.0 + f64::from(n) / 100.0,
            longitude: 2.0 + f64::from(n) / 100.0,
        })
        .collect();
    let mut sectors: Vec<String> = Vec::new();
    let mut forms: Vec<String> = Vec::new();
    let documents = (0..count).map(|n| {
        let s = synthetic::structure(7, n, &places, "2026-01-01T00:00:00Z");
        let mut bits = 0u64;
        for slug in &s.sector_slugs {
            let bit = match sectors.iter().position(|known| known == slug) {
                Some(bit) => bit,
                None => {
                    sectors.push(slug.clone());
                    sectors.len() - 1
                }
            };
            bits |= 1 << bit;
        }
        if !forms.contains(&s.legal_form) {
            forms.push(s.legal_form.clone());
        }
        let commune: i64 = s.commune_slug["commune-".len()..]
            .parse()
            .expect("a commune");
        Document {
            id: n as i64 + 1,
            sort_key: dessine::search::text::fold(&s.name, 100),
            texts: [
                s.name.clone(),
                s.acronym.clone(),
                s.offer.clone(),
                s.description.clone(),
            ],
            sectors: bits,
            places: [100 + commune, 1 + commune % 12, 1 + commune % 4],
            form: s.legal_form.clone(),
            groups: Vec::new(),
            labelled: n % 20 == 0,
            point: s.latitude.zip(s.longitude),
            card: Card {
                slug: s.slug,
                name: s.name,
                acronym: s.acronym,
                excerpt: s.offer,
            },
        }
    });
    let mut builder = dessine::search::Builder::default();
    for document in documents {
        builder.add(document);
    }
    (builder.finish(), sectors, forms)
}
