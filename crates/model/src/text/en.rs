//! English: the default, and the language every unknown portal language falls back to.

use super::{join, RunNote, Ui};
use crate::document::{CrmEntity, DocumentId};
use crate::problem::{Invalid, ProblemKind};

/// The portal language ids served in English (the first is the language's own).
pub const CODES: &[&str] = &["en"];

pub static UI: Ui = Ui {
    app_name: "rulekit",
    loading: "Loading the rule's settings…",
    required: "required",
    add_item: "Add",
    remove_item: "Remove",
    move_up: "Move up",
    move_down: "Move down",
    insert_field: "Insert a field",
    picker_title: "Insert a value from",
    picker_filter: "Find a field",
    picker_empty: "Nothing matches.",
    close: "Close",
    clear_expression: "Clear the expression",
    yes: "Yes",
    no: "No",
    not_set: "(not set)",
    unknown_choice: "not in the list",
    choose_user: "Choose a user",
    choose_users: "Choose users",
    find_person: "Find a person…",
    searching: "Searching…",
    search_failed: "The search failed. Try again, or choose in the portal.",
    no_one_found: "No one found.",
    role: "role",
    roles: ["Author", "Responsible person", "Responsible person's supervisor"],
    matches_no_user: "matches no user",
    calendar: "Calendar",
    group_document: "Document",
    group_parameters: "Template parameters",
    group_variables: "Variables",
    group_constants: "Constants",
    group_global_variables: "Global variables",
    group_global_constants: "Global constants",
    group_step: "Step",
    options_problems: "Some of the rule's settings could not be read. The rest of the form works:",
    no_properties: "This rule has no settings to fill in.",
    raw_type: "Kept as entered",
    outside_title: "This page belongs inside Bitrix24",
    outside_not_framed: "It was opened on its own, not inside a Bitrix24 portal.",
    outside_no_library: "The Bitrix24 library (BX24.js) did not load or could not start here.",
    outside_what_to_do: "Open the automation rule's settings in your Bitrix24 portal (CRM → Automation rules, or the workflow designer) and this form appears there. To try it without a portal, run the local sandbox: cargo xtask run.",
    portal_silent: "The portal did not answer. Close the settings and open them again; if it keeps happening, reload the page.",
    main_intro: "rulekit gives your automation rules their own settings screen.",
    open_console: "Open the rulekit console",
    unknown_placement: "This placement is not one rulekit serves",
    fields_to_check: "Fields to check",
    go_to_first: "Go to the first",
    unknown_expression: "is not among the fields of this document or template; it is kept as stored.",
    loading_choices: "Loading the list…",
    choices_failed: "The list could not be loaded. Enter the ID instead.",
    not_in_list: "not in the list",
    choices_empty: "Nothing matches.",};

pub fn problem(at: &str, kind: &ProblemKind) -> String {
    match kind {
        ProblemKind::NotJson(e) => format!("{at}: not valid JSON ({e})."),
        ProblemKind::NotAMap => format!("{at}: expected a list of named entries; ignored."),
        ProblemKind::NoName => format!("{at}: the property has no name; its code is shown instead."),
        ProblemKind::NotAFlag(v) => format!("{at}: \"{v}\" is neither Y nor N; read as N."),
        ProblemKind::UnreadableValue => format!("{at}: the saved value could not be read; it is kept as raw text."),
        ProblemKind::SeveralValues(n) => format!("{at}: {n} values for a single-value property; all are kept, joined by commas."),
        ProblemKind::NoOptions => format!("{at}: a list without options; shown as a text field."),
        ProblemKind::TooDeep => format!("{at}: nested deeper than {} levels; ignored.", crate::depth::MAX_DEPTH),
    }
}

