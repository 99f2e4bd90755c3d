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

/// Whether `value` is a valid value of an `<input type=kind>` (an empty one always is).
fn fits_input_type(kind: &str, value: &str) -> bool {
    value.is_empty()
        || match kind {
            "date" => value.len() == 10 && crate::timestamp::parse_date(value).is_some(),
            "time" => {
                value.len() == 5
                    && value.as_bytes()[2] == b':'
                    && crate::timestamp::parse_time(value).is_some()
            }
            "number" => value.parse::<f64>().is_ok_and(f64::is_finite),
            _ => true,
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
    // Passwords are never sent back to the page; a value that the input's type cannot hold (a
    // date typed « hier » in a browser without date picker) is not either: the HTML would be
    // invalid and the browser would drop it anyway. The error message says what to type.
    let value = if kind == "password" {
        None
    } else {
        outcome
            .value(name)
            .map(str::to_owned)
            .filter(|typed| fits_input_type(kind, typed))
            .or(value)
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

/// A labelled `<select>` that keeps the typed value and shows its error after a refused post.
#[component]
pub fn Choice(
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional)] hint: Option<&'static str>,
    /// The value chosen unless the last post is shown again.
    #[prop(optional, into)]
    value: Option<String>,
) -> impl IntoView {
    let outcome = form_outcome();
    let chosen = outcome
        .value(name)
        .map(str::to_owned)
        .or(value)
        .unwrap_or_default();
    let error = outcome.error_for(name).map(str::to_owned);
    let id = format!("champ-{name}");
    let described = [
        hint.map(|_| format!("{id}-aide")),
        error.as_ref().map(|_| format!("{id}-erreur")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let has_error = error.is_some();
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-aide")>{h}</p> })}
            {error.map(|m| view! { <p class="field-error" id=format!("{id}-erreur")>{m}</p> })}
            <select id=id name=name aria-describedby=(!described.is_empty()).then_some(described)>
                {options.into_iter().map(|(value, text)| {
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
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

/// The text of a `<textarea>` as HTML. Leptos writes a textarea's children as they are (raw
/// text, like `<script>`: leptos-rs/leptos#4819), so a value holding `</textarea>` would end the
/// element and inject markup: `&`, `<` and `>` are escaped here (the browser decodes them back).
/// A first line break is doubled, since the parser drops the one right after the tag.
pub fn textarea_text(value: &str) -> String {
    let escaped = super::escape_text(value);
    if escaped.starts_with('\n') {
        format!("\n{escaped}")
    } else {
        escaped
    }
}

/// A labelled multi-line field, like [`Field`].
#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(default = 6)] rows: u32,
) -> impl IntoView {
    let outcome = form_outcome();
    let value = outcome
        .value(name)
        .map(str::to_owned)
        .or(value)
        .unwrap_or_default();
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
            <textarea
                id=id
                name=name
                rows=rows
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=described_by
            >
                {textarea_text(&value)}
            </textarea>
        </div>
    }
}

/// The answer to an invitation (the button's value): a club's, a consortium's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Answer {
    #[serde(rename = "accepter")]
    Accept,
    #[serde(rename = "decliner")]
    Decline,
}

/// A group of checkboxes sharing one `name` (several values: a `Vec` in the server function).
/// `options` are `(value, label)`; `checked` the values ticked unless the last post is shown
/// again, in which case what was ticked then is kept.
#[component]
pub fn CheckboxGroup(
    name: &'static str,
    legend: &'static str,
    options: Vec<(String, String)>,
    checked: Vec<String>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let outcome = form_outcome();
    let replayed = !outcome.values.is_empty();
    let checked: Vec<String> = if replayed {
        outcome
            .values
            .iter()
            .filter(|(field, _)| field == name)
            .map(|(_, value)| value.clone())
            .collect()
    } else {
        checked
    };
    let FieldParts {
        id,
        hint_id,
        error,
        error_id,
        described_by,
    } = field_parts(name, hint, &outcome);
    view! {
        <fieldset class="field checkbox-group" class:has-error=error.is_some() id=id
            aria-describedby=described_by>
            <legend>{legend}</legend>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            {error.clone().map(|message| view! { <p class="field-error" id=error_id.clone()>{message}</p> })}
            <ul>
                {options.into_iter().enumerate().map(|(i, (value, label))| {
                    let input_id = format!("champ-{name}-{i}");
                    let is_checked = checked.contains(&value);
                    view! {
                        <li>
                            <input type="checkbox" id=input_id.clone() name=name value=value checked=is_checked />
                            <label for=input_id>{label}</label>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </fieldset>
    }
}

/// A repeated form field (several checkboxes with one `name`), as a server function argument.
///
/// A plain form sends `name=a&name=b` (read by the form adapter), the island sends `name[0]=a&
/// name[1]=b` (read by the server function handler); one ticked box is a single `name=a` in
/// both, and none is no field at all. `Many` reads each of these.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Many<T>(pub Vec<T>);

/// Most values one repeated field may hold: forms repeat a field for ticked boxes (sectors,
/// workshops, fields to keep), never this many. More is refused while decoding, before any
/// value is checked, whatever the number sent.
pub const MAX_MANY: usize = 100;

impl<'de, T> serde::Deserialize<'de> for Many<T>
where
    T: std::str::FromStr + PartialEq,
{
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Through `deserialize_option`, as `Option` does, so that a missing field is empty.
        deserializer.deserialize_option(ManyVisitor(std::marker::PhantomData))
    }
}

struct ManyVisitor<T>(std::marker::PhantomData<T>);

impl<T> ManyVisitor<T>
where
    T: std::str::FromStr + PartialEq,
{
    fn parse<E: serde::de::Error>(text: &str) -> Result<T, E> {
        text.trim().parse().map_err(|_| {
            E::custom(format!(
                "valeur incorrecte : {}",
                text.chars().take(40).collect::<String>()
            ))
        })
    }

    /// Adds `value` unless it is there already; too many distinct values is an error.
    fn push<E: serde::de::Error>(values: &mut Vec<T>, value: T) -> Result<(), E> {
        if !values.contains(&value) {
            if values.len() == MAX_MANY {
                return Err(E::custom(format!(
                    "trop de valeurs pour un même champ (au plus {MAX_MANY})"
                )));
            }
            values.push(value);
        }
        Ok(())
    }
}

impl<'de, T> serde::de::Visitor<'de> for ManyVisitor<T>
where
    T: std::str::FromStr + PartialEq,
{
    type Value = Many<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("one value or several")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Many(Vec::new()))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Many(Vec::new()))
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Many(vec![Self::parse(text)?]))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut values = Vec::new();
        while let Some(text) = seq.next_element::<String>()? {
            Self::push(&mut values, Self::parse(&text)?)?;
        }
        Ok(Many(values))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // `name[0]=a&name[1]=b` may arrive as a map of indices.
        let mut indexed: Vec<(usize, T)> = Vec::new();
        while let Some((index, text)) = map.next_entry::<String, String>()? {
            let index = index.parse().map_err(serde::de::Error::custom)?;
            if indexed.len() == MAX_MANY {
                return Err(serde::de::Error::custom(format!(
                    "trop de valeurs pour un même champ (au plus {MAX_MANY})"
                )));
            }
            indexed.push((index, Self::parse(&text)?));
        }
        indexed.sort_by_key(|(index, _)| *index);
        let mut values = Vec::with_capacity(indexed.len());
        for (_, value) in indexed {
            Self::push(&mut values, value)?;
        }
        Ok(Many(values))
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::fits_input_type;

    #[test]
    fn only_values_an_input_can_hold_are_replayed() {
        assert!(fits_input_type("date", "2026-12-15"));
        assert!(!fits_input_type("date", "hier"));
        assert!(!fits_input_type("date", "2026-2-1"));
        assert!(fits_input_type("time", "09:30"));
        assert!(!fits_input_type("time", "9h30"));
        assert!(!fits_input_type("number", "vingt"));
        assert!(fits_input_type("text", "hier"));
        assert!(fits_input_type("date", ""));
    }

    use super::Many;

    #[test]
    fn textarea_text_cannot_end_its_element() {
        assert_eq!(
            super::textarea_text("</textarea><script>alert(1)</script> & co"),
            "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
        );
        assert_eq!(super::textarea_text("\nligne"), "\n\nligne");
    }

    #[derive(Debug, serde::Deserialize)]
    struct Input {
        name: String,
        sectors: Many<String>,
        ids: Many<i64>,
    }

    #[test]
    fn repeated_fields_read_from_plain_forms_and_server_function_bodies() {
        let plain: Input =
            serde_html_form::from_str("name=x&sectors=a&sectors=b&ids=3&ids=4").unwrap();
        let island: Input = serde_qs::Config::new(5, false)
            .deserialize_str("name=x&sectors[0]=a&sectors[1]=b&ids[1]=4&ids[0]=3")
            .unwrap();
        for input in [plain, island] {
            assert_eq!(input.sectors.0, ["a", "b"]);
            assert_eq!(input.ids.0, [3, 4]);
            assert_eq!(input.name, "x");
        }
        let one: Input = serde_html_form::from_str("name=x&sectors=a&ids=5").unwrap();
        assert_eq!((one.sectors.0, one.ids.0), (vec!["a".to_owned()], vec![5]));
        let one: Input = serde_qs::from_str("name=x&sectors=a&ids=5").unwrap();
        assert_eq!((one.sectors.0, one.ids.0), (vec!["a".to_owned()], vec![5]));
        let none: Input = serde_html_form::from_str("name=x").unwrap();
        assert!(none.sectors.0.is_empty() && none.ids.0.is_empty());
        let none: Input = serde_qs::from_str("name=x").unwrap();
        assert!(none.sectors.0.is_empty());
        // Issue 27, finding 2: repeats are one value; past 100 distinct values, refused.
        let repeated: Input =
            serde_html_form::from_str(&format!("name=x{}", "&ids=7".repeat(5_000))).unwrap();
        assert_eq!(repeated.ids.0, [7]);
        let many = (0..100_000)
            .map(|i| format!("&ids={i}"))
            .collect::<String>();
        let error = serde_html_form::from_str::<Input>(&format!("name=x{many}")).unwrap_err();
        assert!(error.to_string().contains("au plus 100"), "{error}");
        let indexed = (0..101)
            .map(|i| format!("&ids[{i}]={i}"))
            .collect::<String>();
        assert!(
            serde_qs::Config::new(5, false)
                .deserialize_str::<Input>(&format!("name=x{indexed}"))
                .is_err()
        );
        assert!(serde_html_form::from_str::<Input>("name=x&ids=abc").is_err());
    }
}

/// A form's page address, declared once beside its server function with
/// [`form_path!`](crate::form_path): the plain route (`Routes::form`) and the form's `action=`
/// both read it, so a form whose address was never declared does not compile and renaming an
/// address is one edit.
pub trait FormPath {
    /// The address in axum's syntax: `/evenements/{slug}/inscription`.
    const FORM_PATH: &'static str;

    /// The address with its `{…}` segments replaced, in order, by `values`.
    fn action(values: &[&str]) -> String {
        fill_path(Self::FORM_PATH, values)
    }
}

/// Declares the page address of a server function's plain form: `form_path!(RegisterForEvent
/// => "/evenements/{slug}/inscription");`.
#[macro_export]
macro_rules! form_path {
    ($function:ty => $path:literal) => {
        impl $crate::ui::form::FormPath for $function {
            const FORM_PATH: &'static str = $path;
        }
    };
}

/// `path` with each `{…}` segment replaced, in order, by `values` (a missing value leaves the
/// segment empty).
pub fn fill_path(path: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(path.len() + 16);
    let mut values = values.iter();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(values.next().copied().unwrap_or_default());
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod form_path_tests {
    use super::*;

    #[test]
    fn form_paths_are_filled_in_order() {
        assert_eq!(
            fill_path("/evenements/{slug}/accueil/{registration}", &["forum", "7"]),
            "/evenements/forum/accueil/7"
        );
        assert_eq!(fill_path("/connexion", &[]), "/connexion");
        assert_eq!(fill_path("/achats/{id}/cloture", &[]), "/achats//cloture");
    }
}
