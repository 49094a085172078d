//! What was wrong, as typed values: with data the portal sent (`Problem`), and with a value a
//! person entered (`Invalid`). `text` words them so a person can act on them; this module imports
//! nothing, so every other one can use it.
//!
//! A problem never stops the parse: the part it names is skipped or read as best it can be, and
//! the rest of the form still works.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where, as a path into the data: `properties.quantity.MULTIPLE`.
    pub at: String,
    pub kind: ProblemKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The whole text is not JSON; the parser's own words follow.
    NotJson(String),
    /// A map was expected and something else came.
    NotAMap,
    /// A property descriptor has no name; the code is shown instead.
    NoName,
    /// A Y/N flag had a value that is neither.
    NotAFlag(String),
    /// A value could not be read as text or a list of texts.
    UnreadableValue,
    /// A single-valued property arrived with several values; all are kept, joined by commas.
    SeveralValues(usize),
    /// A select without options: it is shown as a text field.
    NoOptions,
    /// Nested deeper than `depth::MAX_DEPTH` (more than JSON text can hold): skipped.
    TooDeep,
}

impl Problem {
    pub fn new(at: impl Into<String>, kind: ProblemKind) -> Self {
        Problem { at: at.into(), kind }
    }
}

/// What is wrong with one value of a property (see `validate`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invalid {
    Required,
    NotInteger(String),
    NotNumber(String),
    NotYesNo(String),
    NotDate(String),
    NotDatetime(String),
    NotAnOption(String),
    NotAUser(String),
    /// A `{{Name}}` that no document field or template item carries: it would be saved as text.
    UnknownField(String),
    /// A whole number outside what the rule can use (`due_in_days` past ten years).
    OutOfRange { value: String, min: i64, max: i64 },
}
