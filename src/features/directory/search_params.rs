//! A directory search as it appears in the URL (words, sector, territory, legal form, label,
//! club, page), read leniently and written back, and the query words it sends to the index.

use super::model::LABEL_FILTER;
use crate::features::directory::LEGAL_FORMS;
use crate::features::directory::MAX_TERMS;
use crate::slug::is_slug;
use crate::ui::href::push_component;
use serde::{Deserialize, Serialize};

/// What the visitor asked for, as it appears in the URL of `/annuaire`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchParams {
    pub q: String,
    pub sectors: Vec<String>,
    pub territory: Option<String>,
    pub form: Option<String>,
    /// A club's slug: its active member structures.
    #[serde(default)]
    pub club: Option<String>,
    /// Only the structures whose « démarche progrès » label is valid (`label=demarche-progres`).
    #[serde(default)]
    pub label: bool,
    /// 1-based.
    pub page: u32,
    /// « dans cette zone »: only the entries placed in this box of the map.
    #[serde(default)]
    pub zone: Option<Zone>,
    /// « près de… »: a commune's name or a postal code; results by distance from it.
    #[serde(default)]
    pub near: String,
}

/// A box of the map: west, south, east, north, in hundred-thousandths of a degree (about a
/// metre), so that a search with a box can be compared, hashed and written back exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Zone(pub [i32; 4]);

impl Zone {
    const SCALE: f64 = 100_000.0;

    /// `west,south,east,north` in degrees; `None` unless it is a real box on the globe.
    pub fn parse(text: &str) -> Option<Zone> {
        let numbers: Vec<f64> = text
            .split(',')
            .map(|n| n.trim().parse::<f64>().ok().filter(|n| n.is_finite()))
            .collect::<Option<_>>()?;
        let [west, south, east, north] = numbers.try_into().ok()?;
        let fine = (-180.0..=180.0).contains(&west)
            && (-180.0..=180.0).contains(&east)
            && (-90.0..=90.0).contains(&south)
            && (-90.0..=90.0).contains(&north)
            && west < east
            && south < north;
        fine.then(|| Zone([west, south, east, north].map(|d| (d * Self::SCALE).round() as i32)))
    }

    pub fn degrees(&self) -> [f32; 4] {
        self.0.map(|n| (f64::from(n) / Self::SCALE) as f32)
    }

    /// As in the address: `2.3,50.95,2.45,51.08`.
    pub fn to_param(&self) -> String {
        self.0
            .map(|n| {
                let text = format!("{:.5}", f64::from(n) / Self::SCALE);
                text.trim_end_matches('0').trim_end_matches('.').to_owned()
            })
            .join(",")
    }
}

