//! Shared rules on text, below every feature: the checks of what people type into forms
//! ([`check`]), the tables of fixed choices ([`choices`]) and French folding for comparison
//! ([`french`]).

pub mod check;
pub mod choices;
pub mod french;
