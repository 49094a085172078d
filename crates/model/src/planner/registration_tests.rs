use super::*;
use crate::manifest;
use crate::planner::fake::{drive, Portal, Reply};
use crate::planner::Runner;
use std::collections::BTreeSet;

fn urls(host: &str) -> AppUrls {
    AppUrls { handler: format!("https://{host}/run"), settings_page: format!("https://{host}/") }
}

/// The portal's registered codes, robots and activities.
#[derive(Default)]
struct Registry {
    robots: BTreeSet<String>,
    activities: BTreeSet<String>,
    calls: Vec<String>,
}

impl Registry {
    fn lists(&self) -> (Vec<String>, Vec<String>) {
        (self.robots.iter().cloned().collect(), self.activities.iter().cloned().collect())
    }

    fn reply(&mut self, method: &str, params: &Value) -> Reply {
        self.calls.push(method.to_string());
        let code = params["CODE"].as_str().unwrap_or_default().to_string();
        let (kind, verb) = method.strip_prefix("bizproc.").and_then(|m| m.split_once('.')).unwrap_or_default();
        let set = if kind == "robot" { &mut self.robots } else { &mut self.activities };
        let fail = |code: &str, text: &str| Err((code.to_string(), text.to_string()));
        match verb {
            "add" if set.contains(&code) => fail("ERROR_ACTIVITY_ALREADY_INSTALLED", "Activity or Robot already installed!"),
            "add" => Ok(json!(set.insert(code))),
            // The source validates the top-level PLACEMENT_HANDLER when FIELDS has one (spec §1.3).
            "update" if params["PLACEMENT_HANDLER"].as_str().is_none() => fail("ERROR_WRONG_HANDLER_URL", "Wrong handler URL"),
            "update" | "delete" if !set.contains(&code) => fail("ERROR_ACTIVITY_NOT_FOUND", "Activity or Robot not found!"),
            "update" => Ok(json!(true)),
            "delete" => Ok(json!(set.remove(&code))),
            _ => fail("ERROR_METHOD_NOT_FOUND", method),
        }
    }

    /// Runs a Sync of `want` against this registry: compare, the job, the records after it.
    fn sync(&mut self, want: &[Wanted], records: &Records, delete_orphans: bool) -> (Vec<RuleStatus>, Job, Records) {
        let (robots, activities) = self.lists();
        let statuses = compare(want, &robots, &activities, records);
        let mut runner = Runner::new(Job::new("Sync", sync_items(want, &statuses, delete_orphans), 0));
        let mut portal = Portal::new();
        drive(&mut runner, &mut 0, |call, now| portal.answer(call, now, |m, p| self.reply(m, p)));
        let after = records_after(records, want, &runner.plan);
        (statuses, runner.plan, after)
    }
}

fn states(statuses: &[RuleStatus]) -> Vec<(&str, RuleState)> {
    statuses.iter().map(|s| (s.code.as_str(), s.state.clone())).collect()
}

#[test]
fn a_robot_and_an_activity_per_rule() {
    let want = wanted(&manifest::all(), &urls("app.example.com"), 1);
    let codes: Vec<(&str, Kind)> = want.iter().map(|w| (w.code.as_str(), w.kind)).collect();
    assert_eq!(
        codes,
        [
            ("rulekit_invoice", Kind::Robot),
            ("rulekit_invoice_activity", Kind::Activity),
            ("rulekit_timeline_comment", Kind::Robot),
            ("rulekit_timeline_comment_activity", Kind::Activity),
        ]
    );
    let r = record(&want[1]);
    assert_eq!(r.len(), 8, "every aspect, DOCUMENT_TYPE under Other: {r:?}");
    assert!(r.values().all(|f| f.len() == 16));
    assert_eq!(record(&want[1]), r, "stable");
}

#[test]
fn a_first_sync_adds_everything_and_a_second_makes_no_call() {
    let want = wanted(&manifest::all(), &urls("app.example.com"), 1);
    let mut registry = Registry::default();
    let (statuses, job, records) = registry.sync(&want, &Records::new(), false);
    assert!(statuses.iter().all(|s| s.state == RuleState::Missing));
    assert_eq!(job.items.iter().map(|i| i.command.method.as_str()).collect::<Vec<_>>(), ["bizproc.robot.add", "bizproc.activity.add", "bizproc.robot.add", "bizproc.activity.add"]);
    assert!(job.outcomes.iter().all(|o| *o == Some(Outcome::Done)), "{:?}", job.outcomes);
    assert_eq!(records.len(), 4);

    let stored = records_from_json(&records_to_json(&records));
    assert_eq!(stored, records, "records survive the app option");
    let (robots, activities) = registry.lists();
    let again = compare(&want, &robots, &activities, &stored);
    assert!(again.iter().all(|s| s.state == RuleState::Current));
    assert!(sync_items(&want, &again, true).is_empty(), "nothing to send beyond the lists");
}

