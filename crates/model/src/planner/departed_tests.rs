use super::*;
use crate::planner::fake::{drive, Portal};
use crate::planner::job::{Job, Outcome};
use crate::planner::Runner;

/// 2025-03-10T12:00:00Z.
const NOW: u64 = 1_741_608_000_000;

fn task(id: u64, workflow: &str, overdue: Option<&str>) -> TaskRow {
    TaskRow::from_json(&json!({
        "ID": id.to_string(), "WORKFLOW_ID": workflow, "NAME": format!("Approve {id}"),
        "DOCUMENT_NAME": format!("Deal of {workflow}"), "DOCUMENT_ID": "DEAL_5", "ENTITY": "CCrmDocumentDeal",
        "WORKFLOW_TEMPLATE_ID": "3", "WORKFLOW_TEMPLATE_NAME": "Approval", "WORKFLOW_STARTED": "2025-03-01T09:00:00+03:00",
        "WORKFLOW_STARTED_BY": "1", "OVERDUE_DATE": overdue, "USER_ID": "42", "STATUS": "0", "MODULE_ID": "crm"
    }))
    .expect("a task row")
}

#[test]
fn task_rows_are_read_leniently() {
    let t = task(7, "wf1", None);
    assert_eq!((t.id, t.template_id, t.started_by, t.user_id, t.overdue_date), (7, Some(3), Some(1), 42, None));
    assert_eq!(t.document_url, None);
    let lower = TaskRow::from_json(&json!({"id": 8, "workflow_id": "wf2", "document_url": "/crm/deal/details/5/"})).unwrap();
    assert_eq!((lower.id, lower.document_url.as_deref(), lower.template_id), (8, Some("/crm/deal/details/5/"), None));
    assert_eq!(TaskRow::from_json(&json!({"ID": 1})), None, "no workflow, no row");
    assert_eq!(TaskRow::from_json(&json!({"WORKFLOW_ID": "w"})), None);
}

#[test]
fn the_listing_asks_for_the_user_s_open_tasks() {
    let mut listing = task_listing(42);
    let call = crate::planner::Plan::next_call(&mut listing, 0).unwrap();
    assert_eq!(call.method, "bizproc.task.list");
    assert_eq!(call.params["filter"], json!({"USER_ID": 42, "STATUS": 0}));
    assert_eq!(call.params["select"].as_array().map(Vec::len), Some(TASK_SELECT.len()));
}

#[test]
fn tasks_group_per_workflow_in_order_of_first_appearance() {
    let tasks = [task(1, "b", None), task(2, "a", Some("2025-03-10T14:00:00+03:00")), task(3, "b", Some("2025-03-11T00:00:00+00:00")), task(4, "c", Some("soon"))];
    let groups = group(&tasks, NOW);
    let shape: Vec<(&str, Vec<u64>, bool)> = groups.iter().map(|g| (g.workflow_id.as_str(), g.tasks.iter().map(|t| t.id).collect(), g.overdue)).collect();
    assert_eq!(shape, [("b", vec![1, 3], false), ("a", vec![2], true), ("c", vec![4], false)]);
    assert_eq!(groups[0].document_name, "Deal of b");
    assert!(group(&[], NOW).is_empty());
}

#[test]
fn each_fate_becomes_its_command() {
    let groups = group(&[task(1, "a", None), task(2, "a", None), task(3, "b", None), task(4, "c", None)], NOW);
    let chosen = [
        (groups[0].clone(), Fate::Delegate { to_user: 9 }),
        (groups[1].clone(), Fate::Terminate { status: "Employee left".into() }),
        (groups[2].clone(), Fate::Kill),
    ];
    let items = departed_items(42, &chosen);
    assert_eq!(items[0].command.method, "bizproc.task.delegate");
    assert_eq!(items[0].command.params, json!({"TASK_IDS": [1, 2], "FROM_USER_ID": 42, "TO_USER_ID": 9}));
    let verify = items[0].verify.clone().unwrap();
    assert_eq!((verify.method.as_str(), verify.params), ("bizproc.task.list", json!({"select": ["ID"], "filter": {"ID": 1, "USER_ID": 42, "STATUS": 0}})));
    assert_eq!(items[1].command.params, json!({"ID": "b", "STATUS": "Employee left"}));
    assert_eq!(items[2].command.method, "bizproc.workflow.kill");
    assert_eq!((items[0].id.as_str(), items[0].label.as_str()), ("a", "Deal of a"));
    let empty = WorkflowTasks { tasks: vec![], ..groups[0].clone() };
    assert!(departed_items(42, &[(empty, Fate::Delegate { to_user: 9 })]).is_empty(), "nothing to delegate");
}

#[test]
fn a_refused_delegation_fails_with_the_portal_s_words_and_the_others_go_on() {
    let groups = group(&[task(1, "a", None), task(2, "b", None)], NOW);
    let chosen: Vec<_> = groups.into_iter().map(|g| (g, Fate::Delegate { to_user: 9 })).collect();
    let mut runner = Runner::new(Job::new("Delegate", departed_items(42, &chosen), 0));
    let mut portal = Portal::new();
    drive(&mut runner, &mut 0, |call, now| {
        portal.answer(call, now, |method, params| match (method, params["TASK_IDS"][0].as_str()) {
            ("bizproc.task.delegate", Some("2")) => Err(("ERROR_DELEGATION_NOT_ALLOWED".into(), "User is not responsible for the task".into())),
            ("bizproc.task.delegate", _) => Ok(json!(true)),
            _ => Err(("UNEXPECTED".into(), method.into())),
        })
    });
    let report = runner.plan.report();
    assert_eq!(report[0].2, Some(Outcome::Done));
    assert_eq!(
        report[1].2,
        Some(Outcome::Failed { code: "ERROR_DELEGATION_NOT_ALLOWED".into(), description: "User is not responsible for the task".into() })
    );
}

#[test]
fn only_the_crm_documents_open_path_takes_get_a_path() {
    assert_eq!(open_path("DEAL_123").as_deref(), Some("/crm/deal/details/123/"));
    assert_eq!(open_path("LEAD_5").as_deref(), Some("/crm/lead/details/5/"));
    assert_eq!(open_path("CONTACT_6").as_deref(), Some("/crm/contact/details/6/"));
    assert_eq!(open_path("COMPANY_7").as_deref(), Some("/crm/company/details/7/"));
    for other in ["QUOTE_1", "SMART_INVOICE_2", "DYNAMIC_128_3", "iblock_5", "", "DEAL_x"] {
        assert_eq!(open_path(other), None, "{other}");
    }
}
