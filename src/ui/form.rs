//! Form pieces shared by the features: a labelled field that shows its error, and the outcome of
//! a form post that failed, which the server hands to the page it renders again.

use leptos::prelude::*;

/// What a rejected form post leaves for the page: the values typed (never passwords) and the
/// French messages, by field name (`""` for the whole form).
#[derive(Debug, Clone, Default)]
pub struct FormOutcome {
    pub values: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

impl FormOutcome {
    pub fn error(field: &str, message: impl Into<String>) -> Self {
        FormOutcome {
            values: Vec::new(),
            errors: vec![(field.to_owned(), message.into())],
        }
    }
    pub fn value(&self, field: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, value)| value.as_str())
    }
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, message)| message.as_str())
    }
}

/// The outcome for this render, if the server is answering a rejected post.
pub fn form_outcome() -> FormOutcome {
    use_context::<FormOutcome>().unwrap_or_default()
}

/// Server side: puts the outcome the form handler stored in the request into the page context.
#[cfg(feature = "ssr")]
pub fn provide_form_outcome() {
    if let Some(outcome) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<FormOutcome>().cloned())
    {
        provide_context(outcome);
    }
}

/// The ids that tie a field's label, hint and error together for assistive technologies.
struct FieldParts {
    id: String,
    hint_id: Option<String>,
    error: Option<String>,
    error_id: Option<String>,
    described_by: Option<String>,
}

fn field_parts(name: &str, hint: Option<&str>, outcome: &FormOutcome) -> FieldParts {
    let id = format!("champ-{name}");
    let error = outcome.error_for(name).map(str::to_owned);
    let hint_id = hint.map(|_| format!("{id}-aide"));
    let error_id = error.as_ref().map(|_| format!("{id}-erreur"));
    let described_by = [hint_id.clone(), error_id.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    FieldParts {
        id,
        hint_id,
        error,
        error_id,
        described_by: (!described_by.is_empty()).then_some(described_by),
    }
}

/// A labelled input. Its error (if the last post was rejected) is tied to it for screen readers.
#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    let outcome = form_outcome();
    // Passwords are never sent back to the page.
    let value = if kind == "password" {
        None
    } else {
        outcome.value(name).map(str::to_owned).or(value)
    };
    let FieldParts {
        id,
        hint_id,
        error,
        error_id,
        described_by,
    } = field_parts(name, hint, &outcome);
    view! {
        <div class="field" class:has-error=error.is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            {error.clone().map(|message| view! { <p class="field-error" id=error_id.clone()>{message}</p> })}
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=described_by
                required=required
            />
        </div>
    }
}

/// The message for the whole form (field `""`), or the list of field errors, at the top.
#[component]
pub fn FormErrors() -> impl IntoView {
    let outcome = form_outcome();
    (!outcome.errors.is_empty()).then(|| {
        let general = outcome.error_for("").map(str::to_owned);
        let count = outcome.errors.iter().filter(|(f, _)| !f.is_empty()).count();
        view! {
            <div class="form-errors" role="alert" tabindex="-1">
                {general.map(|message| view! { <p>{message}</p> })}
                {(count > 0).then(|| view! {
                    <p>{if count == 1 { "Un champ est à corriger.".to_owned() } else { format!("{count} champs sont à corriger.") }}</p>
                })}
            </div>
        }
    })
}

/// A confirmation shown after a successful post (post/redirect/get), chosen from the URL's
/// `message` code among the page's known codes: no text from the URL reaches the page.
#[component]
pub fn Notice(known: &'static [(&'static str, &'static str)]) -> impl IntoView {
    let code = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("message"));
    let text = code.and_then(|code| {
        known
            .iter()
            .find(|(known_code, _)| *known_code == code)
            .map(|(_, text)| *text)
    });
    text.map(|text| view! { <p class="notice" role="status">{text}</p> })
}

/// A labelled multi-line field, like [`Field`].
#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
) -> impl IntoView {
    let outcome = form_outcome();
    let error = outcome.error_for(name).map(str::to_owned);
    let value = outcome
        .value(name)
        .map(str::to_owned)
        .or(value)
        .unwrap_or_default();
    let id = format!("champ-{name}");
    let hint_id = hint.map(|_| format!("{id}-aide"));
    let error_id = error.as_ref().map(|_| format!("{id}-erreur"));
    let described_by = [hint_id.clone(), error_id.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <div class="field" class:has-error=error.is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            {error.clone().map(|message| view! { <p class="field-error" id=error_id.clone()>{message}</p> })}
            <textarea
                id=id
                name=name
                rows="6"
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=described_by
            >
                {value}
            </textarea>
        </div>
    }
}
