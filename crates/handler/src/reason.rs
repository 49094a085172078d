//! Why a run could not go on, typed. The words come from `rulekit_model::text`, in the language of
//! whoever reads them: the portal's for the workflow, the handler's `--lang` for its own store,
//! English in the structured logs.

use rulekit_model::text::{run_note, Lang, RunNote};
use rulekit_model::{CrmEntity, Invalid, Localized};
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// The run names a rule this handler does not have.
    NoSuchRule { code: String },
    /// Properties with wrong values: each property's names, and what is wrong.
    BadValues(Vec<(Localized, Invalid)>),
    /// The rule does not work on the run's document.
    WrongDocument { document: String, accepts: Vec<CrmEntity> },
    /// The portal answered a call with an error.
    PortalRefused { code: String, description: String, status: u16 },
    PortalSilent { seconds: u64 },
    PortalUnreachable,
    /// The portal's answer lacked what the method promises.
    PortalAnswerIncomplete { method: &'static str },
    ExpiredNoCredentials,
    RefreshRefused { status: u16 },
    /// Still `expired_token` after every refresh the run was allowed.
    TokenExpired,
    StoreFailed,
    ProgressUnreadable,
}

impl Reason {
    /// Whether the portal (or the handler's own store) caused the failure, so that running the
    /// same run again later can succeed: then the workflow's step is left open for a retry from
    /// the console. A run whose rule, values or document are wrong would fail the same way again,
    /// so its step is closed with the reason.
    pub fn retry_can_help(&self) -> bool {
        !matches!(self, Reason::NoSuchRule { .. } | Reason::BadValues(_) | Reason::WrongDocument { .. })
    }

    /// The reason in a language, as one or more sentences.
    pub fn text(&self, lang: Lang) -> String {
        let say = |note: RunNote| run_note(lang, &note);
        match self {
            Reason::NoSuchRule { code } => say(RunNote::NoSuchRule { code }),
            Reason::BadValues(found) => found
                .iter()
                .map(|(name, invalid)| say(RunNote::BadValue { property: name.get(lang.code()), invalid }))
                .collect::<Vec<_>>()
                .join(" "),
            Reason::WrongDocument { document, accepts } => say(RunNote::WrongDocument { document, accepts }),
            Reason::PortalRefused { code, description, status } => say(RunNote::PortalRefused { code, description, status: *status }),
            Reason::PortalSilent { seconds } => say(RunNote::PortalSilent { seconds: *seconds }),
            Reason::PortalUnreachable => say(RunNote::PortalUnreachable),
            Reason::PortalAnswerIncomplete { method } => say(RunNote::PortalAnswerIncomplete { method }),
            Reason::ExpiredNoCredentials => say(RunNote::ExpiredNoCredentials),
            Reason::RefreshRefused { status } => say(RunNote::RefreshRefused { status: *status }),
            Reason::TokenExpired => say(RunNote::TokenExpired),
            Reason::StoreFailed => say(RunNote::StoreFailed),
            Reason::ProgressUnreadable => say(RunNote::ProgressUnreadable),
        }
    }
}

/// English, for the structured logs.
impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_in_the_reader_s_language() {
        let refused = Reason::PortalRefused { code: "NOT_FOUND".into(), description: "Not found.".into(), status: 400 };
        assert_eq!(refused.to_string(), "The portal refused the call: NOT_FOUND: Not found. (400).");
        assert!(refused.text(Lang::De).starts_with("Das Portal hat den Aufruf abgelehnt: NOT_FOUND"));
        let name = Localized::from_pairs([("en", "Title"), ("de", "Titel")]);
        let bad = Reason::BadValues(vec![(name.clone(), Invalid::Required), (name, Invalid::NotInteger("x".into()))]);
        assert_eq!(bad.text(Lang::En), "Title: This field is required. Title: \"x\" is not a whole number. Enter one, or insert a field.");
        assert!(bad.text(Lang::De).starts_with("Titel: "));
    }
}
