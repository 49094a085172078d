//! The demo portal a newcomer opens: users (Anna 1 the admin; Olga 7 and Nina 9, active, not
//! admins; Dmitri 12 has left), the portal's own companies (1 and 2) and a client's (3), deals and
//! a lead with product rows, workflow templates, running
//! workflows (some old, some waiting on Dmitri's tasks: `demo_workflows`), and the demo rule
//! registered.
//! It builds a `State`; the state itself knows nothing of it.

use crate::clock::now_unix;
use crate::random::random_hex;
use crate::state::{Dialog, Item, ProductRow, State, Tokens, User};
use rulekit_model::document::CrmEntity::Deal;
use serde_json::{json, Map, Value};

/// The demo portal, with the demo rule's settings page on `app_url` and its runs going to
/// `handler_url`.
pub fn portal(app_url: &str, handler_url: &str) -> State {
    let users = vec![
        user(1, "Anna", "Admin", "Head of sales", true, true),
        user(7, "Olga", "Ivanova", "Accountant", true, false),
        user(9, "Nina", "Novak", "Sales manager", true, false),
        user(12, "Dmitri", "Petrov", "Sales manager (left)", false, false),
    ];
    // Items and product rows keep the numbers REST uses (`entityTypeId` 2, owner type `D`).
    let mut items = companies();
    items.extend([
        item(2, 123, json!({"title": "Big deal & Co", "companyId": 3, "contactId": 4, "contactIds": [4, 5],
            "opportunity": 1500, "currencyId": "EUR", "assignedById": 9, "closedate": "2026-12-15"})),
        item(2, 124, json!({"title": "Small deal", "companyId": 3, "contactId": 5, "contactIds": [5],
            "opportunity": 200, "currencyId": "EUR", "assignedById": 12})),
        item(1, 45, json!({"title": "Lead from the website", "companyId": 0, "contactId": 6, "contactIds": [6],
            "opportunity": 300, "currencyId": "EUR", "assignedById": 7})),
    ]);
    let product_rows = vec![
        row(1, "D", 123, "Consulting, hour", 100.0, 10.0),
        row(2, "D", 123, "Licence", 500.0, 1.0),
        row(3, "L", 45, "Starter pack", 300.0, 1.0),
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
        workflows: crate::demo_workflows::workflows(),
        tasks: crate::demo_workflows::tasks(),
        runs: Vec::new(),
        timeline_comments: Vec::new(),
        dialog: Dialog {
            code: crate::demo_rules::DEMO_CODE.into(),
            activity_name: "A72788_31169_37133_27365".into(),
            document_type: Deal.document_type(),
            saved: Map::new(),
            options_override: None,
            documents: Default::default(),
        },
        app_options: Map::new(),
        user_options: Map::new(),
        next_id: 1000,
        user_tokens: Default::default(),
        templates: crate::demo_workflows::templates(),
        installed: true,
        app_version: 1,
        stats: Default::default(),
        workflow_index: Default::default(),
        failures: Default::default(),
    };
    crate::demo_rules::register_demo_rule(&mut state, app_url, handler_url);
    state
}

/// Companies (`entityTypeId` 4): the portal's own ("my companies", which an invoice is issued by:
/// the invoice rule's `mycompany_id` is 1 in the demo) and the client the deals are with.
fn companies() -> Vec<Item> {
    vec![
        item(4, 1, json!({"title": "Rulekit Demo LLC", "isMyCompany": "Y", "assignedById": 1})),
        item(4, 2, json!({"title": "Rulekit Services GmbH", "isMyCompany": "Y", "assignedById": 1})),
        item(4, 3, json!({"title": "Northwind Trading", "isMyCompany": "N", "assignedById": 9})),
    ]
}

/// A state file written before the demo had companies gets them, so the settings form's list of
/// the portal's own companies is not empty.
pub fn add_missing_companies(state: &mut State) {
    if !state.items.iter().any(|i| i.entity_type_id == 4) {
        state.items.splice(0..0, companies());
    }
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
