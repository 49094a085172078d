//! What a job keeps in the store's two JSON columns, typed: the run as received (`StoredRun`) and
//! what its attempts have done (`Checkpoint`). Only this file knows their JSON shapes, which are
//! the ones earlier versions wrote, so a store written before still resumes its runs.

use rulekit_model::execution::{ExecutionError, ExecutionRequest};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The run as received: its form body, and the tokens that replace the body's after a refresh.
/// Tokens are secrets: this type has no `Debug`, and is never logged.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRun {
    pub form: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// Why a stored run cannot be read back. Names no value from it.
#[derive(Debug, thiserror::Error)]
pub enum UnreadableRun {
    // serde's words could quote a value of the record; they are left out.
    #[error("the stored run is not a run record (a form body, and tokens after a refresh)")]
    Shape,
    #[error("the stored run's body is not a rule run: {0}")]
    Body(#[from] ExecutionError),
}

impl StoredRun {
    pub fn new(form: impl Into<String>) -> StoredRun {
        StoredRun { form: form.into(), access_token: None, refresh_token: None }
    }

    pub fn from_json(value: &Value) -> Result<StoredRun, UnreadableRun> {
        StoredRun::deserialize(value).map_err(|_| UnreadableRun::Shape)
    }

    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// What the intake stores for a body as it came: the body itself when `Intake::plain` read it
    /// (its first character is a key's, never `{`), or else `to_json`'s text. The body is not
    /// copied into JSON (escaped) on the way in; `read_text` tells the two apart.
    pub fn intake_text(body: &str, plain: bool) -> String {
        if plain {
            body.to_string()
        } else {
            serde_json::to_string(&StoredRun::new(body)).unwrap_or_default()
        }
    }

    /// A stored run's text as `to_json`'s value, whichever way it was written: JSON (earlier
    /// versions, a run with refreshed tokens, a body that was not plain) or the body itself.
    /// Text that is neither reads as `Null`, which `from_json` refuses.
    pub fn read_text(text: &str) -> Value {
        if text.trim_start().starts_with('{') {
            serde_json::from_str(text).unwrap_or(Value::Null)
        } else {
            serde_json::json!({ "form": text })
        }
    }

    /// The run, with the newest tokens.
    pub fn request(&self) -> Result<ExecutionRequest, UnreadableRun> {
        let mut r = ExecutionRequest::from_form(&self.form)?;
        if let Some(t) = &self.access_token {
            r.auth.access_token = t.clone();
        }
        if let Some(t) = &self.refresh_token {
            r.auth.refresh_token = t.clone();
        }
        Ok(r)
    }

    /// Keeps the tokens a refresh gave, for this attempt and every later one.
    pub fn refreshed(&mut self, access_token: String, refresh_token: String) {
        self.access_token = Some(access_token);
        self.refresh_token = Some(refresh_token);
    }
}

/// A job's checkpoint: one JSON object where the rule's typed record (`InvoiceCheckpoint`, …)
/// and the worker's (`AnswerCheckpoint`) keep their fields side by side, as they always have.
/// Each part is read and written through its own serde struct; fields it does not know are kept.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checkpoint(Map<String, Value>);

impl Checkpoint {
    /// Anything but an object (a fresh job's `{}`, or nothing) is a run with nothing done yet.
    pub fn from_json(value: &Value) -> Checkpoint {
        Checkpoint(value.as_object().cloned().unwrap_or_default())
    }

    pub fn to_json(&self) -> Value {
        Value::Object(self.0.clone())
    }

    /// One part's record. An error means the checkpoint holds something this version cannot read:
    /// the run must stop rather than redo a step it may have done.
    pub fn read<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(Value::Object(self.0.clone()))
    }

    /// Sets the fields one part records (a field it leaves out stays as it was).
    pub fn write<T: Serialize>(&mut self, part: &T) {
        if let Ok(Value::Object(fields)) = serde_json::to_value(part) {
            self.0.extend(fields);
        }
    }
}

/// The worker's own record: the answer is being sent. Set before `bizproc.event.send`, so a run
/// resumed after the portal took the answer knows that a refusal of the same answer means it was
/// delivered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AnswerCheckpoint {
    #[serde(default)]
    pub answering: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_run_stored_by_earlier_versions_reads_with_its_refreshed_tokens() {
        let form = "workflow_id=w&code=c&event_token=t&document_id[0]=crm&document_id[1]=X&document_id[2]=DEAL_1&auth[access_token]=old";
        let plain = StoredRun::from_json(&json!({"form": form})).unwrap();
        assert_eq!(plain.request().unwrap().auth.access_token, "old");
        let refreshed = StoredRun::from_json(&json!({"form": form, "access_token": "new", "refresh_token": "r2"})).unwrap();
        let r = refreshed.request().unwrap();
        assert_eq!((r.auth.access_token.as_str(), r.auth.refresh_token.as_str()), ("new", "r2"));
        assert_eq!(refreshed.to_json(), json!({"form": form, "access_token": "new", "refresh_token": "r2"}));
        assert_eq!(StoredRun::new(form).to_json(), json!({"form": form}), "the shape earlier versions wrote");
    }

    #[test]
    fn a_run_is_stored_as_it_came_and_read_back_either_way() {
        let form = "workflow_id=w&code=c&event_token=t&document_id[0]=crm&document_id[1]=X&document_id[2]=DEAL_1&auth[access_token]=a";
        assert_eq!(StoredRun::intake_text(form, true), form, "a plain body is stored as it came");
        for plain in [true, false] {
            let read = StoredRun::from_json(&StoredRun::read_text(&StoredRun::intake_text(form, plain))).unwrap();
            assert_eq!(read.form, form, "plain: {plain}");
        }
        // A body that is not plain may start like JSON: it is stored as JSON.
        let odd = "{\"x\": 1}&workflow_id=w";
        assert_eq!(StoredRun::from_json(&StoredRun::read_text(&StoredRun::intake_text(odd, false))).unwrap().form, odd);
        let refreshed = StoredRun::from_json(&json!({"form": form, "access_token": "new", "refresh_token": "r2"})).unwrap();
        let again = StoredRun::from_json(&StoredRun::read_text(&refreshed.to_json().to_string())).unwrap();
        assert_eq!(again.request().unwrap().auth.access_token, "new", "a refreshed run stays JSON and keeps its tokens");
        assert_eq!(StoredRun::read_text("{broken"), Value::Null);
        assert!(StoredRun::from_json(&StoredRun::read_text("{broken")).is_err());
    }

    #[test]
    fn broken_runs_say_so_without_their_values() {
        assert!(matches!(StoredRun::from_json(&json!({"body": "x"})), Err(UnreadableRun::Shape)));
        let e = StoredRun::new("workflow_id=1&auth[access_token]=SECRET").request().err().unwrap();
        assert!(!e.to_string().contains("SECRET"));
    }

    #[test]
    fn parts_keep_their_fields_side_by_side() {
        let mut cp = Checkpoint::from_json(&json!({"invoice_id": 5, "rows": 2, "answering": true}));
        assert_eq!(cp.read::<AnswerCheckpoint>().unwrap(), AnswerCheckpoint { answering: true });
        cp.write(&AnswerCheckpoint { answering: false });
        assert_eq!(cp.to_json(), json!({"invoice_id": 5, "rows": 2, "answering": false}), "other parts' fields are kept");
        assert_eq!(Checkpoint::from_json(&Value::Null).read::<AnswerCheckpoint>().unwrap(), AnswerCheckpoint::default());
        assert!(Checkpoint::from_json(&json!({"answering": "maybe"})).read::<AnswerCheckpoint>().is_err());
    }
}
