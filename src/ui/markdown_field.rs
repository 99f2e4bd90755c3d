//! A Markdown field with its preview: « Prévisualiser » without JavaScript (the form replayed
//! with `PREVIEW_FIELD`), and as one types with the `LivePreview` island, which posts to the
//! endpoint named by the preview's `data-preview-endpoint`.

use crate::ui::form::TextArea;
use crate::ui::form::form_outcome;
use leptos::prelude::*;

/// Set in a replayed form when it is shown for its preview.
pub const PREVIEW_FIELD: &str = "__apercu";

/// The preview of the text typed, when the editor's page is shown for it (no JavaScript).
pub fn replayed_preview() -> Option<String> {
    let outcome = form_outcome();
    outcome.value(PREVIEW_FIELD)?;
    let body = outcome.value("body").unwrap_or_default().to_owned();
    #[cfg(feature = "ssr")]
    let html = crate::markdown::to_safe_html(&body);
    #[cfg(not(feature = "ssr"))]
    let html = {
        let _ = body;
        String::new()
    };
    Some(html)
}

/// The Markdown field with its preview: the « Prévisualiser » button of the form shows it
/// without JavaScript; with JavaScript it follows the typing.
#[component]
/// `endpoint` is the server function that renders the preview (its `/api/…` path).
pub fn MarkdownBody(#[prop(into)] value: String, endpoint: &'static str) -> impl IntoView {
    let preview = replayed_preview();
    view! {
        <LivePreview>
            <TextArea name="body" label="Texte" rows=18 value
                hint="En Markdown : une ligne vide entre les paragraphes, ## pour un intertitre, **gras**, *italique*, [texte du lien](adresse), - pour une liste. Un lien vers une fiche de l'annuaire, un club ou un événement du portail l'ajoute aux pages citées." />
            <section class="preview" aria-labelledby="apercu-titre">
                <h2 id="apercu-titre">"Aperçu"</h2>
                <div class="prose" data-preview data-preview-endpoint=endpoint inner_html=preview.unwrap_or_default()></div>
            </section>
        </LivePreview>
    }
}

/// With JavaScript, the preview under the Markdown field follows the typing: after a pause the
/// text goes to the server, which answers the cleaned HTML (the same rendering as the save).
#[island]
pub fn LivePreview(children: Children) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    crate::ui::browser::count_hydrated();
    let on_input = move |event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        browser::schedule(event);
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    };
    view! { <div class="live-preview" on:input=on_input>{children()}</div> }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::{Cell, RefCell};

    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{Element, HtmlTextAreaElement};

    thread_local! {
        static PENDING: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
        static LATEST: Cell<u32> = const { Cell::new(0) };
    }

    pub fn schedule(event: leptos::ev::Event) {
        let Some(area) = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlTextAreaElement>().ok())
        else {
            return;
        };
        PENDING.with(|pending| {
            if let Some(handle) = pending.borrow_mut().take() {
                handle.clear();
            }
            let refresh = move || {
                leptos::task::spawn_local(async move {
                    // A failed preview leaves the last one; the button still works.
                    let _ = refresh(area).await;
                })
            };
            *pending.borrow_mut() =
                set_timeout_with_handle(refresh, std::time::Duration::from_millis(400)).ok();
        });
    }

    async fn refresh(area: HtmlTextAreaElement) -> Result<(), JsValue> {
        let island: Element = area.closest(".live-preview")?.ok_or(JsValue::NULL)?;
        let target = island
            .query_selector("[data-preview]")?
            .ok_or(JsValue::NULL)?;
        let request = LATEST.with(|latest| {
            latest.set(latest.get().wrapping_add(1));
            latest.get()
        });
        let endpoint = target
            .get_attribute("data-preview-endpoint")
            .ok_or(JsValue::NULL)?;
        let params = web_sys::UrlSearchParams::new()?;
        params.append("body", &area.value());
        let (status, value) =
            crate::ui::browser::post_form(&endpoint, String::from(params.to_string())).await?;
        if status == 200
            && LATEST.with(Cell::get) == request
            && let Some(html) = value.as_string()
        {
            target.set_inner_html(&html);
        }
        Ok(())
    }
}