impl SearchParams {
    /// Reads URL query pairs; unknown keys and malformed values are ignored, never an error.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut params = SearchParams {
            page: 1,
            ..Default::default()
        };
        for (key, value) in pairs {
            let value = value.trim();
            match key {
                "q" => params.q = value.chars().take(200).collect(),
                "secteur"
                    if is_slug(value)
                        && !params.sectors.iter().any(|s| s == value)
                        && params.sectors.len() < 12 =>
                {
                    params.sectors.push(value.to_owned())
                }
                "territoire" if is_slug(value) => params.territory = Some(value.to_owned()),
                "forme" if LEGAL_FORMS.iter().any(|(slug, _)| *slug == value) => {
                    params.form = Some(value.to_owned())
                }
                "club" if is_slug(value) => params.club = Some(value.to_owned()),
                "label" if value == LABEL_FILTER => params.label = true,
                "zone" => params.zone = Zone::parse(value),
                "pres" => params.near = value.chars().take(80).collect(),
                "page" => {
                    params.page = value
                        .parse::<u32>()
                        .ok()
                        .filter(|p| (1..=10_000).contains(p))
                        .unwrap_or(1)
                }
                _ => {}
            }
        }
        params
    }

    /// Reads decoded query pairs (see [`crate::ui::href::decode_query`]).
    pub fn from_decoded(pairs: &[(String, String)]) -> Self {
        Self::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The same bounds as [`SearchParams::from_pairs`], for parameters that arrived another way
    /// (the search server function deserialises them directly): a long query is cut, unknown or
    /// malformed filters are dropped, the page is kept between 1 and 10,000.
    pub fn bounded(self) -> Self {
        let mut pairs: Vec<(&str, &str)> = vec![("q", self.q.as_str())];
        pairs.extend(self.sectors.iter().map(|s| ("secteur", s.as_str())));
        if let Some(territory) = &self.territory {
            pairs.push(("territoire", territory));
        }
        if let Some(form) = &self.form {
            pairs.push(("forme", form));
        }
        if let Some(club) = &self.club {
            pairs.push(("club", club));
        }
        if self.label {
            pairs.push(("label", LABEL_FILTER));
        }
        let zone = self.zone.map(|zone| zone.to_param());
        if let Some(zone) = &zone {
            pairs.push(("zone", zone));
        }
        pairs.push(("pres", &self.near));
        let page = self.page.to_string();
        pairs.push(("page", &page));
        SearchParams::from_pairs(pairs)
    }

    /// The query string (without `?`) for these parameters; page 1 is left out.
    pub fn to_query(&self) -> String {
        let mut out = String::new();
        self.push_query(&mut out);
        out
    }

    /// `path?query` for these parameters.
    pub fn href(&self, path: &str) -> String {
        let mut out = String::with_capacity(path.len() + 64);
        out.push_str(path);
        out.push('?');
        self.push_query(&mut out);
        if out.len() == path.len() + 1 {
            out.pop();
        }
        out
    }

    /// Appends the query string to `out`, each pair written in place: a search page has some
    /// seventy links, and each link made a string per pair, then joined them, then formatted
    /// the whole again with its path.
    fn push_query(&self, out: &mut String) {
        let start = out.len();
        let pair = |out: &mut String, name: &str| {
            if out.len() > start {
                out.push('&');
            }
            out.push_str(name);
            out.push('=');
        };
        if !self.q.trim().is_empty() {
            pair(out, "q");
            push_component(out, self.q.trim());
        }
        for sector in &self.sectors {
            pair(out, "secteur");
            push_component(out, sector);
        }
        if let Some(territory) = &self.territory {
            pair(out, "territoire");
            push_component(out, territory);
        }
        if let Some(form) = &self.form {
            pair(out, "forme");
            push_component(out, form);
        }
        if let Some(club) = &self.club {
            pair(out, "club");
            push_component(out, club);
        }
        if self.label {
            pair(out, "label");
            out.push_str(LABEL_FILTER);
        }
        if let Some(zone) = &self.zone {
            // Digits, points, minus signs and commas: nothing to encode.
            pair(out, "zone");
            out.push_str(&zone.to_param());
        }
        if !self.near.trim().is_empty() {
            pair(out, "pres");
            push_component(out, self.near.trim());
        }
        if self.page > 1 {
            pair(out, "page");
            use std::fmt::Write;
            let _ = write!(out, "{}", self.page);
        }
    }

    pub fn with_page(&self, page: u32) -> Self {
        SearchParams {
            page,
            ..self.clone()
        }
    }

    /// The same search with the label filter on or off, back on page 1.
    pub fn with_label(&self, label: bool) -> Self {
        SearchParams {
            label,
            ..self.with_page(1)
        }
    }

    /// The same search with `sector` switched on or off, back on page 1.
    pub fn toggle_sector(&self, sector: &str) -> Self {
        let mut next = self.with_page(1);
        if let Some(index) = next.sectors.iter().position(|s| s == sector) {
            next.sectors.remove(index);
        } else {
            next.sectors.push(sector.to_owned());
        }
        next
    }

    pub fn with_territory(&self, territory: Option<&str>) -> Self {
        SearchParams {
            territory: territory.map(str::to_owned),
            ..self.with_page(1)
        }
    }

    pub fn with_form(&self, form: Option<&str>) -> Self {
        SearchParams {
            form: form.map(str::to_owned),
            ..self.with_page(1)
        }
    }

    pub fn with_club(&self, club: Option<&str>) -> Self {
        SearchParams {
            club: club.map(str::to_owned),
            ..self.with_page(1)
        }
    }

    /// The same search without its box, back on page 1.
    pub fn without_zone(&self) -> Self {
        SearchParams {
            zone: None,
            ..self.with_page(1)
        }
    }

    pub fn has_filters(&self) -> bool {
        self.zone.is_some()
            || !self.sectors.is_empty()
            || self.territory.is_some()
            || self.form.is_some()
            || self.club.is_some()
            || self.label
    }

    /// The words to look for: letters and digits only, lower-case, two characters or more.
    /// Quotes, operators and punctuation are separators, so user input never becomes syntax.
    pub fn terms(&self) -> Vec<String> {
        search_terms(&self.q)
    }
}

