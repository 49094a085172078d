//! The execution request Bitrix24's queue POSTs to a rule's `HANDLER` (see
//! https://apidocs.bitrix24.com/api-reference/bizproc/bizproc-robot/index.html): form-encoded,
//! PHP bracket keys, `Multiple` values as `[0]`, `[1]`…, and the `auth[...]` block.

use crate::form_encoding;
use crate::value::PropertyValue;
use serde_json::{json, Map, Value};

/// The `auth[...]` block. Its tokens are secrets: `Debug` leaves them out.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Auth {
    pub access_token: String,
    pub refresh_token: String,
    pub application_token: String,
    pub expires: u64,
    pub expires_in: u64,
    pub scope: String,
    pub domain: String,
    pub server_endpoint: String,
    pub status: String,
    pub client_endpoint: String,
    pub member_id: String,
    pub user_id: String,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth").field("domain", &self.domain).field("member_id", &self.member_id).field("user_id", &self.user_id).finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct ExecutionRequest {
    pub workflow_id: String,
    pub code: String,
    pub document_id: Vec<String>,
    pub document_type: Vec<String>,
    pub event_token: String,
    /// In the rule's property order.
    pub properties: Vec<(String, PropertyValue)>,
    pub use_subscription: bool,
    pub timeout_duration: u64,
    pub ts: u64,
    pub auth: Auth,
}

/// Why a body is not a rule run. Never carries a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExecutionError {
    /// Not a form body at all (the parser's words follow).
    Unreadable(String),
    /// A field every run has is missing or empty.
    Missing(&'static str),
}

impl std::fmt::Display for ExecutionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExecutionError::Unreadable(e) => write!(f, "the body is not a form: {e}"),
            ExecutionError::Missing(field) => write!(f, "the field {field} is missing"),
        }
    }
}

impl std::error::Error for ExecutionError {}

pub(crate) fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(crate::lenient::scalar_text).unwrap_or_default()
}

pub(crate) fn texts(v: &Value, key: &str) -> Vec<String> {
    v.get(key).map(crate::lenient::list_like).unwrap_or_default().iter().filter_map(crate::lenient::scalar_text).collect()
}

