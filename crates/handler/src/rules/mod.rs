//! The rules the handler runs, looked up by their manifest code, and the steps they share.
//!
//! A new rule is one new file here and one entry in `rulekit_model::manifest`: the file holds a unit
//! struct named after it (`timeline_comment.rs`: `TimelineComment`) implementing `Rule`, whose
//! `Rule::manifest` names the entry. The build script lists the files (`build.rs`), so nothing
//! else names a rule: the worker checks a run against its rule's manifest, runs it, and answers
//! the workflow in the rule's words.

use crate::portal_api::{ApiError, PortalApi};
use crate::reason::Reason;
use crate::record::Checkpoint;
use crate::store::{Claim, Store};
use rulekit_model::execution::ExecutionRequest;
use rulekit_model::manifest::RuleManifest;
use rulekit_model::text::{run_note, Lang, RunNote};
use rulekit_model::validate::validate;
use rulekit_model::{Catalog, DocumentId, PropertyValue};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// What a rule answers the workflow: its return values, and a note in its own words.
#[derive(Clone, Debug, PartialEq)]
pub struct Done {
    pub return_values: Value,
    pub note: String,
}

/// One rule's work. Each step that changes the portal records itself in the checkpoint
/// (`RunCtx::save`) before the next, so a run resumed after a crash does nothing twice.
// Rules are dispatched through `AnyRule`, never as `dyn Rule`: the futures stay `Send`.
#[allow(async_fn_in_trait)]
pub trait Rule {
    /// The rule's entry in `rulekit_model::manifest`: its code, properties, accepted documents
    /// and messages.
    fn manifest() -> RuleManifest;

    /// Does the work, resuming after what `cx.checkpoint` says earlier attempts did.
    async fn run(&self, cx: &mut RunCtx<'_>) -> Result<Done, ApiError>;

    /// What an interrupted run had already made, as its return value (`("invoice_id", "5")`),
    /// so that a failure says so in the rule's `made` message instead of reading as if nothing
    /// happened.
    fn made(&self, checkpoint: &Checkpoint) -> Option<(&'static str, String)>;
}

macro_rules! rules {
    ($($module:ident => $rule:ident @ $path:literal),* $(,)?) => {
        $(#[path = $path] pub mod $module;)*

        /// Every rule the handler runs.
        pub enum AnyRule {
            $($rule($module::$rule),)*
        }

        /// The rule a run's code names (the robot's or the activity's), with its manifest entry.
        pub fn find(code: &str) -> Option<(AnyRule, RuleManifest)> {
            $(
                let manifest = <$module::$rule as Rule>::manifest();
                if manifest.code == code || manifest.activity_code() == code {
                    return Some((AnyRule::$rule($module::$rule), manifest));
                }
            )*
            None
        }

        impl AnyRule {
            pub async fn run(&self, cx: &mut RunCtx<'_>) -> Result<Done, ApiError> {
                match self {
                    $(AnyRule::$rule(rule) => rule.run(cx).await,)*
                }
            }

            pub fn made(&self, checkpoint: &Checkpoint) -> Option<(&'static str, String)> {
                match self {
                    $(AnyRule::$rule(rule) => rule.made(checkpoint),)*
                }
            }
        }
    };
}

// `rules! { invoice => Invoice @ ".../src/rules/invoice.rs", … }`, one line a file in this folder.
include!(concat!(env!("OUT_DIR"), "/rules.rs"));

/// A rule's messages in the portal's language.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub manifest: &'a RuleManifest,
    pub lang: Lang,
}

impl Words<'_> {
    pub fn say(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.manifest.say(key, self.lang, args)
    }

    /// A document as a sentence names it: `deal 123`.
    pub fn document(&self, document: &DocumentId) -> String {
        rulekit_model::text::document(self.lang, document)
    }
}

/// What the workflow reads when the rule fails: what was done (`made`) and why it stopped, or
/// that nothing was made (`not_made`).
pub fn failure_note(rule: &AnyRule, checkpoint: &Checkpoint, words: Words<'_>, why: &str) -> String {
    match rule.made(checkpoint) {
        Some((key, id)) => run_note(words.lang, &RunNote::NotFinished { done: Some(&words.say("made", &[(key, &id)])), why }),
        None => words.say("not_made", &[("why", why)]),
    }
}

/// Checks a run against its rule's manifest before any work: every value, then the document.
pub fn check(request: &ExecutionRequest, manifest: &RuleManifest) -> Result<DocumentId, Reason> {
    let bad: Vec<_> = manifest
        .properties
        .iter()
        .flat_map(|p| validate(p, &request.value(p), &Catalog::default()).into_iter().map(|e| (p.name.clone(), e)))
        .collect();
    if !bad.is_empty() {
        return Err(Reason::BadValues(bad));
    }
    DocumentId::from_bizproc(&request.document_id).filter(|d| manifest.accepts.contains(&d.entity)).ok_or_else(|| Reason::WrongDocument {
        document: request.document_id.get(2).cloned().unwrap_or_default(),
        accepts: manifest.accepts.clone(),
    })
}

/// One attempt of a rule: the portal it calls, the run and its document, and the checkpoint it
/// resumes from and records its steps in.
pub struct RunCtx<'a> {
    pub api: &'a PortalApi,
    pub request: &'a ExecutionRequest,
    pub document: DocumentId,
    pub words: Words<'a>,
    pub checkpoint: &'a mut Checkpoint,
    pub store: &'a Store,
    pub job: Claim,
}

