//! Live results while typing: an island around the search form. The page stays what the server
//! rendered; as the visitor types, the island waits for a pause, fetches the same server page for
//! the form's new URL, swaps its results in and puts that URL in the address bar. No result
//! rendering code reaches the browser, which keeps the WebAssembly small, and without JavaScript
//! the plain GET form does the same job.

use leptos::prelude::*;

/// How long the visitor must pause before the results refresh.
#[cfg(feature = "hydrate")]
const DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(300);

#[island]
pub fn LiveSearch(children: Children) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    crate::ui::browser::count_hydrated();
    // Read out to screen readers after each refresh (« 12 structures »).
    let (status, set_status) = signal(String::new());
    let on_input = move |event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        browser::schedule(event, set_status);
        #[cfg(not(feature = "hydrate"))]
        let _ = (event, set_status);
    };
    view! {
        <div class="live-search" on:input=on_input>
            {children()}
            <p class="visually-hidden" role="status">{status}</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::{Cell, RefCell};

    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{HtmlFormElement, HtmlInputElement};

    use crate::ui::browser::{fetch_page, form_query};

    thread_local! {
        /// The refresh waiting for the visitor to pause.
        static PENDING: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
        /// The number of the newest request: an older answer arriving late is dropped.
        static LATEST: Cell<u32> = const { Cell::new(0) };
    }

    pub fn schedule(event: leptos::ev::Event, status: WriteSignal<String>) {
        let Some(form) = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlInputElement>().ok())
            .and_then(|input| input.form())
        else {
            return;
        };
        PENDING.with(|pending| {
            if let Some(handle) = pending.borrow_mut().take() {
                handle.clear();
            }
            let refresh = move || {
                leptos::task::spawn_local(async move {
                    // A failed refresh leaves the page as it was; the form still submits.
                    let _ = refresh(form, status).await;
                })
            };
            *pending.borrow_mut() = set_timeout_with_handle(refresh, super::DEBOUNCE).ok();
        });
    }

    async fn refresh(form: HtmlFormElement, status: WriteSignal<String>) -> Result<(), JsValue> {
        let url = format!("{}?{}", form.action(), form_query(&form)?);
        let request = LATEST.with(|latest| {
            latest.set(latest.get().wrapping_add(1));
            latest.get()
        });
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let (response, fresh) = fetch_page(&url, None).await?;
        if !response.ok() || LATEST.with(Cell::get) != request {
            return Ok(());
        }
        let document = window.document().ok_or(JsValue::NULL)?;
        let (Some(new_results), Some(old_results)) = (
            fresh.query_selector(".directory")?,
            document.query_selector(".directory")?,
        ) else {
            return Ok(());
        };
        old_results.replace_with_with_node_1(&new_results)?;
        window
            .history()?
            .replace_state_with_url(&JsValue::NULL, "", Some(&url))?;
        if let Some(heading) = document.query_selector("#resultats")? {
            status.set(heading.text_content().unwrap_or_default());
        }
        Ok(())
    }
}