pub fn invalid(invalid: &Invalid) -> String {
    match invalid {
        Invalid::Required => "This field is required.".into(),
        Invalid::NotInteger(v) => format!("\"{v}\" is not a whole number. Enter one, or insert a field."),
        Invalid::NotNumber(v) => format!("\"{v}\" is not a number. Enter one, such as 2.5, or insert a field."),
        Invalid::NotYesNo(v) => format!("\"{v}\" is neither yes (Y) nor no (N)."),
        Invalid::NotDate(v) => format!("\"{v}\" is not a date. Use the calendar, or write it as 2026-11-27."),
        Invalid::NotDatetime(v) => format!("\"{v}\" is not a date and time. Use the calendar, or write it as 2026-11-27 14:30."),
        Invalid::NotAnOption(v) => format!("\"{v}\" is not one of the choices."),
        Invalid::NotAUser(v) => format!("\"{v}\" is not a user. Choose one, or enter a role such as Author."),
        Invalid::UnknownField(v) => format!("{{{{{v}}}}} names no known field; it will be saved as plain text."),
        Invalid::OutOfRange { value, min, max } => format!("\"{value}\" is out of range. Enter a whole number from {min} to {max}."),
    }
}

fn entities(entity: CrmEntity) -> &'static str {
    match entity {
        CrmEntity::Lead => "leads",
        CrmEntity::Deal => "deals",
        CrmEntity::Contact => "contacts",
        CrmEntity::Company => "companies",
        CrmEntity::Quote => "quotes",
        CrmEntity::SmartInvoice => "invoices",
        CrmEntity::Dynamic(_) => "smart process items",
    }
}

pub fn document(d: &DocumentId) -> String {
    let noun = match d.entity {
        CrmEntity::Lead => "lead",
        CrmEntity::Deal => "deal",
        CrmEntity::Contact => "contact",
        CrmEntity::Company => "company",
        CrmEntity::Quote => "quote",
        CrmEntity::SmartInvoice => "invoice",
        CrmEntity::Dynamic(_) => "smart process item",
    };
    format!("{noun} {}", d.id)
}

pub fn run_note(note: &RunNote) -> String {
    match note {
        RunNote::NoSuchRule { code } => format!("rulekit has no rule \"{code}\"; re-register the app's rules."),
        RunNote::BadValue { property, invalid: i } => format!("{property}: {}", invalid(i)),
        RunNote::WrongDocument { document, accepts } => {
            let kinds: Vec<&str> = accepts.iter().map(|e| entities(*e)).collect();
            format!("This rule works on {}; it was started on \"{document}\".", join(&kinds, "and"))
        }
        RunNote::PortalRefused { code, description: "", status } => {
            format!("The portal refused the call: {code} ({status}).")
        }
        RunNote::PortalRefused { code, description, status } => format!("The portal refused the call: {code}: {description} ({status})."),
        RunNote::PortalSilent { seconds } => format!("The portal did not answer within {seconds} s."),
        RunNote::PortalUnreachable => "The portal could not be reached.".into(),
        RunNote::PortalAnswerIncomplete { method } => format!("The portal's answer to {method} lacked what it should carry."),
        RunNote::ExpiredNoCredentials => {
            "The access token expired and the handler has no client credentials to refresh it; start it with --client-id and --client-secret.".into()
        }
        RunNote::RefreshRefused { status } => format!("The OAuth server refused to refresh the access token ({status}); reinstall the app."),
        RunNote::TokenExpired => "The portal kept refusing the access token as expired, even after it was refreshed; reinstall the app.".into(),
        RunNote::StoreFailed => "The handler could not save the run's progress.".into(),
        RunNote::ProgressUnreadable => "The handler could not read what an earlier attempt of this run had done, and stopped rather than do it twice.".into(),
        RunNote::WaitsForRetry => "The step waits: a portal administrator can retry this run from the rulekit console (Runs), and the workflow then goes on with its result.".into(),
        RunNote::NotFinished { done: Some(done), why } => format!("{done}, but the rule could not finish. {why}"),
        RunNote::NotFinished { done: None, why } => format!("The rule could not finish. {why}"),
    }
}
