//! REST calls grouped into `batch` requests (https://apidocs.bitrix24.com/api-reference/how-to-call-rest-api/batch.html):
//! up to 50 commands a request, each a method with its query string, answered per command in
//! `result.result` and, for the ones that failed, `result.result_error`. A list of N rows costs
//! ceil(N / 2,500) requests this way (50 pages of 50), and stopping N workflows ceil(N / 50).

use crate::form_encoding;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// The most commands one `batch` takes.
pub const MAX_COMMANDS: usize = 50;
/// The rows one page of a list method holds.
pub const PAGE: usize = 50;

/// One command of a batch, under a key its answer comes back with. Serializable: a job stores its
/// commands so that it can resume after the page was reloaded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Command {
    pub key: String,
    pub method: String,
    pub params: Value,
}

impl Command {
    pub fn new(key: impl Into<String>, method: impl Into<String>, params: Value) -> Self {
        Command { key: key.into(), method: method.into(), params }
    }

    /// `method?query`, as `cmd[key]` carries it (PHP brackets for nested parameters).
    pub fn line(&self) -> Result<String, String> {
        let query = form_encoding::encode(&self.params)?;
        Ok(if query.is_empty() { self.method.clone() } else { format!("{}?{query}", self.method) })
    }
}

/// The parameters of each `batch` request for `commands`, 50 at most in each, in order. `halt: 0`:
/// one command's failure does not stop the others.
pub fn requests(commands: &[Command]) -> Result<Vec<Value>, String> {
    commands
        .chunks(MAX_COMMANDS)
        .map(|chunk| {
            let cmd = chunk.iter().map(|c| Ok((c.key.clone(), Value::String(c.line()?)))).collect::<Result<Map<_, _>, String>>()?;
            Ok(json!({"halt": 0, "cmd": cmd}))
        })
        .collect()
}

/// The page commands that list `total` rows of `method` (keys `p0`, `p1`, …, `start` 0, 50, …).
pub fn pages(method: &str, params: &Value, total: usize) -> Vec<Command> {
    (0..total.div_ceil(PAGE))
        .map(|i| {
            let mut p = params.clone();
            if let Some(m) = p.as_object_mut() {
                m.insert("start".into(), json!(i * PAGE));
            }
            Command::new(format!("p{i}"), method, p)
        })
        .collect()
}

/// One command's failure inside a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandError {
    pub code: String,
    pub description: String,
}

/// A `batch` answer, read per command.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    pub results: Map<String, Value>,
    pub errors: Map<String, Value>,
}

impl Answer {
    /// Reads `{"result": {"result": {...}, "result_error": {...}}}`; an empty list (`[]`, as PHP
    /// sends an empty map) counts as no entries.
    pub fn read(answer: &Value) -> Answer {
        let part = |k: &str| answer["result"][k].as_object().cloned().unwrap_or_default();
        Answer { results: part("result"), errors: part("result_error") }
    }

    /// What went wrong with the command under `key`, if anything did. A key with neither a result
    /// nor an error was not run (the batch stopped or was cut short): that is an error too.
    pub fn error(&self, key: &str) -> Option<CommandError> {
        if let Some(e) = self.errors.get(key) {
            let text = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
            return Some(CommandError { code: text("error"), description: text("error_description") });
        }
        (!self.results.contains_key(key)).then(|| CommandError { code: "NOT_RUN".into(), description: "the command was not run".into() })
    }
}

/// The HTTP requests that find and stop `n` workflows: the listing in batches of 50 pages, the
/// stop commands in batches of 50, and one request to learn the total first.
pub fn requests_to_find_and_stop(n: usize) -> usize {
    1 + n.div_ceil(PAGE * MAX_COMMANDS) + n.div_ceil(MAX_COMMANDS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_go_fifty_to_a_request_in_order() {
        let commands: Vec<Command> =
            (0..120).map(|i| Command::new(format!("k{i}"), "bizproc.workflow.terminate", json!({"ID": format!("w{i}"), "STATUS": "Left"}))).collect();
        let reqs = requests(&commands).unwrap();
        assert_eq!(reqs.iter().map(|r| r["cmd"].as_object().unwrap().len()).collect::<Vec<_>>(), [50, 50, 20]);
        assert_eq!(reqs[0]["halt"], 0);
        assert_eq!(reqs[2]["cmd"]["k119"], "bizproc.workflow.terminate?ID=w119&STATUS=Left");
        assert!(requests(&[]).unwrap().is_empty());
    }

    #[test]
    fn a_list_is_read_fifty_pages_to_a_request() {
        let p = pages("bizproc.workflow.instances", &json!({"select": ["ID"], "filter": {"<STARTED": "2026-01-01"}}), 5_001);
        assert_eq!(p.len(), 101);
        assert_eq!(p[100].params["start"], 5_000);
        assert_eq!(requests(&p).unwrap().len(), 3, "ceil(5001 / 2500)");
        assert!(p[1].line().unwrap().starts_with("bizproc.workflow.instances?"));
        assert!(pages("m", &json!({}), 0).is_empty());
    }

    #[test]
    fn answers_are_read_per_command() {
        let a = Answer::read(&json!({"result": {
            "result": {"a": true, "b": true},
            "result_error": {"c": {"error": "ACCESS_DENIED", "error_description": "Access denied!"}}
        }}));
        assert_eq!(a.error("a"), None);
        assert_eq!(a.error("c"), Some(CommandError { code: "ACCESS_DENIED".into(), description: "Access denied!".into() }));
        assert_eq!(a.error("d").map(|e| e.code), Some("NOT_RUN".into()), "a command with no answer was not run");
        let empty = Answer::read(&json!({"result": {"result": [], "result_error": []}}));
        assert!(empty.results.is_empty() && empty.errors.is_empty());
    }

    #[test]
    fn finding_and_stopping_costs_the_documented_floor() {
        // ceil(N/50) + ceil(N/2500) + a few (the count first).
        assert_eq!(requests_to_find_and_stop(10_000), 1 + 4 + 200);
        assert_eq!(requests_to_find_and_stop(1), 3);
        assert_eq!(requests_to_find_and_stop(0), 1);
    }
}
