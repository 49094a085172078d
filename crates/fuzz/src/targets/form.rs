//! Form bodies with PHP bracket keys, as Bitrix24's queue posts a rule's run: `a[b][]=c`, brackets
//! raw or percent-encoded, broken escapes, empty and repeated keys, keys with no `=`, and the
//! execution fixtures with all of that added or mutated in.
//!
//! A body `ExecutionRequest::from_form` accepts must come back the same through `to_form`: the
//! handler stores requests and the sandbox replays them as bodies. And the handler's intake
//! (`intake`) must agree with the full reading: a body it takes the short way on decodes, and the
//! fields it checks are the ones the worker reads.

use super::fixtures::mutate;
use crate::rng::Rng;
use crate::text;
use rulekit_model::execution::ExecutionRequest;
use rulekit_model::form_encoding;
use rulekit_model::intake::Intake;

const DEAL: &str = include_str!("../../../../fixtures/execution.invoice-deal.form");
const LEAD: &str = include_str!("../../../../fixtures/execution.invoice-lead.form");
const MINIMAL: &str = "workflow_id=w&code=c&event_token=t&document_id[0]=crm&document_id[1]=X&document_id[2]=DEAL_1";

const KEYS: &[&str] = &[
    "workflow_id", "code", "document_id", "document_type", "event_token", "properties", "use_subscription",
    "timeout_duration", "ts", "auth", "", "x", "名",
];
const SEGMENTS: &[&str] = &["[]", "[0]", "[1]", "[2]", "[5]", "[99999999999999999999]", "[", "]", "[[x]]", "[ ]", "[%]", "[access_token]", "[s]"];
const ESCAPES: &[&str] = &["%", "%2", "%zz", "%00", "%C3", "%C3%A9", "%E2%82", "%FF", "%5B", "%5d", "%26", "%3D", "+", "%2B", "&", "=", ";"];

pub fn make(rng: &mut Rng) -> Vec<u8> {
    let size = rng.size();
    let mut body = match rng.below(4) {
        0 => String::new(),
        1 => MINIMAL.to_string(),
        _ => rng.pick(&[DEAL, LEAD]).trim().to_string(),
    };
    // A large body is many pairs, or one long value (a pasted text, an encoded upload).
    let (pairs, long) = if size <= 4096 {
        (rng.below(12), None)
    } else if rng.one_in(2) {
        (size / 24, None)
    } else {
        (1, Some(size))
    };
    for i in 0..pairs {
        let pair = pair(rng, if i == 0 { long } else { None });
        if !body.is_empty() {
            body.push_str(rng.pick(&["&", "&", "&", "&&", ";"]));
        }
        body.push_str(&pair);
    }
    let bytes = body.into_bytes();
    if rng.one_in(5) {
        mutate(rng, bytes, &[DEAL.as_bytes(), LEAD.as_bytes()])
    } else {
        bytes
    }
}

fn pair(rng: &mut Rng, long: Option<usize>) -> String {
    let mut key = rng.pick(KEYS).to_string();
    let depth = if rng.one_in(10) { rng.below(10) } else { rng.below(3) };
    for _ in 0..depth {
        key.push_str(&match rng.below(3) {
            0 => format!("[{}]", text::name(rng)),
            _ => rng.pick(SEGMENTS).to_string(),
        });
    }
    if rng.one_in(3) {
        key = key.replace('[', "%5B").replace(']', "%5D");
    }
    if rng.one_in(8) {
        return key;
    }
    let mut value = String::new();
    for _ in 0..rng.below(4) {
        value.push_str(if rng.one_in(3) { rng.pick(ESCAPES) } else { rng.pick(text::PIECES) });
    }
    if let Some(len) = long {
        value.push_str(&text::text(rng, len));
    }
    format!("{key}={value}")
}

pub fn run(input: &[u8]) {
    let body = String::from_utf8_lossy(input);
    let decodes = form_encoding::decode(&body);
    if let Ok(decoded) = &decodes {
        let _ = ExecutionRequest::from_decoded(decoded);
    }
    let short = Intake::plain(&body);
    assert!(short.is_none() || decodes.is_ok(), "the intake's short way takes a body the decoder refuses");
    let long = decodes.as_ref().ok().map(Intake::from_decoded);
    for intake in short.into_iter().chain(long) {
        if intake.check().is_ok() {
            let full = ExecutionRequest::from_form(&body).unwrap_or_else(|e| panic!("the intake takes a run the worker cannot read: {e}"));
            let same = [
                ("workflow_id", *intake.workflow_id == *full.workflow_id),
                ("code", *intake.code == *full.code),
                ("event_token", *intake.event_token == *full.event_token),
                ("document_id", *intake.document == *full.document_id[2]),
                ("member_id", *intake.member_id == *full.auth.member_id),
                ("application_token", *intake.application_token == *full.auth.application_token),
                ("domain", *intake.domain == *full.auth.domain),
                ("client_endpoint", *intake.client_endpoint == *full.auth.client_endpoint),
            ];
            if let Some((field, _)) = same.iter().find(|(_, same)| !same) {
                panic!("the intake reads {field} otherwise than the worker");
            }
        }
    }
    let Ok(request) = ExecutionRequest::from_form(&body) else { return };
    let again = ExecutionRequest::from_form(&request.to_form());
    let again = again.unwrap_or_else(|e| panic!("from_form refuses the body to_form writes: {e}"));
    let differs = [
        ("workflow_id", again.workflow_id == request.workflow_id),
        ("code", again.code == request.code),
        ("document_id", again.document_id == request.document_id),
        ("document_type", again.document_type == request.document_type),
        ("event_token", again.event_token == request.event_token),
        ("properties", again.properties == request.properties),
        ("auth", again.auth == request.auth),
        ("the rest", again == request),
    ];
    // The field's name, not its value: a message must not carry a token.
    if let Some((field, _)) = differs.iter().find(|(_, same)| !same) {
        panic!("from_form(to_form(r)) changes {field}");
    }
}