impl RunCtx<'_> {
    /// Calls a REST method with the run's endpoint and token.
    pub async fn call(&self, method: &str, params: Value) -> Result<Value, ApiError> {
        self.api.call(&self.request.auth.client_endpoint, &self.request.auth.access_token, method, params).await
    }

    /// Calls a list method page by page (`start`, then the answer's `next`), handing each answer
    /// to `visit` until it returns `false` or no page is left.
    pub async fn pages(&self, method: &str, mut params: Value, mut visit: impl FnMut(&Value) -> bool) -> Result<(), ApiError> {
        params["start"] = Value::from(0);
        loop {
            let page = self.call(method, params.clone()).await?;
            if !visit(&page) {
                return Ok(());
            }
            match page.get("next") {
                Some(next) if !next.is_null() => params["start"] = next.clone(),
                _ => return Ok(()),
            }
        }
    }

    /// The rule's record of what earlier attempts did.
    pub fn record<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        self.checkpoint.read().map_err(|_| ApiError::Fatal(Reason::ProgressUnreadable))
    }

    /// Records a step in the store before the run goes on, with its short name and a note for the
    /// console (`journal`).
    pub async fn save<T: Serialize>(&mut self, record: &T, step: &'static str, note: String) -> Result<(), ApiError> {
        self.checkpoint.write(record);
        self.store.checkpoint_step(self.job, self.checkpoint.to_json(), step, note).await.map_err(|e| {
            tracing::warn!(event = "store.error", job = self.job.job, error = %e);
            ApiError::from(e)
        })
    }

    /// The rule's answer: `id` as its return value `key`, and its `message` naming the id, the
    /// document and `more`.
    pub fn answer<Id: std::fmt::Display + Into<Value>>(&self, key: &str, id: Id, message: &str, more: &[(&str, &str)]) -> Done {
        let (shown, document) = (id.to_string(), self.words.document(&self.document));
        let mut args = vec![(key, shown.as_str()), ("document", document.as_str())];
        args.extend_from_slice(more);
        let note = self.words.say(message, &args);
        Done { return_values: serde_json::json!({ key: id.into() }), note }
    }

    /// A single property's text; the manifest's default when it is empty; a list's items joined.
    pub fn text(&self, code: &str) -> String {
        let Some(p) = self.words.manifest.property(code) else { return String::new() };
        match self.request.value(p) {
            PropertyValue::Single(s) if s.trim().is_empty() => p.default.as_ref().map(|d| d.items().join("")).unwrap_or_default(),
            PropertyValue::Single(s) => s,
            PropertyValue::Multiple(v) => v.join(","),
        }
    }

    /// The employees a `user` property names (`user_7`, `Ann Lee [7]`); roles and groups, which the
    /// portal resolves before the run, are skipped.
    pub fn users(&self, code: &str) -> Vec<u64> {
        let items = self.words.manifest.property(code).map(|p| self.request.value(p).items()).unwrap_or_default();
        rulekit_model::user::ids(&items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_manifest_entry_has_its_rule_and_codes_find_them() {
        for m in rulekit_model::manifest::all() {
            let (_, found) = find(m.code).unwrap_or_else(|| panic!("no rule for {}", m.code));
            assert_eq!(found.code, m.code);
            assert_eq!(find(&m.activity_code()).map(|(_, f)| f.code), Some(m.code), "the activity runs the same rule");
        }
        assert!(find("rulekit_nope").is_none());
    }

    fn request(document: &str, properties: &[(&str, &str)]) -> ExecutionRequest {
        let props: String = properties.iter().map(|(k, v)| format!("&properties[{k}]={v}")).collect();
        let form = format!("workflow_id=w&code=c&event_token=t&document_id[0]=crm&document_id[1]=X&document_id[2]={document}{props}");
        ExecutionRequest::from_form(&form).unwrap()
    }

    #[test]
    fn runs_are_checked_against_the_manifest_values_first() {
        let m = rulekit_model::manifest::timeline_comment();
        assert_eq!(check(&request("DEAL_5", &[("comment", "Hi")]), &m), Ok(DocumentId::parse("DEAL_5").unwrap()));
        assert_eq!(check(&request("COMPANY_2", &[("comment", "Hi")]), &m).map(|d| d.id), Ok(2));
        let wrong = check(&request("QUOTE_1", &[("comment", "Hi")]), &m).unwrap_err();
        assert_eq!(wrong, Reason::WrongDocument { document: "QUOTE_1".into(), accepts: m.accepts.clone() });
        let Err(Reason::BadValues(bad)) = check(&request("QUOTE_1", &[("author", "Ann+Lee")]), &m) else { panic!("values come first") };
        let names: Vec<&str> = bad.iter().map(|(name, _)| name.get("en")).collect();
        assert_eq!(names, ["Comment", "Author"]);
    }

    #[test]
    fn a_failure_says_what_was_made_in_the_rule_s_words() {
        let m = rulekit_model::manifest::invoice();
        let words = Words { manifest: &m, lang: Lang::En };
        let (rule, _) = find(m.code).unwrap();
        let nothing = Checkpoint::default();
        assert_eq!(failure_note(&rule, &nothing, words, "Why."), "The invoice was not created. Why.");
        let made = Checkpoint::from_json(&serde_json::json!({"invoice_id": 5}));
        assert_eq!(failure_note(&rule, &made, words, "Why."), "Invoice #5 was created, but the rule could not finish. Why.");
        let de = Words { manifest: &m, lang: Lang::De };
        assert_eq!(failure_note(&rule, &nothing, de, "Warum."), "Die Rechnung wurde nicht erstellt. Warum.");
    }
}