/// The words of a query, folded to plain lower-case letters and digits: compatibility forms
/// decomposed (`½` is `1⁄2`, `⑴` is `(1)`), accents dropped, `œ` `æ` `ß` spelled out, and every
/// other character a separator. Only `[a-z0-9]` reaches a full-text engine, so no character can
/// turn into query syntax there (PostgreSQL's `unaccent` maps some to quotes and slashes).
/// Words of one character are dropped; at most [`MAX_TERMS`] words of 40 characters.
pub fn search_terms(q: &str) -> Vec<String> {
    let folded = fold_to_ascii(q);
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|term| term.len() >= 2)
        .map(|term| term.chars().take(40).collect::<String>())
        .take(MAX_TERMS)
        .collect()
}

/// Lower-case ASCII letters and digits, and spaces for everything else (see
/// `crate::search::text::fold`).
fn fold_to_ascii(text: &str) -> String {
    crate::search::text::fold(text, 400)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::directory::model::{Facets, SearchResults};

    #[test]
    fn query_words_are_folded_to_plain_letters() {
        assert_eq!(
            search_terms("Économie  SOLIDAIRE"),
            ["economie", "solidaire"]
        );
        assert_eq!(search_terms("cœur d'Œuvre"), ["coeur", "oeuvre"]);
        assert_eq!(search_terms("x½ ⑴ ʼ ː dunkerqueʼs"), ["x1", "dunkerque"]);
        assert_eq!(
            search_terms("ﬁlature Ｒecyclage"),
            ["filature", "recyclage"]
        );
        assert!(search_terms("'\"&|!:*()<->\\").is_empty());
        for term in search_terms("½⑴ʼːéàçœ™℃№ﬀ㎏") {
            assert!(
                term.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "{term}"
            );
        }
    }

    #[test]
    fn parameters_from_the_server_function_get_the_page_bounds() {
        let hostile = SearchParams {
            q: "x".repeat(300_000),
            sectors: (0..100)
                .map(|i| format!("s{i}"))
                .chain(["BAD SLUG".into()])
                .collect(),
            territory: Some("<script>".into()),
            form: Some("inconnue".into()),
            club: Some("Club <b>".into()),
            label: true,
            page: 4_000_000_000,
            zone: Some(Zone([-90_000_000, 0, 1, 1])),
            near: "x".repeat(500),
        }
        .bounded();
        assert_eq!(hostile.zone, None, "a longitude of -900°");
        assert_eq!(hostile.near.chars().count(), 80);
        assert_eq!(hostile.q.chars().count(), 200);
        assert_eq!(hostile.sectors.len(), 12);
        assert_eq!(
            (hostile.territory, hostile.form, hostile.club, hostile.page),
            (None, None, None, 1)
        );
        let fine = SearchParams {
            q: "recyclage".into(),
            sectors: vec!["recyclage".into()],
            territory: Some("dunkerque".into()),
            form: Some("scop".into()),
            club: Some("club-de-l-ess-du-dunkerquois".into()),
            label: true,
            page: 3,
            zone: None,
            near: String::new(),
        };
        assert_eq!(fine.clone().bounded(), fine);
        assert!(
            fine.to_query()
                .ends_with("&club=club-de-l-ess-du-dunkerquois&label=demarche-progres&page=3")
        );
        let from_url = SearchParams::from_pairs([("label", "autre-chose")]);
        assert!(!from_url.label, "only the known label value filters");
    }

    #[test]
    fn query_pairs_are_read_leniently() {
        let p = SearchParams::from_pairs([
            ("q", "  recyclage "),
            ("secteur", "recyclage"),
            ("secteur", "culture"),
            ("secteur", "culture"),
            ("secteur", "<script>"),
            ("territoire", "artois-comm"),
            ("forme", "scop"),
            ("page", "3"),
            ("inconnu", "x"),
        ]);
        assert_eq!(p.q, "recyclage");
        assert_eq!(p.sectors, ["recyclage", "culture"]);
        assert_eq!(p.territory.as_deref(), Some("artois-comm"));
        assert_eq!(p.form.as_deref(), Some("scop"));
        assert_eq!(p.page, 3);
    }

    #[test]
    fn a_zone_is_a_real_box_or_nothing() {
        let zone = Zone::parse("2.3,50.95,2.45,51.08").unwrap();
        assert_eq!(zone.to_param(), "2.3,50.95,2.45,51.08");
        assert_eq!(Zone::parse(&zone.to_param()), Some(zone));
        let [w, s, e, n] = zone.degrees();
        assert!((w - 2.3).abs() < 1e-5 && (n - 51.08).abs() < 1e-5 && s < n && w < e);
        for bad in [
            "",
            "1,2,3",
            "1,2,3,4,5",
            "2.45,50.95,2.3,51.08",
            "2.3,51.08,2.45,50.95",
            "2.3,50.95,2.3,51.08",
            "-181,0,1,1",
            "0,-91,1,1",
            "NaN,0,1,1",
            "inf,0,1,1",
            "1e400,0,1,1",
            "a,b,c,d",
            "<script>,0,1,1",
        ] {
            assert_eq!(Zone::parse(bad), None, "{bad}");
        }
        let p = SearchParams::from_pairs([
            ("q", "jardin"),
            ("zone", " 2.3,50.95,2.45,51.08 "),
            ("pres", "  Grande-Synthe "),
        ]);
        assert_eq!(
            p.to_query(),
            "q=jardin&zone=2.3,50.95,2.45,51.08&pres=Grande-Synthe"
        );
        assert!(p.has_filters());
        assert_eq!(p.without_zone().zone, None);
        assert_eq!(p.clone().bounded(), p);
    }

    #[test]
    fn bad_page_and_unknown_form_fall_back() {
        for page in ["0", "-2", "abc", "99999999999", ""] {
            assert_eq!(SearchParams::from_pairs([("page", page)]).page, 1, "{page}");
        }
        assert_eq!(SearchParams::from_pairs([("forme", "sarl")]).form, None);
    }

    #[test]
    fn query_string_round_trips() {
        let p =
            SearchParams::from_pairs([("q", "l'ESS & co"), ("secteur", "social"), ("page", "2")]);
        assert_eq!(p.to_query(), "q=l%27ESS+%26+co&secteur=social&page=2");
        assert_eq!(
            p.with_page(1).href("/annuaire"),
            "/annuaire?q=l%27ESS+%26+co&secteur=social"
        );
        assert_eq!(SearchParams::from_pairs([]).href("/annuaire"), "/annuaire");
    }

    #[test]
    fn every_parameter_survives_its_link() {
        let p = SearchParams::from_pairs([
            ("q", "œuvre\t«ESS» 100% & co=+/?#"),
            ("secteur", "social"),
            ("secteur", "sport"),
            ("territoire", "nord"),
            ("forme", "scop"),
            ("club", "club-ess"),
            ("label", LABEL_FILTER),
            ("zone", "2.3,50.95,2.45,51.08"),
            ("pres", "Saint-Pol/Mer"),
            ("page", "3"),
        ]);
        assert!(p.label && p.zone.is_some() && p.form.is_some() && p.club.is_some());
        let href = p.href("/annuaire");
        assert_eq!(href, format!("/annuaire?{}", p.to_query()));
        let (_, query) = href.split_once('?').unwrap();
        assert!(
            query
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"%+&=-_.~,".contains(&b)),
            "{query}"
        );
        let back = crate::ui::href::decode_query(query);
        assert_eq!(SearchParams::from_decoded(&back), p);
        assert_eq!(back.len(), 10, "{back:?}");
    }

    #[test]
    fn toggling_a_sector_resets_the_page() {
        let p = SearchParams::from_pairs([("secteur", "social"), ("page", "4")]);
        assert_eq!(p.toggle_sector("social").sectors, Vec::<String>::new());
        let added = p.toggle_sector("sport");
        assert_eq!(added.sectors, ["social", "sport"]);
        assert_eq!(added.page, 1);
    }

    #[test]
    fn terms_ignore_syntax_and_short_words() {
        assert_eq!(
            search_terms("\"Économie\" AND (recycl*) -l'ESS"),
            ["economie", "and", "recycl", "ess"]
        );
        assert_eq!(search_terms("*** \" ' NEAR( ^ :"), ["near"]);
        assert!(search_terms("").is_empty());
        assert_eq!(
            search_terms("a b c d e f g h i j k l m n o p q r s t u v w").len(),
            0
        );
        assert_eq!(search_terms(&"mot ".repeat(20)).len(), MAX_TERMS);
    }

    #[test]
    fn page_count_rounds_up() {
        let results = |total| SearchResults {
            items: vec![],
            total,
            page: 1,
            facets: Facets::default(),
            near: None,
        };
        assert_eq!(results(0).page_count(), 1);
        assert_eq!(results(20).page_count(), 1);
        assert_eq!(results(21).page_count(), 2);
    }
}