#[test]
fn a_changed_handler_is_only_an_update_of_the_handler() {
    let old = wanted(&manifest::all(), &urls("app.example.com"), 1);
    let mut registry = Registry::default();
    let (_, _, records) = registry.sync(&old, &Records::new(), false);
    registry.calls.clear();
    let new = wanted(&manifest::all(), &AppUrls { handler: "https://new.example.com/run".into(), ..urls("app.example.com") }, 1);
    let (statuses, job, records) = registry.sync(&new, &records, false);
    assert!(statuses.iter().all(|s| s.state == RuleState::Different(vec![Aspect::Handler])), "{statuses:?}");
    assert!(registry.calls.iter().all(|m| m.ends_with(".update")) && registry.calls.len() == 4);
    let params = &job.items[0].command.params;
    assert_eq!(params["FIELDS"]["HANDLER"], "https://new.example.com/run");
    assert_eq!(params["PLACEMENT_HANDLER"], params["FIELDS"]["PLACEMENT_HANDLER"], "the spec §1.3 quirk");
    let (robots, activities) = registry.lists();
    assert!(compare(&new, &robots, &activities, &records).iter().all(|s| s.state == RuleState::Current));
}

#[test]
fn every_state_is_found() {
    let want = wanted(&manifest::all(), &urls("app.example.com"), 1);
    let mut records = Records::new();
    records.insert(want[0].code.clone(), record(&want[0]));
    let mut changed = record(&want[2]);
    changed.insert(Aspect::Properties, "0".into());
    changed.remove(&Aspect::Other);
    records.insert(want[2].code.clone(), changed);
    let robots = ["rulekit_invoice", "rulekit_timeline_comment", "old_robot"].map(String::from);
    let activities = ["rulekit_invoice_activity".to_string()];
    let statuses = compare(&want, &robots, &activities, &records);
    assert_eq!(
        states(&statuses),
        [
            ("rulekit_invoice", RuleState::Current),
            ("rulekit_invoice_activity", RuleState::Unrecorded),
            ("rulekit_timeline_comment", RuleState::Different(vec![Aspect::Properties, Aspect::Other])),
            ("rulekit_timeline_comment_activity", RuleState::Missing),
            ("old_robot", RuleState::Orphan),
        ]
    );
    let verbs = |delete: bool| sync_items(&want, &statuses, delete).into_iter().map(|i| i.command.method).collect::<Vec<_>>();
    assert_eq!(verbs(false), ["bizproc.activity.update", "bizproc.robot.update", "bizproc.activity.add"]);
    assert_eq!(verbs(true).last().map(String::as_str), Some("bizproc.robot.delete"), "orphans go only when asked");
}

#[test]
fn deleted_orphans_lose_their_record_and_failures_keep_the_old_one() {
    let want = wanted(&[manifest::invoice()], &urls("app.example.com"), 1);
    let mut records = Records::new();
    records.insert("old_robot".into(), BTreeMap::new());
    let old_activity: BTreeMap<Aspect, String> = [(Aspect::Name, "old".to_string())].into();
    records.insert(want[1].code.clone(), old_activity.clone());
    let statuses = compare(&want, &["old_robot".to_string()], &[want[1].code.clone()], &records);
    let mut job = Job::new("Sync", sync_items(&want, &statuses, true), 0);
    let methods: Vec<&str> = job.items.iter().map(|i| i.command.method.as_str()).collect();
    assert_eq!(methods, ["bizproc.robot.add", "bizproc.activity.update", "bizproc.robot.delete"]);
    job.outcomes = vec![Some(Outcome::Done), Some(Outcome::Failed { code: "ERROR_CORE".into(), description: "x".into() }), Some(Outcome::Done)];
    let after = records_after(&records, &want, &job);
    assert_eq!(after.get("rulekit_invoice"), Some(&record(&want[0])));
    assert_eq!(after.get("rulekit_invoice_activity"), Some(&old_activity), "a failed update keeps the old record");
    assert!(!after.contains_key("old_robot"), "deleted");
}

#[test]
fn a_wipe_is_told_from_a_first_install() {
    let want = wanted(&manifest::all(), &urls("app.example.com"), 1);
    let records: Records = want.iter().map(|w| (w.code.clone(), record(w))).collect();
    let nothing = compare(&want, &[], &[], &records);
    assert!(wiped(&nothing, &records), "recorded, and none there");
    assert!(!wiped(&nothing, &Records::new()), "a first install has no records");
    let one = compare(&want, &["rulekit_invoice".to_string()], &[], &records);
    assert!(!wiped(&one, &records));
    assert!(records_from_json("garbage").is_empty());
    assert!(records_from_json("{\"x\": 5}").is_empty());
}

#[test]
fn another_administrator_syncing_finds_the_rules_current() {
    let first = wanted(&manifest::all(), &urls("app.example.com"), 1);
    let second = wanted(&manifest::all(), &urls("app.example.com"), 42);
    assert_ne!(first[0].params["AUTH_USER_ID"], second[0].params["AUTH_USER_ID"]);
    assert_eq!(record(&first[0]), record(&second[0]), "whose token a rule runs with is not a difference");
}
