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
//! - a form (or its clicked button) with `data-optimistic="text"` shows the change at once: the
//!   text replaces its row's `[data-row-state]` and the row (`[data-row]`) is marked pending; a
//!   refusal puts the row back as it was, with the server's message;
//! - a refusal because the state changed meanwhile (409, someone else decided first) also swaps
//!   in the fresh parts, so the list shows what is true now, and says what happened;
//! - after a swap that removed the form, focus goes to the refreshed part that held it (the
//!   list, when it has `tabindex="-1"`), and the island's status line announces the result;
//! - a form with `data-autosave` is sent each time one of its fields changes (a ticked box
//!   saves at once); a change made while a post is on its way sends the form again when that
//!   post is answered, and focus stays on the field the visitor is using;
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
    #[cfg(feature = "hydrate")]
    crate::ui::browser::count_hydrated();
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
    let on_change = move |event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        browser::change(event);
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    };
    view! {
        <div class="enhanced" on:submit=on_submit on:click=on_click on:change=on_change>
            <p class="island-status" role="status" data-island-status tabindex="-1"></p>
            {children()}
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

    /// A field of a `data-autosave` form changed: send the form.
    pub fn change(event: leptos::ev::Event) {
        let Some(form) = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|e| e.closest("form[data-autosave][data-fn]").ok().flatten())
            .and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        if form.get_attribute("aria-busy").as_deref() == Some("true") {
            // Sent again when the post on its way is answered.
            let _ = form.set_attribute("data-again", "");
            return;
        }
        let _ = form.request_submit();
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
            set_status_in_island(island.as_ref(), "", false, false);
            let _ = form.set_attribute("aria-busy", "true");
            let shown = show_change(&form, submitter.as_ref());
            let outcome = send(&form, submitter.as_ref(), &endpoint, island.as_ref()).await;
            let _ = form.remove_attribute("aria-busy");
            if form.has_attribute("data-again") {
                let _ = form.remove_attribute("data-again");
                let _ = form.request_submit();
                return;
            }
            match outcome {
                Ok(true) => {}
                Ok(false) => {
                    if let Some(shown) = shown {
                        shown.undo();
                    }
                }
                Err(_) => {
                    if let Some(shown) = shown {
                        shown.undo();
                    }
                    // The answer could not be used: post the plain form, the server answers
                    // as without JavaScript.
                    set_status(&form, island.as_ref(), "", false);
                    let _ = form.submit();
                }
            }
        });
    }

    /// A change shown before the server answered, and how to take it back.
    struct Shown {
        row: Element,
        state: Option<(Element, Option<String>)>,
    }

    impl Shown {
        fn undo(self) {
            if let Some((state, text)) = self.state {
                state.set_text_content(text.as_deref());
            }
            let _ = self.row.class_list().remove_1("row-pending");
            let _ = self.row.remove_attribute("aria-busy");
        }
    }

    /// Shows the change the form asks for in its row, at once (`data-optimistic` on the clicked
    /// button or on the form).
    fn show_change(form: &HtmlFormElement, submitter: Option<&HtmlElement>) -> Option<Shown> {
        let text = submitter
            .and_then(|b| b.get_attribute("data-optimistic"))
            .or_else(|| form.get_attribute("data-optimistic"))?;
        let row = form.closest("[data-row]").ok().flatten()?;
        let state = row
            .query_selector("[data-row-state]")
            .ok()
            .flatten()
            .map(|state| {
                let before = state.text_content();
                state.set_text_content(Some(&text));
                (state, before)
            });
        let _ = row.class_list().add_1("row-pending");
        let _ = row.set_attribute("aria-busy", "true");
        Some(Shown { row, state })
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

    /// Fetches `location` and replaces each part named by `refresh` (comma-separated selectors)
    /// with the fresh one. Returns the fresh part that replaced the one holding `form`, or
    /// `Err` when a part is missing (the caller then goes to the page).
    async fn swap(
        refresh: &str,
        location: &str,
        form: &HtmlFormElement,
    ) -> Result<Option<Element>, JsValue> {
        let (response, page) = fetch_page(location, None).await?;
        if !response.ok() {
            return Err(JsValue::NULL);
        }
        let document = document()?;
        let mut swaps = Vec::new();
        for selector in refresh.split(',').map(str::trim) {
            match (
                document.query_selector(selector)?,
                page.query_selector(selector)?,
            ) {
                (Some(old), Some(new)) => swaps.push((old, new)),
                _ => return Err(JsValue::NULL),
            }
        }
        let mut holder = None;
        for (old, new) in swaps {
            if old.contains(Some(form)) {
                holder = Some(new.clone());
            }
            old.replace_with_with_node_1(&new)?;
        }
        Ok(holder)
    }

    /// After a swap: focus and status on the form when it is still there (found again by its
    /// id), else on the refreshed part that held it, or the island's status line.
    fn settle(
        form: &HtmlFormElement,
        form_id: Option<String>,
        holder: Option<Element>,
        island: Option<&Element>,
        message: &str,
        error: bool,
    ) -> Result<(), JsValue> {
        let document = document()?;
        let current = if form.is_connected() {
            Some(form.clone().unchecked_into::<Element>())
        } else {
            form_id.and_then(|id| document.get_element_by_id(&id))
        };
        let current = current.and_then(|f| f.dyn_into::<HtmlFormElement>().ok());
        // One place says it: the form's own line, or the island's when the form is gone.
        set_status_in_island(
            island,
            if current.is_none() { message } else { "" },
            error,
            current.is_none(),
        );
        match current {
            Some(current) => {
                set_status(&current, island, message, error);
                // A form saved as the visitor ticks keeps their place.
                if !current.has_attribute("data-autosave") {
                    focus(current.query_selector("button, input:not([type=hidden])")?);
                }
            }
            None => match holder.filter(|h| h.has_attribute("tabindex")) {
                Some(holder) => focus(Some(holder)),
                None => focus(
                    island.and_then(|i| i.query_selector("[data-island-status]").ok().flatten()),
                ),
            },
        }
        Ok(())
    }

    /// Posts the form. `Ok(true)` when the server accepted it, `Ok(false)` when it refused
    /// (messages shown), `Err` when its answer could not be used.
    async fn send(
        form: &HtmlFormElement,
        submitter: Option<&HtmlElement>,
        endpoint: &str,
        island: Option<&Element>,
    ) -> Result<bool, JsValue> {
        let (status, answer) = post_form(endpoint, body(form, submitter)?).await?;
        let field = |name: &str| js_sys::Reflect::get(&answer, &JsValue::from_str(name)).ok();
        let text = |name: &str| field(name).and_then(|v| v.as_string()).unwrap_or_default();
        clear_errors(form);
        let refresh = form.get_attribute("data-refresh").unwrap_or_default();
        // The form is found again by its id after a swap, to keep the visitor's place.
        let form_id = form.get_attribute("id").filter(|id| !id.is_empty());
        if (200..300).contains(&status) {
            let location = text("location");
            let message = text("message");
            if refresh.is_empty() || location.is_empty() {
                go(&location)?;
                return Ok(true);
            }
            match swap(&refresh, &location, form).await {
                Ok(holder) => settle(form, form_id, holder, island, &message, false)?,
                Err(_) => go(&location)?,
            }
            return Ok(true);
        }
        let message = text("message");
        if message.is_empty() {
            return Err(JsValue::NULL);
        }
        if status == 409 && !refresh.is_empty() {
            // Someone else changed this meanwhile: show what is true now, and say what happened.
            let here = web_sys::window().ok_or(JsValue::NULL)?.location().href()?;
            if let Ok(holder) = swap(&refresh, &here, form).await {
                settle(form, form_id, holder, island, &message, true)?;
                return Ok(false);
            }
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
        Ok(false)
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
            None => set_status_in_island(island, text, error, true),
        }
    }

    /// The island's own status line: always read out by screen readers, shown on the page
    /// only when no form line shows the same words (`visible`).
    fn set_status_in_island(island: Option<&Element>, text: &str, error: bool, visible: bool) {
        if let Some(line) =
            island.and_then(|i| i.query_selector("[data-island-status]").ok().flatten())
        {
            let class = match (visible, error) {
                (false, _) => "island-status visually-hidden",
                (true, true) => "island-status error",
                (true, false) => "island-status",
            };
            let _ = line.set_attribute("class", class);
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
