//! The directory pages: `/annuaire` (search with facets) and `/annuaire/{slug}`.
//! Everything is server-rendered from the URL, so links can be shared and JavaScript is optional.

use crate::ui::meta::Description;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{load_structure_detail, search_directory};
use super::live::LiveSearch;
use super::model::LABEL_FILTER;
use crate::features::directory::ENTRY_NOTICES;
use crate::features::directory::FacetCount;
use crate::features::directory::Facets;
use crate::features::directory::Named;
use crate::features::directory::SearchParams;
use crate::features::directory::SearchResults;
use crate::features::directory::StructureDetail;
use crate::features::directory::StructureSummary;
use crate::features::directory::legal_form_label;
use crate::features::directory::siae_kind_label;
use crate::text::check::group_thousands;
use crate::ui::error::ErrorPage;
use crate::ui::notice::Notice;
use crate::ui::pagination::Pagination;

const PAGE_TITLE: &str = "Annuaire des acteurs de l'ESS";
/// The map view of the same search.
pub const MAP_PATH: &str = "/annuaire/carte";

/// `/annuaire`: the search form, the facets and one page of results.
#[component]
pub fn DirectoryPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        query.with(|map| SearchParams::from_pairs(map.into_iter().map(|(k, v)| (k.as_ref(), v))))
    };
    let results = Resource::new_blocking(params, search_directory);
    view! {
        <Title text=PAGE_TITLE />
        <Description text="Cherchez parmi les associations, coopératives, structures d'insertion, mutuelles et fondations du territoire, par mot, secteur, territoire, forme juridique ou club." />
        <h1>{PAGE_TITLE}</h1>
        <p class="page-action">"Votre structure n'y est pas ? "<a href="/annuaire/referencer">"Référencer ma structure"</a></p>
        <Suspense>
            {move || Suspend::new(async move {
                let params = params();
                let form_params = params.clone();
                match results.await {
                    Ok(results) => view! {
                        <LiveSearch><SearchForm params=form_params near=true /></LiveSearch>
                        <Results params results />
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The GET form: the query box, with the current filters carried along as hidden fields.
/// The home page uses it too, with its own label.
#[component]
pub fn SearchForm(
    params: SearchParams,
    #[prop(default = "Rechercher un acteur")] label: &'static str,
    #[prop(default = "search-form")] class: &'static str,
    /// Offer « près de… » (the directory's own pages).
    #[prop(default = false)]
    near: bool,
    #[prop(default = "/annuaire")] action: &'static str,
) -> impl IntoView {
    let near_value = params.near.clone();
    view! {
        <form method="get" action=action role="search" class=class>
            <label for="q">{label}</label>
            <div class="search-row">
                <input
                    id="q"
                    name="q"
                    type="search"
                    value=params.q.clone()
                    maxlength="200"
                    placeholder="recyclage, insertion, Dunkerque…"
                    autocomplete="off"
                />
                <button type="submit">"Rechercher"</button>
            </div>
            {params.sectors.iter().map(|s| view! { <input type="hidden" name="secteur" value=s.clone() /> }).collect_view()}
            {params.territory.clone().map(|t| view! { <input type="hidden" name="territoire" value=t /> })}
            {params.form.clone().map(|f| view! { <input type="hidden" name="forme" value=f /> })}
            {params.club.clone().map(|c| view! { <input type="hidden" name="club" value=c /> })}
            {params.label.then(|| view! { <input type="hidden" name="label" value=LABEL_FILTER /> })}
            {params.zone.map(|z| view! { <input type="hidden" name="zone" value=z.to_param() /> })}
            {near.then(|| view! {
                <label for="pres">"Près de "<span class="hint">"(commune ou code postal, facultatif)"</span></label>
                <input id="pres" name="pres" type="text" value=near_value maxlength="80" autocomplete="postal-code" placeholder="Grande-Synthe, 62400…" />
            })}
        </form>
    }
    .into_any()
}

/// The result list with its filters. `base` is the page the links keep: `/annuaire`, or the
/// map's `/annuaire/carte`.
#[component]
pub fn Results(
    params: SearchParams,
    results: SearchResults,
    #[prop(default = "/annuaire")] base: &'static str,
) -> impl IntoView {
    let pages = results.page_count();
    let total = results.total;
    let heading = match total {
        0 => "Aucune structure trouvée".to_owned(),
        1 => "1 structure".to_owned(),
        n => format!("{} structures", group_thousands(n)),
    };
    let empty = results.items.is_empty();
    let page_params = params.clone();
    view! {
        <div class="directory">
            <section class="results" aria-labelledby="resultats">
                <h2 id="resultats">{heading}</h2>
                <ActiveFilters params=params.clone() facets=results.facets.clone() base />
                <NearNotice params=params.clone() near=results.near.clone() />
                {(base != MAP_PATH).then(|| {
                    let href = params.with_page(1).href(MAP_PATH);
                    view! { <p class="map-link"><a href=href>"Voir sur la carte"</a></p> }
                })}
                {empty.then(|| view! { <EmptyState params=params.clone() base /> })}
                <ol class="result-list">
                    {results.items.into_iter().map(|item| view! { <ResultItem item /> }).collect_view()}
                </ol>
                <Pagination page=results.page pages href=move |n| page_params.with_page(n).href(base) />
            </section>
            <Facets params facets=results.facets base />
        </div>
    }
    .into_any()
}

#[component]
fn ResultItem(item: StructureSummary) -> impl IntoView {
    let href = format!("/annuaire/{}", item.slug);
    let mut meta = vec![legal_form_label(&item.legal_form).to_owned(), item.commune];
    meta.extend(item.sectors);
    if let Some(km) = item.distance_km {
        meta.push(format!("à {}", kilometres(km)));
    }
    view! {
        <li class="result">
            <h3>
                <a href=href>{item.name}</a>
                {(!item.acronym.is_empty()).then(|| view! { <span class="acronym">" ("{item.acronym}")"</span> })}
            </h3>
            <p class="meta">{meta.join(" · ")}</p>
            <p>{item.excerpt}</p>
        </li>
    }
}

#[component]
fn Facets(params: SearchParams, facets: Facets, base: &'static str) -> impl IntoView {
    let sector_links = facets
        .sectors
        .into_iter()
        .map(|f| {
            let selected = params.sectors.contains(&f.slug);
            (params.toggle_sector(&f.slug).href(base), f, selected)
        })
        .collect::<Vec<_>>();
    let territory_links = facets
        .territories
        .into_iter()
        .map(|f| {
            let selected = params.territory.as_deref() == Some(f.slug.as_str());
            let target = if selected {
                None
            } else {
                Some(f.slug.as_str())
            };
            (params.with_territory(target).href(base), f, selected)
        })
        .collect::<Vec<_>>();
    let form_links = facets
        .forms
        .into_iter()
        .map(|f| {
            let selected = params.form.as_deref() == Some(f.slug.as_str());
            let target = if selected {
                None
            } else {
                Some(f.slug.as_str())
            };
            (params.with_form(target).href(base), f, selected)
        })
        .collect::<Vec<_>>();
    let club_links = facets
        .clubs
        .into_iter()
        .map(|f| {
            let selected = params.club.as_deref() == Some(f.slug.as_str());
            let target = if selected {
                None
            } else {
                Some(f.slug.as_str())
            };
            (params.with_club(target).href(base), f, selected)
        })
        .collect::<Vec<_>>();
    view! {
        <nav class="facets" aria-label="Affiner la recherche">
            <h2>"Affiner"</h2>
            <FacetGroup title="Secteur" links=sector_links />
            <FacetGroup title="Territoire" links=territory_links />
            <FacetGroup title="Forme juridique" links=form_links />
            <FacetGroup title="Club" links=club_links />
            {(facets.labelled > 0 || params.label).then(|| {
                let href = params.with_label(!params.label).href(base);
                let label = if params.label { "Démarche progrès (retirer)" } else { "Démarche progrès" };
                view! {
                    <h3>"Label"</h3>
                    <ul>
                        <li>
                            <a href=href class:selected=params.label aria-current=params.label.then_some("true")>
                                {label}" "<span class="count">{facets.labelled}</span>
                            </a>
                        </li>
                    </ul>
                }
            })}
        </nav>
    }
    .into_any()
}

#[component]
fn FacetGroup(title: &'static str, links: Vec<(String, FacetCount, bool)>) -> impl IntoView {
    (!links.is_empty()).then(|| {
        view! {
            <h3>{title}</h3>
            <ul>
                {links
                    .into_iter()
                    .map(|(href, facet, selected)| {
                        let label = if selected { format!("{} (retirer)", facet.label) } else { facet.label };
                        view! {
                            <li>
                                <a href=href class:selected=selected aria-current=selected.then_some("true")>
                                    {label}
                                    " "
                                    <span class="count">{facet.count}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// The filters in force, each with a link that removes it.
#[component]
fn ActiveFilters(params: SearchParams, facets: Facets, base: &'static str) -> impl IntoView {
    // Labels come from the facets; a value no longer among them shows its slug.
    let label = |list: &[FacetCount], slug: &str| {
        list.iter()
            .find(|f| f.slug == slug)
            .map_or_else(|| slug.to_owned(), |f| f.label.clone())
    };
    let mut removals: Vec<(String, String)> = Vec::new();
    for sector in &params.sectors {
        removals.push((
            format!("Secteur : {}", label(&facets.sectors, sector)),
            params.toggle_sector(sector).href(base),
        ));
    }
    if let Some(territory) = &params.territory {
        removals.push((
            format!("Territoire : {}", label(&facets.territories, territory)),
            params.with_territory(None).href(base),
        ));
    }
    if let Some(form) = &params.form {
        removals.push((
            format!("Forme : {}", legal_form_label(form)),
            params.with_form(None).href(base),
        ));
    }
    if let Some(club) = &params.club {
        removals.push((
            format!("Club : {}", label(&facets.clubs, club)),
            params.with_club(None).href(base),
        ));
    }
    if params.label {
        removals.push((
            "Label démarche progrès".to_owned(),
            params.with_label(false).href(base),
        ));
    }
    if params.zone.is_some() {
        removals.push((
            "Dans la zone de la carte".to_owned(),
            params.without_zone().href(base),
        ));
    }
    (!removals.is_empty()).then(|| {
        view! {
            <ul class="active-filters" aria-label="Filtres actifs">
                {removals
                    .into_iter()
                    .map(|(label, href)| view! { <li><a href=href>{label}" ✕"<span class="visually-hidden">" (retirer ce filtre)"</span></a></li> })
                    .collect_view()}
            </ul>
        }
    })
}

#[component]
fn EmptyState(params: SearchParams, base: &'static str) -> impl IntoView {
    let has_filters = params.has_filters();
    let without_filters = SearchParams {
        q: params.q.clone(),
        ..Default::default()
    }
    .href(base);
    view! {
        <div class="empty-state">
            <p>"Aucune structure ne correspond à cette recherche."</p>
            <ul>
                {has_filters.then(|| view! { <li><a href=without_filters>"Chercher sans les filtres"</a></li> })}
                {(!params.q.is_empty()).then(|| view! {
                    <li>"Essayez un mot plus court ou plus général (par exemple « recycl » plutôt que « recyclerie »)."</li>
                })}
                <li><a href="/annuaire">"Voir toutes les structures"</a></li>
            </ul>
        </div>
    }
}

/// « 850 m », « 3,2 km », « 48 km »: as precise as a walk or a drive needs.
fn kilometres(km: f32) -> String {
    if km < 1.0 {
        format!("{} m", ((km * 100.0).round() * 10.0).max(10.0) as u32)
    } else if km < 10.0 {
        format!("{:.1} km", km).replace('.', ",")
    } else {
        format!("{} km", km.round() as u32)
    }
}

/// « près de … »: which place the distances start from, or that the place was not found.
#[component]
fn NearNotice(params: SearchParams, near: Option<String>) -> impl IntoView {
    let asked = params.near.trim().to_owned();
    match near {
        Some(place) => {
            let text = format!("Triées par distance de {place}.");
            Some(view! { <p class="near">{text}</p> }.into_any())
        }
        None if !asked.is_empty() => {
            let text = format!(
                "Aucune structure publiée à « {asked} » : indiquez une commune du territoire ou un code postal à cinq chiffres. Les résultats ne sont pas triés par distance."
            );
            Some(view! { <p class="near near-unknown">{text}</p> }.into_any())
        }
        None => None,
    }
}

/// `/annuaire/{slug}`: one structure's page. `children` come after the entry's content (the
/// router puts the management box there).
#[component]
pub fn StructurePage(children: ChildrenFn) -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let detail = Resource::new_blocking(slug, load_structure_detail);
    view! {
        <Suspense>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                match detail.await {
                    Ok(detail) => {
                        let news = crate::features::news::reading::mentions("annuaire", detail.slug.clone()).await;
                        view! {
                            <StructureView detail>{children()}</StructureView>
                            <crate::ui::mentions::MentionedIn links=news />
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })
            }}
        </Suspense>
    }
}

#[component]
fn StructureView(detail: StructureDetail, children: Children) -> impl IntoView {
    let stale = detail.verified_at.unwrap_or(detail.updated_at)
        < crate::timestamp::Timestamp::now()
            .plus(-crate::features::directory::db::entry::FRESH_FOR);
    let json_ld = organization_json_ld(&detail);
    let map_link = detail.latitude.zip(detail.longitude).map(|(lat, lon)| {
        format!(
            "https://www.openstreetmap.org/?mlat={lat:.5}&mlon={lon:.5}#map=16/{lat:.5}/{lon:.5}"
        )
    });
    let form = match detail.siae_kind.as_deref().and_then(siae_kind_label) {
        Some(kind) => format!("{} — {kind}", legal_form_label(&detail.legal_form)),
        None => legal_form_label(&detail.legal_form).to_owned(),
    };
    let territory_link = |named: &Named| {
        view! { <a href=format!("/annuaire?territoire={}", named.slug)>{named.name.clone()}</a> }
    };
    let website = detail.website.clone();
    view! {
        <Title text=detail.name.clone() />
        <Description text=if detail.description.is_empty() { format!("{} : fiche de l'annuaire des acteurs de l'ESS.", detail.name) } else { detail.description.clone() } />
        <script type="application/ld+json" nonce=leptos::nonce::use_nonce() inner_html=json_ld></script>
        <p class="breadcrumb"><a href="/annuaire">"← Annuaire des acteurs de l'ESS"</a></p>
        <Notice known=ENTRY_NOTICES />
        <article class="structure">
            <div class="entry-body">
            <h1>
                {detail.name.clone()}
                {(!detail.acronym.is_empty()).then(|| view! { <span class="acronym">" ("{detail.acronym.clone()}")"</span> })}
            </h1>
            <p class="meta">{form}</p>
            {detail.label.clone().map(|(identifier, until)| view! {
                <p class="badge">
                    <strong>"Labellisée « démarche progrès »"</strong>
                    " · identifiant "<span class="identifier">{identifier.clone()}</span>
                    " · valable jusqu'au "{until.french_date()}" · "
                    <a href=format!("/label/verifier?identifiant={identifier}")>"Vérifier"<span class="visually-hidden">" cet identifiant"</span></a>
                </p>
            })}
            <ul class="tags" aria-label="Secteurs">
                {detail.sectors.iter().map(|s| view! { <li><a href=format!("/annuaire?secteur={}", s.slug)>{s.name.clone()}</a></li> }).collect_view()}
            </ul>
            {(!detail.description.is_empty()).then(|| view! { <p class="lead">{detail.description.clone()}</p> })}
            {(!detail.offer.is_empty()).then(|| view! {
                <section aria-labelledby="offre">
                    <h2 id="offre">"Ce que la structure propose aux acheteurs"</h2>
                    <p>{detail.offer.clone()}</p>
                </section>
            })}
            {(!detail.clubs.is_empty()).then(|| view! {
                <section aria-labelledby="clubs-structure">
                    <h2 id="clubs-structure">"Clubs"</h2>
                    <ul>
                        {detail.clubs.iter().map(|c| view! { <li>"Membre du "<a href=format!("/clubs/{}", c.slug)>{c.name.clone()}</a></li> }).collect_view()}
                    </ul>
                </section>
            })}
            <section aria-labelledby="coordonnees">
                <h2 id="coordonnees">"Coordonnées"</h2>
                <dl class="facts">
                    <dt>"Adresse"</dt>
                    <dd>
                        {(!detail.address.is_empty()).then(|| view! { {detail.address.clone()}<br /> })}
                        {detail.postal_code.clone()}" "{territory_link(&detail.commune)}
                        {map_link.map(|href| view! { <br /><a href=href rel="external">"Voir sur OpenStreetMap"</a> })}
                    </dd>
                    <dt>"Territoire"</dt>
                    <dd>
                        {detail.intercommunality.as_ref().map(|i| view! { {territory_link(i)}", " })}
                        {territory_link(&detail.departement)}
                    </dd>
                    {(!detail.email.is_empty()).then(|| view! { <dt>"Courriel"</dt><dd><a href=format!("mailto:{}", detail.email)>{detail.email.clone()}</a></dd> })}
                    {(!detail.phone.is_empty()).then(|| view! { <dt>"Téléphone"</dt><dd><a href=format!("tel:{}", detail.phone.replace(' ', ""))>{detail.phone.clone()}</a></dd> })}
                    {(!website.is_empty()).then(|| view! { <dt>"Site web"</dt><dd><a href=website.clone() rel="external">{website.clone()}</a></dd> })}
                </dl>
            </section>
            <section aria-labelledby="reperes">
                <h2 id="reperes">"Repères"</h2>
                <dl class="facts">
                    {detail.siret.clone().map(|s| view! { <dt>"SIRET"</dt><dd>{s}</dd> })}
                    {detail.year_founded.map(|y| view! { <dt>"Création"</dt><dd>{y}</dd> })}
                    {(!detail.staff_band.is_empty()).then(|| view! { <dt>"Effectif"</dt><dd>{super::staff_band_label(&detail.staff_band)}</dd> })}
                    <dt>"Fiche mise à jour le"</dt>
                    <dd><time datetime=detail.updated_at.iso_date()>{detail.updated_at.french_date()}</time></dd>
                    {detail.verified_at.map(|at| view! {
                        <dt>"Informations vérifiées le"</dt>
                        <dd><time datetime=at.iso_date()>{at.french_date()}</time></dd>
                    })}
                </dl>
                {stale.then(|| view! {
                    <p class="notice">"Ces informations n'ont pas été vérifiées depuis plus de deux ans : elles ont peut-être changé."</p>
                })}
                <p><a href=format!("/annuaire/{}/corriger", detail.slug)>"Proposer une correction"</a></p>
            </section>
            </div>
            {children()}
        </article>
    }
    .into_any()
}

/// schema.org `Organization` for search engines; written by `ui::meta::json_ld`, which no text can close.
pub fn organization_json_ld(detail: &StructureDetail) -> String {
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": detail.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": detail.address,
            "postalCode": detail.postal_code,
            "addressLocality": detail.commune.name,
            "addressCountry": "FR",
        },
    });
    let object = value.as_object_mut().expect("built as an object");
    let mut put = |key: &str, text: &str| {
        if !text.is_empty() {
            object.insert(key.to_owned(), serde_json::Value::String(text.to_owned()));
        }
    };
    put("alternateName", &detail.acronym);
    put("description", &detail.description);
    put("email", &detail.email);
    put("telephone", &detail.phone);
    put("url", &detail.website);
    if let Some(siret) = &detail.siret {
        put("taxID", siret);
    }
    if let Some(year) = detail.year_founded {
        object.insert(
            "foundingDate".to_owned(),
            serde_json::Value::String(year.to_string()),
        );
    }
    if let (Some(lat), Some(lon)) = (detail.latitude, detail.longitude) {
        object.insert(
            "geo".to_owned(),
            serde_json::json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon }),
        );
    }
    crate::ui::meta::json_ld(&value)
}
