//! Every word rulekit shows a person, one module per language: the app's and the console's
//! labels, the model's typed problems and invalid values, and the handler's notes to the workflow.
//!
//! The model itself only returns typed values (`Problem`, `Invalid`, `RunNote`); the functions here
//! render them. Each language file covers every case (the compiler checks it), so adding a
//! language means one new file here and one entry in the `languages!` list below, in this crate
//! only. A rule's own sentences (its name, its properties, what it did) live with its manifest
//! entry, as the portal's registration keeps them.

mod de;
mod en;
mod ru;

use crate::document::{CrmEntity, DocumentId};
use crate::problem::{Invalid, Problem};

/// Declares the languages: the `Lang` enum, the portal language ids each one answers to, and the
/// dispatch from a `Lang` to its module's words.
macro_rules! languages {
    ($default:ident => $dmod:ident $(, $name:ident => $module:ident)* $(,)?) => {
        /// A language rulekit speaks. Every other portal language falls back to one of these.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
        pub enum Lang {
            #[default]
            $default,
            $($name,)*
        }

        impl Lang {
            pub const ALL: &'static [Lang] = &[Lang::$default $(, Lang::$name)*];

            /// From the portal's language id (`BX24.getLang()`, the `LANG` query value,
            /// `LANGUAGE_ID`). Each language file lists the ids it serves; Ukrainian, Belarusian
            /// and Kazakh portals read Russian, as the portal itself falls back for rule names.
            /// Anything unknown reads the default (English).
            pub fn from_code(code: &str) -> Lang {
                let code = code.trim().to_ascii_lowercase();
                $(if $module::CODES.contains(&code.as_str()) {
                    return Lang::$name;
                })*
                Lang::$default
            }

            /// The language's own id (`en`).
            pub fn code(self) -> &'static str {
                match self {
                    Lang::$default => $dmod::CODES[0],
                    $(Lang::$name => $module::CODES[0],)*
                }
            }

            /// The labels of the app's and the console's screens.
            pub fn ui(self) -> &'static Ui {
                match self {
                    Lang::$default => &$dmod::UI,
                    $(Lang::$name => &$module::UI,)*
                }
            }
        }

        /// One sentence about a problem with the portal's data, naming the place.
        pub fn problem(lang: Lang, problem: &Problem) -> String {
            match lang {
                Lang::$default => $dmod::problem(&problem.at, &problem.kind),
                $(Lang::$name => $module::problem(&problem.at, &problem.kind),)*
            }
        }

        /// What is wrong with a value, and what to do about it.
        pub fn invalid(lang: Lang, invalid: &Invalid) -> String {
            match lang {
                Lang::$default => $dmod::invalid(invalid),
                $(Lang::$name => $module::invalid(invalid),)*
            }
        }

        /// A CRM record as a sentence names it: `deal 123`.
        pub fn document(lang: Lang, document: &DocumentId) -> String {
            match lang {
                Lang::$default => $dmod::document(document),
                $(Lang::$name => $module::document(document),)*
            }
        }

        /// A note the handler writes to the workflow's log.
        pub fn run_note(lang: Lang, note: &RunNote) -> String {
            match lang {
                Lang::$default => $dmod::run_note(note),
                $(Lang::$name => $module::run_note(note),)*
            }
        }
    };
}

languages!(En => en, Ru => ru, De => de);

/// The labels of the app's and the console's screens, in one language.
pub struct Ui {
    pub app_name: &'static str,
    pub loading: &'static str,
    pub required: &'static str,
    pub add_item: &'static str,
    pub remove_item: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    pub insert_field: &'static str,
    pub picker_title: &'static str,
    pub picker_filter: &'static str,
    pub picker_empty: &'static str,
    pub close: &'static str,
    pub clear_expression: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub not_set: &'static str,
    pub unknown_choice: &'static str,
    pub choose_user: &'static str,
    pub choose_users: &'static str,
    /// The people search box of a user field: its placeholder and name, and what its list says.
    pub find_person: &'static str,
    pub searching: &'static str,
    pub search_failed: &'static str,
    pub no_one_found: &'static str,
    /// Beside a role in that list.
    pub role: &'static str,
    /// The names of `user::ROLES`, in that order.
    pub roles: [&'static str; crate::user::ROLES.len()],
    /// On a chip whose entry names no user the portal knows.
    pub matches_no_user: &'static str,
    pub calendar: &'static str,
    pub group_document: &'static str,
    pub group_parameters: &'static str,
    pub group_variables: &'static str,
    pub group_constants: &'static str,
    pub group_global_variables: &'static str,
    pub group_global_constants: &'static str,
    pub group_step: &'static str,
    pub options_problems: &'static str,
    pub no_properties: &'static str,
    pub raw_type: &'static str,
    pub outside_title: &'static str,
    pub outside_not_framed: &'static str,
    pub outside_no_library: &'static str,
    pub outside_what_to_do: &'static str,
    pub portal_silent: &'static str,
    pub main_intro: &'static str,
    pub open_console: &'static str,
    pub unknown_placement: &'static str,
    /// Before the number of fields with a problem, at the top of the form.
    pub fields_to_check: &'static str,
    pub go_to_first: &'static str,
    /// After an expression the catalog does not list.
    pub unknown_expression: &'static str,
    pub loading_choices: &'static str,
    pub choices_failed: &'static str,
    /// After a stored key that is not among the loaded choices.
    pub not_in_list: &'static str,
    pub choices_empty: &'static str,
}

/// What the handler tells a workflow, beyond what a rule says in its own words.
#[derive(Clone, Debug, PartialEq)]
pub enum RunNote<'a> {
    /// The run names a rule this handler does not have.
    NoSuchRule { code: &'a str },
    /// A property's value is wrong; `property` is its name in the portal's language.
    BadValue { property: &'a str, invalid: &'a Invalid },
    /// The rule does not work on this kind of document.
    WrongDocument { document: &'a str, accepts: &'a [CrmEntity] },
    /// The portal refused a call: its own error code and text, and the HTTP status.
    PortalRefused { code: &'a str, description: &'a str, status: u16 },
    /// The portal did not answer in time.
    PortalSilent { seconds: u64 },
    /// The portal could not be reached at all.
    PortalUnreachable,
    /// The portal's answer lacked what the call promised (`crm.item.add` without an id).
    PortalAnswerIncomplete { method: &'a str },
    /// The run's access token expired and no client credentials are configured to refresh it.
    ExpiredNoCredentials,
    /// The OAuth server would not refresh the token.
    RefreshRefused { status: u16 },
    /// The portal kept calling the access token expired, even after it was refreshed.
    TokenExpired,
    /// The handler could not record the run's progress, so it stopped rather than risk a step
    /// done twice.
    StoreFailed,
    /// What an earlier attempt recorded could not be read back, so the run stopped rather than
    /// repeat a step.
    ProgressUnreadable,
    /// The rule could not finish; `done` says what it had already done, in the rule's words.
    NotFinished { done: Option<&'a str>, why: &'a str },
    /// Said after a failure the portal caused: the workflow's step stays open, and an
    /// administrator can retry the run from the console, which then answers the workflow.
    WaitsForRetry,
}

/// Joins a list the way the language does: `deals, leads and contacts`.
fn join(items: &[&str], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests;
