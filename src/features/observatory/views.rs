//! `/observatoire` and `/observatoire.csv`.

use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::chart::FigureChart;
use super::model::{Chart, Figure, Observatory};
use crate::spreadsheet::formula_safe;
use crate::state::AppState;
use crate::text::check::group_thousands;
use crate::ui::error::ErrorPage;
use crate::ui::meta::Description;

/// `/observatoire?territoire=…`.
#[component]
pub fn ObservatoryPage(
    /// Figures other features add (support requests), composed by the router.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let query = use_query_map();
    let slug = move || query.with(|q| q.get("territoire").unwrap_or_default());
    // Pages render on the server only (islands): the figures are read there, from memory.
    let state = crate::state::app_state();
    let figures = Resource::new_blocking(slug, move |slug| {
        let state = state.clone();
        async move {
            let state = state?;
            super::db::observatory(&state, slug.trim())
                .await
                .map(|figures| (*figures).clone())
        }
    });
    view! {
        <Title text="Observatoire de l'ESS du territoire" />
        <Description text="L'économie sociale et solidaire du territoire en chiffres : structures par secteur, forme juridique et taille, nouvelles fiches, label, événements, achats responsables." />
        <h1>"Observatoire de l'ESS du territoire"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match figures.await {
                    Ok(observatory) => view! { <ObservatoryView observatory /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
        {children.map(|children| children())}
    }
}

#[component]
fn ObservatoryView(observatory: Observatory) -> impl IntoView {
    let chosen = observatory
        .territory
        .as_ref()
        .map(|t| t.slug.clone())
        .unwrap_or_default();
    let slug = chosen.clone();
    let option = move |place: &super::model::Place| {
        let selected = place.slug == chosen;
        view! { <option value=place.slug.clone() selected=selected>{place.name.clone()}</option> }
    };
    let departements = observatory
        .departements
        .iter()
        .map(option.clone())
        .collect_view();
    let intercommunalities = observatory
        .intercommunalities
        .iter()
        .map(option)
        .collect_view();
    let where_ = observatory.territory.as_ref().map_or_else(
        || "sur tout le portail".to_owned(),
        |t| format!("sur le territoire « {} »", t.name),
    );
    let intro = format!(
        "{} structures de l'ESS publiées dans l'annuaire {where_}. Chiffres au {}.",
        group_thousands(observatory.structures),
        observatory.as_of
    );
    let contents = observatory
        .figures
        .iter()
        .map(|f| {
            let href = format!("#{}", f.key);
            view! { <li><a href=href>{f.title.clone()}</a></li> }
        })
        .collect_view();
    let figures = observatory
        .figures
        .into_iter()
        .map(|figure| view! { <FigureSection figure territory=slug.clone() /> })
        .collect_view();
    view! {
        <p class="lead">{intro}</p>
        <form method="get" action="/observatoire" class="territory-form">
            <label for="territoire">"Territoire"</label>
            <div class="search-row">
                <select id="territoire" name="territoire">
                    <option value="" selected=slug.is_empty()>"Tout le portail"</option>
                    <optgroup label="Départements">{departements}</optgroup>
                    <optgroup label="Intercommunalités">{intercommunalities}</optgroup>
                </select>
                <button type="submit">"Afficher"</button>
            </div>
        </form>
        <nav aria-label="Les chiffres de l'observatoire"><ul class="figure-list">{contents}</ul></nav>
        {figures}
        <p>"Les mêmes données, fiche par fiche et sous licence ouverte : "<a href="/donnees">"l'annuaire en données ouvertes"</a>" (CSV, JSON, GeoJSON)."</p>
    }
}

#[component]
fn FigureSection(figure: Figure, territory: String) -> impl IntoView {
    let key = figure.key.clone();
    let heading = format!("titre-{key}");
    let labelled_by = heading.clone();
    let reading = format!("lecture-{key}");
    let csv = if territory.is_empty() {
        format!("/observatoire.csv?figure={key}")
    } else {
        format!("/observatoire.csv?figure={key}&territoire={territory}")
    };
    let first = match figure.chart {
        Chart::Bars | Chart::Stacked => "Catégorie",
        Chart::Line => "Trimestre",
    };
    let table_label = format!("Tableau : {}", figure.title);
    let head = figure
        .series
        .iter()
        .map(|name| view! { <th scope="col">{name.clone()}</th> })
        .collect_view();
    let rows = figure
        .rows
        .iter()
        .map(|row| {
            let cells = row
                .values
                .iter()
                .map(|v| view! { <td>{group_thousands(*v)}</td> })
                .collect_view();
            view! { <tr><th scope="row">{row.label.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    let empty = figure.rows.is_empty();
    view! {
        <section class="figure" id=key aria-labelledby=labelled_by>
            <h2 id=heading>{figure.title.clone()}</h2>
            <p class="reading" id=reading>{figure.reading.clone()}</p>
            {(!empty).then(|| view! { <FigureChart figure=figure.clone() /> })}
            <details>
                <summary>"Les chiffres en tableau"</summary>
                <div class="table-scroll" role="region" tabindex="0" aria-label=table_label>
                    <table>
                        <thead><tr><th scope="col">{first}</th>{head}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
            <p class="source">"Source : "{figure.source.clone()}" · "<a href=csv>"Télécharger en CSV"</a></p>
        </section>
    }
}

/// `GET /observatoire.csv?figure=…&territoire=…`: the figure's table, UTF-8 with a byte-order
/// mark (Excel reads accents right), text cells made safe from formulas.
pub async fn figure_csv(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let pairs = crate::ui::href::decode_query(&query.unwrap_or_default());
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim().to_owned())
            .unwrap_or_default()
    };
    let text = |status: StatusCode, message: &str| {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            message.to_owned(),
        )
            .into_response()
    };
    let observatory = match super::db::observatory(&state, &get("territoire")).await {
        Ok(observatory) => observatory,
        Err(error) => {
            tracing::error!(%error, "observatory: figures not computed");
            return text(
                StatusCode::SERVICE_UNAVAILABLE,
                "Les chiffres ne sont pas disponibles pour le moment ; réessayez dans un instant.",
            );
        }
    };
    let key = get("figure");
    let Some(figure) = observatory.figures.iter().find(|f| f.key == key) else {
        let known: Vec<&str> = observatory.figures.iter().map(|f| f.key.as_str()).collect();
        return text(
            StatusCode::NOT_FOUND,
            &format!("Figure inconnue. Figures : {}.", known.join(", ")),
        );
    };
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let first = match figure.chart {
        Chart::Bars | Chart::Stacked => "categorie",
        Chart::Line => "trimestre",
    };
    let mut header = vec![first.to_owned()];
    header.extend(figure.series.iter().cloned());
    let mut written = writer.write_record(&header);
    for row in &figure.rows {
        if written.is_err() {
            break;
        }
        let mut record = vec![formula_safe(&row.label).into_owned()];
        record.extend(row.values.iter().map(i64::to_string));
        written = writer.write_record(&record);
    }
    match written
        .map_err(|e| e.to_string())
        .and_then(|()| writer.into_inner().map_err(|e| e.to_string()))
    {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"observatoire-{key}.csv\""),
                ),
            ],
            body,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "observatory: CSV not written");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
