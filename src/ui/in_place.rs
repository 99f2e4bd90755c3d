//! Editing in place. Without JavaScript, « Modifier la fiche » is a link to the edit page and
//! its form posts there. With JavaScript, this island fetches that page's form into the current
//! page, posts it in the background, and on success swaps the refreshed content in (on bad
//! input, the returned form with its messages replaces the one shown).

use leptos::prelude::*;

/// Wraps a link to an edit page (server-rendered children, so no props to deserialise in the
/// browser). The link's `data-refresh` attribute names, as a CSS selector, the part of the page
/// that a successful edit refreshes.
#[island]
pub fn InPlaceEdit(children: Children) -> impl IntoView {
    let (status, set_status) = signal(String::new());
    let panel = NodeRef::<leptos::html::Div>::new();
    let open = move |event: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        browser::open(event, panel, set_status);
        #[cfg(not(feature = "hydrate"))]
        let _ = (event, panel, set_status);
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        browser::submit(event, panel, set_status);
        #[cfg(not(feature = "hydrate"))]
        let _ = (event, panel, set_status);
    };
    view! {
        <div class="in-place" on:click=open>{children()}</div>
        <div class="in-place-form" node_ref=panel on:submit=submit></div>
        <p class="notice-live" role="status">{status}</p>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{HtmlElement, HtmlFormElement};

    use crate::ui::browser::{fetch_page, form_query};

    type Panel = NodeRef<leptos::html::Div>;

    /// The enhanced link of a click inside the island, with the selector it refreshes.
    fn link_of(event: &leptos::ev::MouseEvent) -> Option<(String, String)> {
        let link = event
            .target()?
            .dyn_into::<web_sys::Element>()
            .ok()?
            .closest("a[data-refresh]")
            .ok()??;
        Some((
            link.get_attribute("href")?,
            link.get_attribute("data-refresh")?,
        ))
    }

    thread_local! {
        /// The selector the open form refreshes when saved.
        static REFRESH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }

    pub fn open(event: leptos::ev::MouseEvent, panel: Panel, status: WriteSignal<String>) {
        let Some((href, refresh)) = link_of(&event) else {
            return;
        };
        event.prevent_default();
        REFRESH.with(|r| *r.borrow_mut() = refresh);
        leptos::task::spawn_local(async move {
            if show_form(&href, panel).await.is_err() {
                // Could not load it here: go to the edit page as without JavaScript.
                if let Some(window) = web_sys::window() {
                    let _ = window.location().set_href(&href);
                }
            }
            status.set(String::new());
        });
    }

    async fn show_form(href: &str, panel: Panel) -> Result<(), JsValue> {
        let (response, page) = fetch_page(href, None).await?;
        let form = page
            .query_selector("main form")
            .ok()
            .flatten()
            .filter(|_| response.ok());
        let (Some(form), Some(panel)) = (form, panel.get_untracked()) else {
            return Err(JsValue::NULL);
        };
        panel.set_inner_html(&form.outer_html());
        focus_first(&panel, "input, textarea");
        Ok(())
    }

    pub fn submit(event: leptos::ev::SubmitEvent, panel: Panel, status: WriteSignal<String>) {
        let Some(form) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        event.prevent_default();
        let content = REFRESH.with(|r| r.borrow().clone());
        leptos::task::spawn_local(async move {
            status.set("Enregistrement…".to_owned());
            match save(&form, &content, panel).await {
                Ok(message) => status.set(message),
                Err(_) => {
                    status.set(String::new());
                    // Fall back to the plain post: the server answers as without JavaScript.
                    let _ = form.submit();
                }
            }
        });
    }

    async fn save(form: &HtmlFormElement, content: &str, panel: Panel) -> Result<String, JsValue> {
        let action = form.action();
        let (response, page) = fetch_page(&action, Some(form_query(form)?)).await?;
        let panel = panel.get_untracked().ok_or(JsValue::NULL)?;
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or(JsValue::NULL)?;
        if response.status() == 422 {
            // Bad input: the returned form carries the messages and what was typed.
            let returned = page.query_selector("main form")?.ok_or(JsValue::NULL)?;
            panel.set_inner_html(&returned.outer_html());
            focus_first(&panel, ".form-errors, [aria-invalid=true]");
            return Ok(
                "La fiche n'a pas été enregistrée : corrigez les champs signalés.".to_owned(),
            );
        }
        if !response.ok() || response.url().ends_with(&action) {
            return Err(JsValue::NULL);
        }
        let (Some(fresh), Some(current)) = (
            page.query_selector(content)?,
            document.query_selector(content)?,
        ) else {
            return Err(JsValue::NULL);
        };
        current.replace_with_with_node_1(&fresh)?;
        panel.set_inner_html("");
        let notice = page
            .query_selector(".notice")?
            .and_then(|n| n.text_content())
            .unwrap_or_else(|| "Enregistré.".to_owned());
        Ok(notice)
    }

    fn focus_first(panel: &web_sys::HtmlDivElement, selector: &str) {
        if let Some(element) = panel
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    }
}
