//! The sandbox portal's data: its users, CRM items, registered rules, workflows and tasks, the
//! app's tokens, and what the settings dialog saved. Kept in memory; loaded from and saved to JSON
//! (`--state FILE`). Plain data only: it depends on nothing else in the crate but `stats` (plain
//! too), so the demo data, the REST emulation and the pages can all build on it. Fields added after the first release are
//! `#[serde(default)]`, so a state file written before still loads.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct User {
    pub id: u64,
    pub name: String,
    pub last_name: String,
    pub email: String,
    pub position: String,
    pub active: bool,
    pub admin: bool,
}

/// A rule registered with `bizproc.robot.add` or `bizproc.activity.add`, as the portal stores it:
/// top-level keys upper-cased, property descriptor keys upper-cased.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Rule {
    pub code: String,
    pub robot: bool,
    pub fields: Map<String, Value>,
}

/// A CRM item (`crm.item.*`): deals (2), leads (1), smart invoices (31)…
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Item {
    pub entity_type_id: u64,
    pub id: u64,
    pub fields: Map<String, Value>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProductRow {
    pub id: u64,
    /// `D`, `L`, `SI`…
    pub owner_type: String,
    pub owner_id: u64,
    pub fields: Map<String, Value>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Workflow {
    pub id: String,
    pub template_id: u64,
    pub module_id: String,
    pub entity: String,
    pub document_id: String,
    pub started: String,
    pub started_by: u64,
    pub modified: String,
    pub owned_until: Option<String>,
    /// `running`, `completed`, `terminated`; `killed` only inside a request (see `State::settle`).
    pub state: String,
    /// What happened to it that the portal keeps: `terminate`'s status text and time.
    #[serde(default)]
    pub history: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Task {
    pub id: u64,
    pub workflow_id: String,
    pub user_id: u64,
    pub name: String,
    pub document_name: String,
    pub activity: String,
    /// 0 running, 1 yes, 2 no, 3 done, 4 overdue.
    pub status: u64,
    #[serde(default)]
    pub description: String,
    /// ISO 8601.
    #[serde(default)]
    pub modified: String,
    #[serde(default)]
    pub overdue_date: Option<String>,
    #[serde(default)]
    pub delegation: Delegation,
}

/// Whom a task's assignee may hand it to, as the task's activity sets it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Delegation {
    #[default]
    All,
    Subordinates,
    None,
}

/// A workflow template (`bizproc.workflow.template.list`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Template {
    pub id: u64,
    pub name: String,
    pub module_id: String,
    pub entity: String,
    /// `["crm", "CCrmDocumentDeal", "DEAL"]`.
    pub document_type: Vec<String>,
    #[serde(default)]
    pub description: String,
    /// Bit flags: 1 on create, 2 on change.
    #[serde(default)]
    pub auto_execute: u64,
    #[serde(default)]
    pub modified: String,
    #[serde(default)]
    pub user_id: u64,
}

/// A run of a rule: what was sent to its handler and what came back.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Run {
    pub event_token: String,
    pub workflow_id: String,
    pub code: String,
    pub document_id: String,
    pub handler_status: Option<u16>,
    pub handler_error: Option<String>,
    /// The workflow step: `waiting`, `completed` (event.send), `no subscription`. A failure the
    /// handler reports closes the step too, so whether the run worked is `outcome`.
    pub state: String,
    pub return_values: Map<String, Value>,
    pub log: Vec<String>,
    /// `pending`, `succeeded` or `failed` (see `run_outcome`); empty in state files from before.
    #[serde(default)]
    pub outcome: String,
    /// Why it failed, as the handler told the workflow (or why the handler was not reached).
    #[serde(default)]
    pub error: Option<String>,
    /// What happened, in order: sent, acknowledged, the answer, the log lines.
    #[serde(default)]
    pub timeline: Vec<RunStep>,
}