/// A code a rule's property can have: the portal registers only `^[a-z][a-z0-9_]*$`, any case
/// (restservice.php `validateActivityProperties`). Any other key in a body names no property (an
/// empty one from `properties[x]&properties`, `0` from a PHP list), and a body written back could
/// not carry it as it came, so it is dropped.
fn is_property_code(code: &str) -> bool {
    code.starts_with(|c: char| c.is_ascii_alphabetic()) && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl ExecutionRequest {
    /// Reads a run from its form body (serde_qs in form mode, through `form_encoding`). A property
    /// is a text or a list (`[0]`, `[1]`…); the caller shapes it by the rule's manifest. Missing
    /// properties are simply absent: an empty list vanishes from a PHP form.
    pub fn from_form(body: &str) -> Result<Self, ExecutionError> {
        Self::from_decoded(&form_encoding::decode(body).map_err(ExecutionError::Unreadable)?)
    }

    /// Reads a run from a body already decoded with `form_encoding::decode`.
    pub fn from_decoded(v: &Value) -> Result<Self, ExecutionError> {
        let required = |key: &'static str| -> Result<String, ExecutionError> {
            Some(text(v, key)).filter(|s| !s.is_empty()).ok_or(ExecutionError::Missing(key))
        };
        let auth = v.get("auth").cloned().unwrap_or(Value::Null);
        let number = |v: &Value, k: &str| text(v, k).trim().parse::<u64>().unwrap_or(0);
        let properties = v
            .get("properties")
            .and_then(Value::as_object)
            .map(|m| m.iter().filter(|(k, _)| is_property_code(k)).map(|(k, val)| (k.clone(), PropertyValue::from_json(val).0)).collect())
            .unwrap_or_default();
        let document_id = texts(v, "document_id");
        if document_id.len() != 3 {
            return Err(ExecutionError::Missing("document_id"));
        }
        Ok(ExecutionRequest {
            workflow_id: required("workflow_id")?,
            code: required("code")?,
            document_id,
            document_type: texts(v, "document_type"),
            event_token: required("event_token")?,
            properties,
            use_subscription: text(v, "use_subscription") == "Y",
            timeout_duration: number(v, "timeout_duration"),
            ts: number(v, "ts"),
            auth: Auth {
                access_token: text(&auth, "access_token"),
                refresh_token: text(&auth, "refresh_token"),
                application_token: text(&auth, "application_token"),
                expires: number(&auth, "expires"),
                expires_in: number(&auth, "expires_in"),
                scope: text(&auth, "scope"),
                domain: text(&auth, "domain"),
                server_endpoint: text(&auth, "server_endpoint"),
                status: text(&auth, "status"),
                client_endpoint: text(&auth, "client_endpoint"),
                member_id: text(&auth, "member_id"),
                user_id: text(&auth, "user_id"),
            },
        })
    }

    /// A property's value shaped for its manifest: a list for `Multiple`, one text otherwise (a
    /// single value sent as `[0]` unwraps), empty when the key is missing.
    pub fn value(&self, property: &crate::Property) -> PropertyValue {
        self.properties
            .iter()
            .find(|(k, _)| *k == property.code)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
            .shaped(property.multiple)
            .0
    }

    /// The form body, as the queue server sends it.
    pub fn to_form(&self) -> String {
        let properties: Map<String, Value> = self
            .properties
            .iter()
            .map(|(code, v)| {
                let value = match v {
                    PropertyValue::Single(s) => json!(s),
                    // An empty list vanishes from a PHP form body: the key is simply missing.
                    PropertyValue::Multiple(items) if items.is_empty() => return (code.clone(), Value::Null),
                    PropertyValue::Multiple(items) => json!(items),
                };
                (code.clone(), value)
            })
            .filter(|(_, v)| !v.is_null())
            .collect();
        let a = &self.auth;
        let mut body = json!({
            "workflow_id": self.workflow_id,
            "code": self.code,
            "document_id": self.document_id,
            "event_token": self.event_token,
            "properties": properties,
            "use_subscription": if self.use_subscription { "Y" } else { "N" },
            "timeout_duration": self.timeout_duration.to_string(),
            "ts": self.ts.to_string(),
            "auth": {
                "access_token": a.access_token, "expires": a.expires.to_string(), "expires_in": a.expires_in.to_string(),
                "scope": a.scope, "domain": a.domain, "server_endpoint": a.server_endpoint, "status": a.status,
                "client_endpoint": a.client_endpoint, "member_id": a.member_id, "user_id": a.user_id,
                "refresh_token": a.refresh_token, "application_token": a.application_token
            }
        });
        // An empty list vanishes from a PHP form; written as `document_type=` it would read back
        // as one empty text.
        if !self.document_type.is_empty() {
            body["document_type"] = json!(self.document_type);
        }
        form_encoding::encode(&body).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name)).unwrap()
    }

    #[test]
    fn the_deal_fixture_reads_completely() {
        let r = ExecutionRequest::from_form(&fixture("execution.invoice-deal.form")).unwrap();
        assert_eq!(r.code, "rulekit_invoice");
        assert_eq!(r.document_id, ["crm", "CCrmDocumentDeal", "DEAL_123"]);
        assert_eq!(r.auth.member_id, "a223c6b3710f85df22e9377d6c4f7553");
        assert_eq!(r.auth.application_token, "51856fefc120afa4b628cc82d3935cce");
        let m = crate::manifest::invoice();
        let get = |code: &str| r.value(m.properties.iter().find(|p| p.code == code).unwrap());
        assert_eq!(get("invoice_title"), PropertyValue::Single("Invoice for Big deal & Co".into()));
        assert_eq!(get("observers"), PropertyValue::Multiple(vec!["user_1".into(), "user_7".into()]));
        assert_eq!(get("comments"), PropertyValue::Single("Paid by card\nthank you".into()));
        assert!(r.use_subscription);
    }

    #[test]
    fn the_lead_fixture_has_empty_values_and_a_single_observer() {
        let r = ExecutionRequest::from_form(&fixture("execution.invoice-lead.form")).unwrap();
        let m = crate::manifest::invoice();
        let get = |code: &str| r.value(m.properties.iter().find(|p| p.code == code).unwrap());
        assert_eq!(get("due_in_days"), PropertyValue::Single(String::new()));
        assert_eq!(get("observers"), PropertyValue::Multiple(vec!["user_1".into()]));
    }

    #[test]
    fn single_values_sent_as_lists_unwrap_and_missing_keys_are_empty() {
        let r = ExecutionRequest::from_form(
            "workflow_id=w&code=c&event_token=t&document_id[0]=crm&document_id[1]=X&document_id[2]=DEAL_1&properties[mycompany_id][0]=5",
        )
        .unwrap();
        let m = crate::manifest::invoice();
        assert_eq!(r.value(&m.properties[1]), PropertyValue::Single("5".into()));
        assert_eq!(r.value(&m.properties[4]), PropertyValue::Multiple(vec![]));
    }

    #[test]
    fn broken_bodies_say_what_is_missing_without_tokens() {
        let full = fixture("execution.invoice-deal.form");
        let cut = &full[..full.find("&event_token").unwrap()];
        assert_eq!(ExecutionRequest::from_form(cut).unwrap_err(), ExecutionError::Missing("event_token"));
        let e = ExecutionRequest::from_form("workflow_id=1&auth[access_token]=SECRET").unwrap_err();
        assert!(!e.to_string().contains("SECRET"));
        assert!(matches!(ExecutionRequest::from_form("a[0]=1&a[5]=2"), Err(ExecutionError::Unreadable(_))));
    }

    #[test]
    fn the_document_type_reads_back_as_it_was_written() {
        let base = "workflow_id=w&code=c&event_token=t&document_id[0]=crm&document_id[1]=X&document_id[2]=DEAL_1";
        let none = ExecutionRequest::from_form(base).unwrap();
        assert_eq!(none.document_type, Vec::<String>::new());
        let three = ExecutionRequest { document_type: vec!["crm".into(), "CCrmDocumentDeal".into(), "DEAL".into()], ..none.clone() };
        let blank = ExecutionRequest { document_type: vec![String::new()], ..none.clone() };
        for r in [none, three, blank] {
            assert_eq!(ExecutionRequest::from_form(&r.to_form()), Ok(r.clone()), "{:?}", r.document_type);
        }
    }

    #[test]
    fn a_property_with_an_empty_code_is_no_property() {
        let base = "workflow_id=w&code=c&event_token=t&document_id[0]=crm&document_id[1]=X&document_id[2]=DEAL_1";
        for tail in ["&properties[s]&properties", "&properties[s]=1&properties=2"] {
            let r = ExecutionRequest::from_form(&format!("{base}{tail}")).unwrap();
            assert!(r.properties.iter().all(|(code, _)| !code.is_empty()), "{tail}: {:?}", r.properties);
            assert_eq!(ExecutionRequest::from_form(&r.to_form()), Ok(r.clone()), "{tail}");
        }
    }

    #[test]
    fn the_form_body_has_php_brackets_lists_and_the_auth_block() {
        let req = ExecutionRequest {
            workflow_id: "67e3.1".into(),
            code: "rulekit_invoice".into(),
            document_id: vec!["crm".into(), "CCrmDocumentDeal".into(), "DEAL_123".into()],
            document_type: vec!["crm".into(), "CCrmDocumentDeal".into(), "DEAL".into()],
            event_token: "67e3.1|A1|abc.sig".into(),
            properties: vec![
                ("invoice_title".into(), PropertyValue::Single("Big deal & Co".into())),
                ("observers".into(), PropertyValue::Multiple(vec!["user_1".into(), "user_7".into()])),
                ("empty".into(), PropertyValue::Multiple(vec![])),
            ],
            use_subscription: true,
            auth: Auth { application_token: "app-token".into(), member_id: "m1".into(), ..Auth::default() },
            ..Default::default()
        };
        let body = req.to_form();
        let v = form_encoding::decode(&body).unwrap();
        assert_eq!(v["document_id"][2], "DEAL_123");
        assert_eq!(v["properties"]["invoice_title"], "Big deal & Co");
        assert_eq!(v["properties"]["observers"], json!(["user_1", "user_7"]));
        assert!(v["properties"].get("empty").is_none(), "an empty list vanishes");
        assert_eq!(v["auth"]["application_token"], "app-token");
        assert_eq!(v["use_subscription"], "Y");
        assert!(!format!("{req:?}").contains("app-token"), "Debug never shows a token");
    }
}
