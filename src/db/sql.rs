//! A statement built piece by piece (filters that depend on the request): text with `$n`
//! placeholders, which both SQLite and PostgreSQL accept, and the values they stand for.

use sqlx::any::AnyArguments;

/// A statement under construction: text with `$n` placeholders and the values they stand for.
#[derive(Default)]
pub struct Sql {
    pub text: String,
    args: Vec<Arg>,
}

#[derive(Clone)]
pub enum Arg {
    Text(String),
    Int(i64),
    Float(f64),
    /// A NULL of the column's type (PostgreSQL checks it).
    NullText,
    NullInt,
    NullFloat,
}

impl Sql {
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }
    /// Appends a placeholder for `arg`.
    pub fn bind(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        let n = self.args.len();
        self.text.push_str(&format!("${n}"));
        self
    }
    pub fn bind_text(&mut self, value: &str) -> &mut Self {
        self.bind(Arg::Text(value.to_owned()))
    }
    /// Appends `$a, $b, …` for every value of `args`.
    pub fn bind_list(&mut self, args: impl IntoIterator<Item = Arg>) -> &mut Self {
        for (i, arg) in args.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(arg);
        }
        self
    }
    pub fn arguments(&self) -> AnyArguments<'static> {
        use sqlx::Arguments;
        let mut arguments = AnyArguments::default();
        for arg in &self.args {
            // Encoding a string or an integer for the Any driver cannot fail.
            let _ = match arg {
                Arg::Text(text) => arguments.add(text.clone()),
                Arg::Int(n) => arguments.add(*n),
                Arg::Float(x) => arguments.add(*x),
                Arg::NullText => arguments.add(None::<String>),
                Arg::NullInt => arguments.add(None::<i64>),
                Arg::NullFloat => arguments.add(None::<f64>),
            };
        }
        arguments
    }
}
