//! The app's rules against the portal's (seed scenario 2). `bizproc.robot.list` and
//! `bizproc.activity.list` return only codes, so the console keeps, per code, a fingerprint of each
//! aspect it registered (an app option, as JSON): "different" is found against that record. An app
//! update or reinstall deletes every rule of the app (spec §1.4); `wiped` says when that happened.

use super::job::{Job, JobItem, Outcome};
use crate::batch::Command;
use crate::manifest::RuleManifest;
use crate::Localized;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub use super::urls::{AppUrls, UrlKind, UrlProblem};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Aspect {
    Name,
    Description,
    Properties,
    ReturnValues,
    Handler,
    PlacementHandler,
    UsePlacement,
    /// FILTER, DOCUMENT_TYPE, USE_SUBSCRIPTION, AUTH_USER_ID and anything else.
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Robot,
    Activity,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Robot => "bizproc.robot",
            Kind::Activity => "bizproc.activity",
        }
    }
}

/// One rule as this version of the app registers it.
#[derive(Clone, Debug, PartialEq)]
pub struct Wanted {
    pub code: String,
    pub kind: Kind,
    pub name: Localized,
    /// The `*.add` params.
    pub params: Value,
}

/// A robot and an activity per manifest rule.
pub fn wanted(manifests: &[RuleManifest], urls: &AppUrls, auth_user_id: u64) -> Vec<Wanted> {
    manifests
        .iter()
        .flat_map(|m| {
            [(Kind::Robot, true), (Kind::Activity, false)].map(|(kind, robot)| {
                let params = m.registration(robot, &urls.handler, &urls.settings_page, auth_user_id);
                let code = params["CODE"].as_str().unwrap_or(m.code).to_string();
                Wanted { code, kind, name: m.name.clone(), params }
            })
        })
        .collect()
}

pub type Records = BTreeMap<String, BTreeMap<Aspect, String>>;

fn aspect_of(key: &str) -> Option<Aspect> {
    Some(match key {
        // Whose token the rule runs with is the registering administrator's: another
        // administrator syncing is no reason to call a rule different.
        "CODE" | "AUTH_USER_ID" => return None,
        "NAME" => Aspect::Name,
        "DESCRIPTION" => Aspect::Description,
        "PROPERTIES" => Aspect::Properties,
        "RETURN_PROPERTIES" => Aspect::ReturnValues,
        "HANDLER" => Aspect::Handler,
        "PLACEMENT_HANDLER" => Aspect::PlacementHandler,
        "USE_PLACEMENT" => Aspect::UsePlacement,
        _ => Aspect::Other,
    })
}

