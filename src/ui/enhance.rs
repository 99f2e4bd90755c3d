//! The one in-page enhancement for forms. Without JavaScript every form is a plain post that the
//! server answers with a redirect or the page again (see `web::forms`). With JavaScript, the
//! [`Enhance`] island takes over the forms inside it that carry `data-fn` (the address of their
//! server function):
//!
//! - on submit it marks the form busy, posts the same fields to the server function, and keeps
//!   the visitor where they are;
//! - on success it swaps in fresh server-rendered parts of the page named by the form's
//!   `data-refresh` (CSS selectors, comma-separated), then shows the server's sentence in the
//!   form's status line (`[data-status]`, created if missing) and puts focus back on the form
//!   (found again by its `id` when it was swapped too) or, when the form is gone (a decided
//!   request leaves the list), on the island's own status line; without `data-refresh`, or if a
//!   part is missing, it goes to the page the server named, as the plain form would;
//! - on refusal it shows each message next to its field, or the sentence in the status line,
//!   and moves focus to the first field to correct;
//! - a link with `data-load-form="#where"` fetches the page it points to and shows that page's
//!   enhanced form inside `#where` (editing in place).
//!
//! One island can hold any number of forms (one per row of a list), found by data attributes at
//! the moment they are used, so forms that arrive later (swapped in, loaded) work as well.

use leptos::prelude::*;

