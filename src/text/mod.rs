//! Shared rules on text, below every feature: the checks of what people type into forms
//! ([`check`]) and French folding for comparison ([`french`]).

pub mod check;
pub mod french;
