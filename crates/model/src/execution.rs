//! The execution request Bitrix24's queue POSTs to a rule's `HANDLER` (spec §3): form-encoded,
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

impl ExecutionRequest {
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
        let body = json!({
            "workflow_id": self.workflow_id,
            "code": self.code,
            "document_id": self.document_id,
            "document_type": self.document_type,
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
        form_encoding::encode(&body).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
