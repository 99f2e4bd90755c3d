//! The news pages, one file per page.

mod article;
mod desk;
mod editor;
mod list;

pub use article::ArticlePage;
pub use desk::EditorDeskPage;
pub use editor::ArticleEditorPage;
pub use list::{ArticleCard, NewsListPage};

use crate::error::AppError;
use crate::ui::error::ErrorPage;
use crate::ui::href::login_then;
use leptos::prelude::*;
use leptos_meta::Title;

/// « 3 articles ».
fn articles_count(n: i64) -> String {
    match n {
        0 => "Aucun article".to_owned(),
        1 => "1 article".to_owned(),
        n => format!("{n} articles"),
    }
}

/// The page to show a visitor who must log in first, or the error.
fn refused(error: AppError, here: &str) -> AnyView {
    match error {
        AppError::Unauthorized => view! {
            <Title text="Connexion nécessaire" />
            <h1>"Connexion nécessaire"</h1>
            <p><a href=login_then(here)>"Connectez-vous"</a>" pour écrire les actualités."</p>
        }
        .into_any(),
        error => view! { <ErrorPage error /> }.into_any(),
    }
}
