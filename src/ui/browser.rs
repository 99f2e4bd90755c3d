//! Browser-side helpers for the islands that enhance server-rendered pages by fetching the same
//! pages the server would show without JavaScript and swapping parts of them in.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, DomParser, RequestInit, Response, SupportedType};

/// Fetches `url` (a GET, or a form POST when `form_body` is given, with the session cookie) and
/// parses the HTML answer. Redirects are followed; `Response::url()` tells where they ended.
pub async fn fetch_page(
    url: &str,
    form_body: Option<String>,
) -> Result<(Response, Document), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let init = RequestInit::new();
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    if let Some(body) = form_body {
        init.set_method("POST");
        let headers = web_sys::Headers::new()?;
        headers.append("content-type", "application/x-www-form-urlencoded")?;
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(&body));
    }
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await?
        .dyn_into()?;
    let html = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    let document = DomParser::new()?.parse_from_string(&html, SupportedType::TextHtml)?;
    Ok((response, document))
}

/// The filled fields of `form` as a URL query: an empty field (« près de » left blank) says
/// nothing, so the address keeps only what the visitor asked.
pub fn form_query(form: &web_sys::HtmlFormElement) -> Result<String, JsValue> {
    let data = web_sys::FormData::new_with_form(form)?;
    let query =
        String::from(web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data)?.to_string());
    // `name=` is an empty value: an `=` inside a value is encoded (`%3D`).
    Ok(query
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.ends_with('='))
        .collect::<Vec<_>>()
        .join("&"))
}

pub fn document() -> Result<Document, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or(JsValue::NULL)
}

/// Posts a URL-encoded `body` to a server function and reads its JSON answer: the status and
/// the parsed value (a `Done` on success, an error with its French `message` otherwise).
pub async fn post_form(url: &str, body: String) -> Result<(u16, JsValue), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let init = RequestInit::new();
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    init.set_method("POST");
    let headers = web_sys::Headers::new()?;
    headers.append("content-type", "application/x-www-form-urlencoded")?;
    headers.append("accept", "application/json")?;
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&body));
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await?
        .dyn_into()?;
    let text = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    let value = js_sys::JSON::parse(&text)?;
    Ok((response.status(), value))
}

/// Counts the calling island as hydrated in `<html data-islands="n">` once its first effects run,
/// so a browser test can wait until clicks reach every island (the loader's own globals appear
/// before the WebAssembly is even instantiated).
pub fn count_hydrated() {
    leptos::prelude::Effect::new(|| {
        if let Some(root) = document().ok().and_then(|d| d.document_element()) {
            let count = root
                .get_attribute("data-islands")
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(0);
            let _ = root.set_attribute("data-islands", &(count + 1).to_string());
        }
    });
}