/// 64-bit FNV-1a, as 16 hex digits: stable across builds and platforms, unlike std's hasher.
fn fnv(text: &str) -> String {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

/// A fingerprint per aspect of what `w` registers: the compact JSON of its fields, in the order
/// they are registered (a reordering of properties changes how the form shows them, so it counts).
pub fn record(w: &Wanted) -> BTreeMap<Aspect, String> {
    let mut parts: BTreeMap<Aspect, Map<String, Value>> = BTreeMap::new();
    for (key, value) in w.params.as_object().into_iter().flatten() {
        if let Some(aspect) = aspect_of(&key.to_ascii_uppercase()) {
            parts.entry(aspect).or_default().insert(key.to_ascii_uppercase(), value.clone());
        }
    }
    parts.into_iter().map(|(a, fields)| (a, fnv(&Value::Object(fields).to_string()))).collect()
}

/// Lenient: anything that is not a stored record reads as no records.
pub fn records_from_json(text: &str) -> Records {
    serde_json::from_str(text).unwrap_or_default()
}

pub fn records_to_json(r: &Records) -> String {
    serde_json::to_string(r).unwrap_or_default()
}

#[derive(Clone, Debug, PartialEq)]
pub enum RuleState {
    Current,
    Missing,
    Different(Vec<Aspect>),
    /// Registered, but this console has no record of what (registered by an older version, or by
    /// hand): updated on Sync.
    Unrecorded,
    /// Registered by this app, no longer in the manifest.
    Orphan,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RuleStatus {
    pub code: String,
    pub kind: Kind,
    pub name: Option<Localized>,
    pub state: RuleState,
}

/// Each wanted rule's state, in order, then the orphans the lists name (robots, then activities).
pub fn compare(wanted: &[Wanted], robots: &[String], activities: &[String], records: &Records) -> Vec<RuleStatus> {
    let listed = |kind: Kind| if kind == Kind::Robot { robots } else { activities };
    let mut out: Vec<RuleStatus> = wanted
        .iter()
        .map(|w| {
            let state = match (listed(w.kind).contains(&w.code), records.get(&w.code)) {
                (false, _) => RuleState::Missing,
                (true, None) => RuleState::Unrecorded,
                (true, Some(old)) => {
                    let new = record(w);
                    let mut changed: Vec<Aspect> = new.keys().chain(old.keys()).filter(|a| new.get(a) != old.get(a)).copied().collect();
                    changed.sort();
                    changed.dedup();
                    if changed.is_empty() { RuleState::Current } else { RuleState::Different(changed) }
                }
            };
            RuleStatus { code: w.code.clone(), kind: w.kind, name: Some(w.name.clone()), state }
        })
        .collect();
    for kind in [Kind::Robot, Kind::Activity] {
        for code in listed(kind).iter().filter(|c| !wanted.iter().any(|w| w.kind == kind && &w.code == *c)) {
            out.push(RuleStatus { code: code.clone(), kind, name: None, state: RuleState::Orphan });
        }
    }
    out
}

/// The portal removed the app's rules (an app update or a reinstall, spec §1.4): the records say
/// rules were registered, and none of them is there.
pub fn wiped(statuses: &[RuleStatus], records: &Records) -> bool {
    let present = |code: &str| statuses.iter().any(|s| s.code == code && s.state != RuleState::Missing);
    !records.is_empty() && !records.keys().any(|code| present(code))
}

/// Commands for Sync: add for Missing, update for Different/Unrecorded (`*.update {CODE, FIELDS,
/// PLACEMENT_HANDLER}`: the top-level PLACEMENT_HANDLER too, spec §1.3 quirk), delete for Orphan
/// only when `delete_orphans`. Current rules get no command. Keys are the codes.
pub fn sync_items(wanted: &[Wanted], statuses: &[RuleStatus], delete_orphans: bool) -> Vec<JobItem> {
    let find = |s: &RuleStatus| wanted.iter().find(|w| w.kind == s.kind && w.code == s.code);
    statuses
        .iter()
        .filter_map(|s| {
            let (verb, params) = match (&s.state, find(s)) {
                (RuleState::Missing, Some(w)) => ("add", w.params.clone()),
                (RuleState::Different(_) | RuleState::Unrecorded, Some(w)) => {
                    let mut fields = w.params.as_object().cloned().unwrap_or_default();
                    fields.remove("CODE");
                    let placement = fields.get("PLACEMENT_HANDLER").cloned().unwrap_or(Value::Null);
                    ("update", json!({"CODE": s.code, "FIELDS": fields, "PLACEMENT_HANDLER": placement}))
                }
                (RuleState::Orphan, _) if delete_orphans => ("delete", json!({"CODE": s.code})),
                _ => return None,
            };
            let label = s.name.as_ref().map_or(s.code.clone(), |n| n.get("en").to_string());
            let command = Command::new(&s.code, format!("{}.{verb}", s.kind.prefix()), params);
            Some(JobItem { id: s.code.clone(), label, command, verify: None })
        })
        .collect()
}

/// Records after a sync: codes whose command succeeded get their new record; deleted ones are
/// removed; failed ones keep the old.
pub fn records_after(old: &Records, wanted: &[Wanted], job: &Job) -> Records {
    let mut records = old.clone();
    for (item, outcome) in job.items.iter().zip(&job.outcomes) {
        if !matches!(outcome, Some(Outcome::Done | Outcome::DoneBeforeReload)) {
            continue;
        }
        if item.command.method.ends_with(".delete") {
            records.remove(&item.id);
        } else if let Some(w) = wanted.iter().find(|w| w.code == item.id && item.command.method.starts_with(w.kind.prefix())) {
            records.insert(w.code.clone(), record(w));
        }
    }
    records
}

#[cfg(test)]
#[path = "registration_tests.rs"]
mod tests;
