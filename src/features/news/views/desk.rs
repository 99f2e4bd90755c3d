//! The editors' desk: every article.

use super::refused;
use crate::features::news::EditorRow;
use crate::features::news::NOTICES;
use crate::features::news::Visibility;
use crate::features::news::articles::load_editor_list;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/redaction`: the editors' desk: every article with its state; `children` add the other
/// things editors write (the information pages).
#[component]
pub fn EditorDeskPage(children: ChildrenFn) -> impl IntoView {
    let rows = Resource::new_blocking(|| (), |_| load_editor_list());
    view! {
        <Suspense>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match rows.await {
                        Ok(rows) => view! { <EditorDesk rows>{children()}</EditorDesk> }.into_any(),
                        Err(error) => refused(error, "/redaction"),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn EditorDesk(rows: Vec<EditorRow>, children: Children) -> impl IntoView {
    view! {
        <Title text="Rédaction" />
        <Notice known=NOTICES />
        <h1>"Rédaction"</h1>
        <p class="list-links"><a href="/redaction/articles/nouveau" class="button">"Écrire un article"</a></p>
        <section aria-labelledby="articles">
            <h2 id="articles">"Articles"</h2>
            {if rows.is_empty() {
                view! { <p>"Aucun article pour le moment."</p> }.into_any()
            } else {
                view! {
                    <table class="editor-list">
                        <thead><tr><th scope="col">"Titre"</th><th scope="col">"État"</th><th scope="col">"Publication"</th><th scope="col">"Dernière modification"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! {
                                <tr>
                                    <td><a href=format!("/redaction/articles/{}", row.id)>{row.title}</a></td>
                                    <td>{row.visibility.label()}</td>
                                    <td>{match row.visibility { Visibility::Draft => "—".to_owned(), _ => row.published_at.french_date_time() }}</td>
                                    <td>{row.updated_at.french_date_time()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        {children()}
    }
}