/// One step of a run's timeline.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunStep {
    /// ISO 8601.
    pub at: String,
    /// `sent`, `acknowledged`, `unreachable`, `answer` (bizproc.event.send), `log` (bizproc.activity.log).
    pub step: String,
    /// The handler's HTTP status (`acknowledged`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The log message, or why the handler was not reached.
    #[serde(default)]
    pub text: String,
    /// What the answer returned (declared keys only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_values: Option<Map<String, Value>>,
}

/// The settings dialog the sandbox page shows: which rule by default, which step, what was saved.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Dialog {
    pub code: String,
    pub activity_name: String,
    pub document_type: Vec<String>,
    /// What each rule's dialog saved: code → property values.
    pub saved: Map<String, Value>,
    /// `PLACEMENT_OPTIONS` loaded with `--placement-options`; when set, it is shown as it is, with
    /// `current_values` replaced by what was saved here.
    pub options_override: Option<Value>,
    /// What each rule's dialog offers besides its properties: code → document fields (and
    /// template). A rule registered at run time has no entry and offers a deal's fields.
    #[serde(default)]
    pub documents: BTreeMap<String, DialogDocument>,
}

/// The document side of a rule's `PLACEMENT_OPTIONS`: what expressions in its settings can use.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DialogDocument {
    /// `document_fields`: the document's fields, code → descriptor (`Name`, `Type`…).
    pub fields: Map<String, Value>,
    /// `template`: the robot designer's variables, constants and earlier steps' results. The
    /// workflow designer sends none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<Value>,
}

/// A comment in a CRM item's timeline (`crm.timeline.comment.*`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineComment {
    pub id: u64,
    /// `deal`, `lead`, `contact`, `company`…, as `ENTITY_TYPE` names it.
    pub entity_type: String,
    pub entity_id: u64,
    /// ISO 8601.
    pub created: String,
    pub comment: String,
    pub author_id: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
    /// Unix seconds.
    pub expires: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct State {
    pub member_id: String,
    pub application_token: String,
    pub client_id: String,
    pub tokens: Tokens,
    /// The user the app runs as (an administrator).
    pub current_user: u64,
    pub users: Vec<User>,
    pub rules: Vec<Rule>,
    pub items: Vec<Item>,
    pub product_rows: Vec<ProductRow>,
    pub workflows: Vec<Workflow>,
    pub tasks: Vec<Task>,
    pub runs: Vec<Run>,
    #[serde(default)]
    pub timeline_comments: Vec<TimelineComment>,
    pub dialog: Dialog,
    pub app_options: Map<String, Value>,
    pub user_options: Map<String, Value>,
    pub next_id: u64,
    /// Access tokens of other users than the app's (`tokens.access` acts as `current_user`):
    /// user id → token. They expire with `tokens.expires`.
    #[serde(default)]
    pub user_tokens: BTreeMap<u64, String>,
    #[serde(default)]
    pub templates: Vec<Template>,
    /// `app.info`'s `INSTALLED`: false until the install page finishes.
    #[serde(default = "yes")]
    pub installed: bool,
    #[serde(default = "one")]
    pub app_version: u64,
    /// What REST was asked since the last reset; not saved.
    #[serde(skip)]
    pub stats: crate::stats::Stats,
    /// Workflow id → its position in `workflows`, rebuilt when stale (see `state_index`).
    #[serde(skip)]
    pub workflow_index: std::collections::HashMap<String, usize>,
    /// REST methods told to refuse (`failures`); not saved.
    #[serde(skip)]
    pub failures: crate::failures::Failures,
}

fn yes() -> bool {
    true
}

fn one() -> u64 {
    1
}

impl State {
    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn rule(&self, code: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.code == code)
    }

    /// The values the dialog of `code` saved.
    pub fn saved(&self, code: &str) -> Map<String, Value> {
        self.dialog.saved.get(code).and_then(Value::as_object).cloned().unwrap_or_default()
    }

    pub fn user(&self, id: u64) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }
}
