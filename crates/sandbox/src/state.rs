//! The sandbox portal's data: its users, CRM items, registered rules, workflows and tasks, the
//! app's tokens, and what the settings dialog saved. Kept in memory; loaded from and saved to JSON.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

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
    /// `running`, `completed`, `terminated`.
    pub state: String,
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
    /// `waiting`, `completed` (event.send), `no subscription`.
    pub state: String,
    pub return_values: Map<String, Value>,
    pub log: Vec<String>,
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
    pub dialog: Dialog,
    pub app_options: Map<String, Value>,
    pub user_options: Map<String, Value>,
    pub next_id: u64,
}

pub fn now_unix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// A fresh random-looking hex string: tokens and APP_SIDs. Not for real secrets; the sandbox has none.
pub fn random_hex(len: usize) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    while out.len() < len {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out.truncate(len);
    out
}

fn user(id: u64, name: &str, last: &str, position: &str, active: bool, admin: bool) -> User {
    User {
        id,
        name: name.into(),
        last_name: last.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        position: position.into(),
        active,
        admin,
    }
}

fn item(entity_type_id: u64, id: u64, fields: Value) -> Item {
    Item { entity_type_id, id, fields: fields.as_object().cloned().unwrap_or_default() }
}

fn row(id: u64, owner_type: &str, owner_id: u64, name: &str, price: f64, quantity: f64) -> ProductRow {
    let fields = json!({"productId": id, "productName": name, "price": price, "quantity": quantity,
        "discountTypeId": 2, "discountRate": 0, "discountSum": 0, "taxRate": 20, "taxIncluded": "Y",
        "measureCode": 796, "sort": 10 * id});
    ProductRow { id, owner_type: owner_type.into(), owner_id, fields: fields.as_object().cloned().unwrap_or_default() }
}

fn workflow(id: &str, document_id: &str, entity: &str, started: &str, by: u64) -> Workflow {
    Workflow {
        id: id.into(),
        template_id: 12,
        module_id: "crm".into(),
        entity: entity.into(),
        document_id: document_id.into(),
        started: started.into(),
        started_by: by,
        modified: started.into(),
        owned_until: None,
        state: "running".into(),
    }
}

impl State {
    /// The demo portal: users (Dmitri has left), deals and leads with product rows, running
    /// workflows (some old, some waiting on Dmitri's tasks), and the demo rule registered.
    pub fn demo(app_url: &str, handler_url: &str) -> State {
        let users = vec![
            user(1, "Anna", "Admin", "Head of sales", true, true),
            user(7, "Olga", "Ivanova", "Accountant", true, false),
            user(9, "Nina", "Novak", "Sales manager", true, false),
            user(12, "Dmitri", "Petrov", "Sales manager (left)", false, false),
        ];
        let items = vec![
            item(2, 123, json!({"title": "Big deal & Co", "companyId": 3, "contactId": 4, "contactIds": [4, 5],
                "opportunity": 1500, "currencyId": "EUR", "assignedById": 9, "closedate": "2026-12-15"})),
            item(2, 124, json!({"title": "Small deal", "companyId": 3, "contactId": 5, "contactIds": [5],
                "opportunity": 200, "currencyId": "EUR", "assignedById": 12})),
            item(1, 45, json!({"title": "Lead from the website", "companyId": 0, "contactId": 6, "contactIds": [6],
                "opportunity": 300, "currencyId": "EUR", "assignedById": 7})),
        ];
        let product_rows = vec![
            row(1, "D", 123, "Consulting, hour", 100.0, 10.0),
            row(2, "D", 123, "Licence", 500.0, 1.0),
            row(3, "L", 45, "Starter pack", 300.0, 1.0),
        ];
        let workflows = vec![
            workflow("5f1a3c9e0a1b2.00000001", "DEAL_123", "CCrmDocumentDeal", "2025-03-01T09:00:00+00:00", 1),
            workflow("5f1a3c9e0a1b2.00000002", "DEAL_124", "CCrmDocumentDeal", "2025-11-20T10:30:00+00:00", 12),
            workflow("5f1a3c9e0a1b2.00000003", "LEAD_45", "CCrmDocumentLead", "2026-11-20T08:15:00+00:00", 7),
            workflow("5f1a3c9e0a1b2.00000004", "DEAL_124", "CCrmDocumentDeal", "2026-10-02T12:00:00+00:00", 9),
        ];
        let tasks = vec![
            Task { id: 301, workflow_id: "5f1a3c9e0a1b2.00000002".into(), user_id: 12, name: "Approve the discount".into(),
                document_name: "Small deal".into(), activity: "ApproveActivity".into(), status: 0 },
            Task { id: 302, workflow_id: "5f1a3c9e0a1b2.00000004".into(), user_id: 12, name: "Check the contract".into(),
                document_name: "Small deal".into(), activity: "ReviewActivity".into(), status: 0 },
            Task { id: 303, workflow_id: "5f1a3c9e0a1b2.00000003".into(), user_id: 7, name: "Call the lead".into(),
                document_name: "Lead from the website".into(), activity: "RequestInformationActivity".into(), status: 0 },
        ];
        let mut state = State {
            member_id: "a223c6b3710f85df22e9377d6c4f7553".into(),
            application_token: random_hex(32),
            client_id: "local.rulekit.sandbox".into(),
            tokens: Tokens { access: random_hex(40), refresh: random_hex(40), expires: now_unix() + 3600 },
            current_user: 1,
            users,
            rules: Vec::new(),
            items,
            product_rows,
            workflows,
            tasks,
            runs: Vec::new(),
            dialog: Dialog {
                code: crate::demo::DEMO_CODE.into(),
                activity_name: "A72788_31169_37133_27365".into(),
                document_type: vec!["crm".into(), "CCrmDocumentDeal".into(), "DEAL".into()],
                saved: Map::new(),
                options_override: None,
            },
            app_options: Map::new(),
            user_options: Map::new(),
            next_id: 1000,
        };
        crate::demo::register_demo_rules(&mut state, app_url, handler_url);
        state
    }

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
