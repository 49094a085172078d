//! An app update as the portal does it (spec §1.4): `onRestAppUpdate` calls `onRestAppDelete`, so
//! every robot and activity of the app goes, with its settings placement (kept in the rule), and
//! the app must register them again. What the dialogs saved stays: it belongs to the templates.
//! The new version is announced with `ONAPPUPDATE` to the install URL, when there is one.

use crate::clock::now_unix;
use crate::state::State;
use crate::Sandbox;
use serde_json::json;

/// Deletes all the app's rules and moves the app to its next version; the number of rules deleted.
pub fn update_app(state: &mut State) -> usize {
    let deleted = state.rules.len();
    state.rules.clear();
    state.app_version += 1;
    deleted
}

/// `ONAPPUPDATE` as the portal posts it: the new and previous versions, and the app's tokens.
pub fn update_event(s: &Sandbox) -> String {
    s.with_state(|st| {
        rulekit_model::form_encoding::encode(&json!({
            "event": "ONAPPUPDATE",
            "data": {"VERSION": st.app_version.to_string(), "PREVIOUS_VERSION": st.app_version.saturating_sub(1).to_string(), "LANGUAGE_ID": "en"},
            "ts": now_unix().to_string(),
            "auth": {"access_token": st.tokens.access, "expires": st.tokens.expires.to_string(), "expires_in": "3600",
                "scope": "bizproc,crm,user,placement", "domain": s.portal_host, "server_endpoint": format!("http://{}/oauth-server/rest/", s.portal_host),
                "status": "L", "client_endpoint": format!("http://{}/rest/", s.portal_host), "member_id": st.member_id,
                "user_id": st.current_user.to_string(), "refresh_token": st.tokens.refresh, "application_token": st.application_token}
        }))
        .unwrap_or_default()
    })
}
