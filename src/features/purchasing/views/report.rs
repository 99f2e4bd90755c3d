//! The yearly report.

use crate::features::purchasing::Report;
use crate::features::purchasing::ReportRow;
use crate::features::purchasing::euros;
use crate::features::purchasing::report::load_report;
use crate::ui::error::ErrorPage;
use crate::ui::meta::Description;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
fn ReportTable(caption: String, first: &'static str, rows: Vec<ReportRow>) -> impl IntoView {
    // A table wider than a phone scrolls inside a region the keyboard can reach (axe:
    // scrollable-region-focusable).
    let region = format!("Tableau : {caption}");
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label=region>
        <table class="report">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{first}</th>
                    <th scope="col">"Besoins publiés"</th>
                    <th scope="col">"Réponses intéressées"</th>
                    <th scope="col">"Contrats remportés"</th>
                    <th scope="col">"Montant"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| view! {
                    <tr>
                        <th scope="row">{row.name}</th>
                        <td>{row.needs}</td>
                        <td>{row.answers}</td>
                        <td>{row.won}</td>
                        <td>{euros(row.amount)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}

/// `/achats/bilan?annee=…`.
#[component]
pub fn ReportPage() -> impl IntoView {
    let query = use_query_map();
    let year = move || {
        query.with(|q| {
            q.get("annee")
                .and_then(|y| y.trim().parse::<i32>().ok())
                .unwrap_or(0)
        })
    };
    let report = Resource::new_blocking(year, load_report);
    view! {
        <Title text="Bilan des achats responsables" />
        <Description text="Ce que le portail a fait naître : besoins publiés, réponses des structures de l'ESS, contrats remportés et leur montant, par secteur et par territoire." />
        <p class="breadcrumb"><a href="/achats">"← Achats responsables"</a></p>
        <h1>"Bilan des achats responsables"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(report) => view! { <ReportView report /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReportView(report: Report) -> impl IntoView {
    let year = report.year;
    let mut years = report.years.clone();
    if !years.contains(&year) {
        years.insert(0, year);
    }
    view! {
        <form method="get" action="/achats/bilan" class="filters" aria-label="Choisir l'année">
            <div class="field">
                <label for="annee">"Année"</label>
                <select id="annee" name="annee">
                    {years.into_iter().map(|y| view! { <option value=y selected={y == year}>{y}</option> }).collect_view()}
                </select>
            </div>
            <button type="submit">"Afficher"</button>
        </form>
        <p>{format!("Besoins publiés en {year}, réponses des structures intéressées, contrats remportés par des structures de l'ESS et leur montant déclaré par l'acheteur. Un besoin de plusieurs secteurs compte dans chacun ; le territoire est l'intercommunalité du lieu de la prestation.")}</p>
        <p><a href=format!("/achats/bilan.csv?annee={year}") download>{format!("Télécharger le bilan {year} (CSV)")}</a></p>
        <ReportTable caption=format!("Total {year}") first="Ensemble" rows=vec![report.total] />
        <ReportTable caption=format!("Par secteur, {year}") first="Secteur" rows=report.by_sector />
        <ReportTable caption=format!("Par territoire, {year}") first="Territoire" rows=report.by_territory />
    }
}