/// Enhances the server-rendered forms inside it (its children are plain HTML: no props to
/// deserialise in the browser).
#[island]
pub fn Enhance(children: Children) -> impl IntoView {
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        browser::submit(event);
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    };
    let on_click = move |event: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        browser::click(event);
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    };
    view! {
        <div class="enhanced" on:submit=on_submit on:click=on_click>
            {children()}
            <p class="visually-hidden" role="status" data-island-status tabindex="-1"></p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{Element, HtmlElement, HtmlFormElement};

    use crate::ui::browser::{document, fetch_page, post_form};

    const PENDING: &str = "Envoi en cours…";

    pub fn click(event: leptos::ev::MouseEvent) {
        let Some(link) = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|e| e.closest("a[data-load-form]").ok().flatten())
        else {
            return;
        };
        let (Some(href), Some(target)) = (
            link.get_attribute("href"),
            link.get_attribute("data-load-form"),
        ) else {
            return;
        };
        event.prevent_default();
        leptos::task::spawn_local(async move {
            if load_form(&href, &target).await.is_err() {
                // Could not show it here: open the form's page, as without JavaScript.
                if let Some(window) = web_sys::window() {
                    let _ = window.location().assign(&href);
                }
            }
        });
    }

    async fn load_form(href: &str, target: &str) -> Result<(), JsValue> {
        let (response, page) = fetch_page(href, None).await?;
        let form = page
            .query_selector("main form[data-fn]")?
            .filter(|_| response.ok())
            .ok_or(JsValue::NULL)?;
        let panel = document()?.query_selector(target)?.ok_or(JsValue::NULL)?;
        panel.set_inner_html(&form.outer_html());
        focus(panel.query_selector("input:not([type=hidden]), textarea, select")?);
        Ok(())
    }

    pub fn submit(event: leptos::ev::SubmitEvent) {
        let Some(form) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let Some(endpoint) = form.get_attribute("data-fn") else {
            return;
        };
        event.prevent_default();
        if form.get_attribute("aria-busy").as_deref() == Some("true") {
            return; // one post at a time per form
        }
        let submitter = event.submitter();
        let island = event
            .current_target()
            .and_then(|t| t.dyn_into::<Element>().ok());
        leptos::task::spawn_local(async move {
            set_status(&form, island.as_ref(), PENDING, false);
            let _ = form.set_attribute("aria-busy", "true");
            let outcome = send(&form, submitter.as_ref(), &endpoint, island.as_ref()).await;
            let _ = form.remove_attribute("aria-busy");
            if outcome.is_err() {
                // The answer could not be used: post the plain form, the server answers as
                // without JavaScript.
                set_status(&form, island.as_ref(), "", false);
                let _ = form.submit();
            }
        });
    }

    /// The form's fields as the server function reads them: a name that appears several times
    /// (checkboxes) becomes `name[0]`, `name[1]`… The clicked button's value comes along.
    fn body(form: &HtmlFormElement, submitter: Option<&HtmlElement>) -> Result<String, JsValue> {
        let data = web_sys::FormData::new_with_form(form)?;
        let mut pairs: Vec<(String, String)> = Vec::new();
        let entries = js_sys::try_iter(&data)?.ok_or(JsValue::NULL)?;
        for entry in entries {
            let entry: js_sys::Array = entry?.dyn_into()?;
            let value = entry.get(1).as_string().unwrap_or_default();
            pairs.push((entry.get(0).as_string().unwrap_or_default(), value));
        }
        if let Some(button) = submitter {
            let name = button.get_attribute("name").unwrap_or_default();
            if !name.is_empty() {
                pairs.push((name, button.get_attribute("value").unwrap_or_default()));
            }
        }
        let params = web_sys::UrlSearchParams::new()?;
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (name, value) in &pairs {
            if pairs.iter().filter(|(other, _)| other == name).count() > 1 {
                let index = seen.entry(name.as_str()).or_insert(0);
                params.append(&format!("{name}[{index}]"), value);
                *index += 1;
            } else {
                params.append(name, value);
            }
        }
        Ok(String::from(params.to_string()))
    }

    async fn send(
        form: &HtmlFormElement,
        submitter: Option<&HtmlElement>,
        endpoint: &str,
        island: Option<&Element>,
    ) -> Result<(), JsValue> {
        let (status, answer) = post_form(endpoint, body(form, submitter)?).await?;
        let field = |name: &str| js_sys::Reflect::get(&answer, &JsValue::from_str(name)).ok();
        let text = |name: &str| field(name).and_then(|v| v.as_string()).unwrap_or_default();
        clear_errors(form);
        if (200..300).contains(&status) {
            let location = text("location");
            let message = text("message");
            let refresh = form.get_attribute("data-refresh").unwrap_or_default();
            if refresh.is_empty() || location.is_empty() {
                return go(&location);
            }
            let (response, page) = fetch_page(&location, None).await?;
            if !response.ok() {
                return go(&location);
            }
            let document = document()?;
            // The form is found again by its id after the swap, to keep the visitor's place.
            let form_id = form.get_attribute("id").filter(|id| !id.is_empty());
            let mut swaps = Vec::new();
            for selector in refresh.split(',').map(str::trim) {
                match (
                    document.query_selector(selector)?,
                    page.query_selector(selector)?,
                ) {
                    (Some(old), Some(new)) => swaps.push((old, new)),
                    _ => return go(&location),
                }
            }
            for (old, new) in swaps {
                old.replace_with_with_node_1(&new)?;
            }
            let current = if form.is_connected() {
                Some(form.clone().unchecked_into::<Element>())
            } else {
                form_id.and_then(|id| document.get_element_by_id(&id))
            };
            match current.and_then(|f| f.dyn_into::<HtmlFormElement>().ok()) {
                Some(current) => {
                    set_status(&current, island, &message, false);
                    focus(current.query_selector("button, input:not([type=hidden])")?);
                }
                None => {
                    set_status_in_island(island, &message);
                    focus(
                        island
                            .and_then(|i| i.query_selector("[data-island-status]").ok().flatten()),
                    );
                }
            }
            return Ok(());
        }
        let message = text("message");
        if message.is_empty() {
            return Err(JsValue::NULL);
        }
        let errors = field("errors")
            .filter(|v| v.is_array())
            .map(|v| js_sys::Array::from(&v))
            .map(|a| a.iter().collect::<Vec<_>>())
            .unwrap_or_default();
        let mut first_invalid = None;
        let mut general = Vec::new();
        let mut fields_shown = 0;
        for error in errors {
            let get = |k: &str| {
                js_sys::Reflect::get(&error, &JsValue::from_str(k))
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default()
            };
            let (name, text) = (get("field"), get("message"));
            match show_field_error(form, &name, &text)? {
                Some(input) => {
                    fields_shown += 1;
                    first_invalid.get_or_insert(input);
                }
                None => general.push(text),
            }
        }
        // As the page says without JavaScript: the general messages, or how many fields to fix.
        let summary = match (general.is_empty(), fields_shown) {
            (false, _) => general.join(" "),
            (true, 0) => message,
            (true, 1) => "Un champ est à corriger.".to_owned(),
            (true, n) => format!("{n} champs sont à corriger."),
        };
        set_status(form, island, &summary, true);
        match first_invalid {
            Some(input) => focus(Some(input)),
            None => focus(form.query_selector("[data-status]")?),
        }
        Ok(())
    }

    fn go(location: &str) -> Result<(), JsValue> {
        if location.is_empty() {
            return Err(JsValue::NULL);
        }
        web_sys::window()
            .ok_or(JsValue::NULL)?
            .location()
            .assign(location)
    }

    /// Puts `text` in the form's status line, created after its last button if missing.
    fn set_status(form: &HtmlFormElement, island: Option<&Element>, text: &str, error: bool) {
        let line = match form.query_selector("[data-status]").ok().flatten() {
            Some(line) => Some(line),
            None => document()
                .ok()
                .and_then(|d| d.create_element("p").ok())
                .inspect(|line| {
                    let _ = line.set_attribute("data-status", "");
                    let _ = line.set_attribute("tabindex", "-1");
                    let _ = form.append_child(line);
                }),
        };
        match line {
            Some(line) => {
                let _ = line.set_attribute(
                    "class",
                    if error {
                        "form-status error"
                    } else {
                        "form-status"
                    },
                );
                let _ = line.set_attribute("role", if error { "alert" } else { "status" });
                line.set_text_content(Some(text));
            }
            None => set_status_in_island(island, text),
        }
    }

    fn set_status_in_island(island: Option<&Element>, text: &str) {
        if let Some(line) =
            island.and_then(|i| i.query_selector("[data-island-status]").ok().flatten())
        {
            let _ = line.set_attribute("class", "form-status");
            line.set_text_content(Some(text));
        }
    }

    fn clear_errors(form: &HtmlFormElement) {
        if let Ok(list) = form.query_selector_all(".field-error[data-client]") {
            for i in 0..list.length() {
                if let Some(node) = list.item(i)
                    && let Some(parent) = node.parent_node()
                {
                    let _ = parent.remove_child(&node);
                }
            }
        }
        if let Ok(list) = form.query_selector_all("[aria-invalid]") {
            for i in 0..list.length() {
                if let Some(element) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    let _ = element.remove_attribute("aria-invalid");
                }
            }
        }
    }

    /// Shows `text` before the field named `name`; the field, or `None` when the form has no
    /// such field (the message then goes to the status line).
    fn show_field_error(
        form: &HtmlFormElement,
        name: &str,
        text: &str,
    ) -> Result<Option<Element>, JsValue> {
        if name.is_empty() {
            return Ok(None);
        }
        let Some(input) = form.query_selector(&format!("[name=\"{}\"]", name.replace('"', "")))?
        else {
            return Ok(None);
        };
        let error_id = format!("champ-{name}-erreur-client");
        let note = document()?.create_element("p")?;
        note.set_attribute("class", "field-error")?;
        note.set_attribute("data-client", "")?;
        note.set_attribute("id", &error_id)?;
        note.set_text_content(Some(text));
        let anchor = input
            .closest("fieldset")?
            .and_then(|f| f.query_selector("ul").ok().flatten())
            .unwrap_or_else(|| input.clone());
        if let Some(parent) = anchor.parent_node() {
            parent.insert_before(&note, Some(&anchor))?;
        }
        input.set_attribute("aria-invalid", "true")?;
        input.set_attribute("aria-describedby", &error_id)?;
        Ok(Some(input))
    }

    fn focus(element: Option<Element>) {
        if let Some(element) = element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
            let _ = element.focus();
        }
    }
}
