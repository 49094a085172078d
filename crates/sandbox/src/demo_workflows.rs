//! The demo portal's workflow templates, running workflows and open tasks. Dmitri Petrov (12) has
//! left with open tasks in five workflows of four templates; Nina Novak (9) can take them over,
//! except task 305, whose activity allows no delegation. Olga (7) is active but not an admin,
//! with one task of her own (303).

use crate::state::{Delegation, Task, Template, Workflow};
use rulekit_model::document::CrmEntity::{self, Deal, Lead};
use rulekit_model::document::DocumentId;

/// Deal templates 12, 14, 16; the lead template 15.
pub fn templates() -> Vec<Template> {
    let t = |id: u64, name: &str, entity: CrmEntity, auto_execute: u64, modified: &str| Template {
        id,
        name: name.into(),
        module_id: "crm".into(),
        entity: entity.document_class().into(),
        document_type: entity.document_type(),
        description: String::new(),
        auto_execute,
        modified: modified.into(),
        user_id: 1,
    };
    vec![
        t(12, "Discount approval", Deal, 0, "2024-05-14T10:00:00+00:00"),
        t(14, "Contract review", Deal, 1, "2024-09-02T09:30:00+00:00"),
        t(15, "Lead qualification", Lead, 1, "2025-01-20T14:00:00+00:00"),
        t(16, "Invoice follow-up", Deal, 2, "2025-06-11T08:45:00+00:00"),
    ]
}

/// A running workflow on a CRM document, not locked.
pub fn workflow(id: &str, template: u64, entity: CrmEntity, document: u64, started: &str, by: u64) -> Workflow {
    Workflow {
        id: id.into(),
        template_id: template,
        module_id: "crm".into(),
        entity: entity.document_class().into(),
        document_id: DocumentId::new(entity, document).to_string(),
        started: started.into(),
        started_by: by,
        modified: started.into(),
        owned_until: None,
        state: "running".into(),
        history: Vec::new(),
    }
}

pub fn workflows() -> Vec<Workflow> {
    vec![
        workflow("5f1a3c9e0a1b2.00000001", 12, Deal, 123, "2025-03-01T09:00:00+00:00", 1),
        workflow("5f1a3c9e0a1b2.00000002", 12, Deal, 124, "2025-11-20T10:30:00+00:00", 12),
        workflow("5f1a3c9e0a1b2.00000003", 15, Lead, 45, "2026-11-20T08:15:00+00:00", 7),
        workflow("5f1a3c9e0a1b2.00000004", 14, Deal, 124, "2026-10-02T12:00:00+00:00", 9),
        workflow("5f1a3c9e0a1b2.00000005", 16, Deal, 123, "2026-06-15T11:00:00+00:00", 12),
        workflow("5f1a3c9e0a1b2.00000006", 14, Deal, 123, "2026-09-01T15:20:00+00:00", 1),
        workflow("5f1a3c9e0a1b2.00000007", 15, Lead, 45, "2026-11-01T07:40:00+00:00", 0),
    ]
}

#[allow(clippy::too_many_arguments)] // one line per demo task reads better than a builder
fn task(id: u64, wf: u32, user: u64, name: &str, document: &str, activity: &str, overdue: Option<&str>, delegation: Delegation) -> Task {
    Task {
        id,
        workflow_id: format!("5f1a3c9e0a1b2.{wf:08}"),
        user_id: user,
        name: name.into(),
        document_name: document.into(),
        activity: activity.into(),
        status: 0,
        description: format!("{name} ({document})"),
        modified: "2026-11-02T09:00:00+00:00".into(),
        overdue_date: overdue.map(str::to_string),
        delegation,
    }
}

/// Open tasks: 301, 302, 304, 305 (no delegation), 306 are Dmitri's; 303 is Olga's.
pub fn tasks() -> Vec<Task> {
    use Delegation::{All, Subordinates};
    vec![
        task(301, 2, 12, "Approve the discount", "Small deal", "ApproveActivity", Some("2025-12-01T18:00:00+00:00"), All),
        task(302, 4, 12, "Check the contract", "Small deal", "ReviewActivity", Some("2026-10-20T18:00:00+00:00"), All),
        task(303, 3, 7, "Call the lead", "Lead from the website", "RequestInformationActivity", None, All),
        task(304, 5, 12, "Confirm the invoice was paid", "Big deal & Co", "RequestInformationActivity", Some("2027-02-01T18:00:00+00:00"), Subordinates),
        task(305, 6, 12, "Sign the contract", "Big deal & Co", "ApproveActivity", Some("2026-09-15T18:00:00+00:00"), Delegation::None),
        task(306, 7, 12, "Qualify the lead", "Lead from the website", "RequestInformationOptionalActivity", None, All),
    ]
}
