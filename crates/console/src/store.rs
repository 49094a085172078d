//! What the console keeps in the browser (localStorage), per portal and per user, so that a
//! reload or a closed slider resumes a job where it stopped. Nothing secret is kept.

/// Whose storage: the portal's `member_id` and the user's id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub member_id: String,
    pub user_id: String,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

impl Scope {
    fn key(&self, name: &str) -> String {
        format!("rulekit:{}:{}:{name}", self.member_id, self.user_id)
    }

    pub fn get(&self, name: &str) -> Option<String> {
        storage()?.get_item(&self.key(name)).ok()?
    }

    /// False when the browser refused (storage off, or full).
    pub fn set(&self, name: &str, value: &str) -> bool {
        storage().is_some_and(|s| s.set_item(&self.key(name), value).is_ok())
    }

    pub fn remove(&self, name: &str) {
        if let Some(s) = storage() {
            let _ = s.remove_item(&self.key(name));
        }
    }
}

/// The scope of the person looking: the portal from BX24.js, the user from `user.current`.
pub async fn current() -> Option<Scope> {
    let portal = bx24::portal()?;
    let me = bx24::call_method("user.current", &serde_json::json!({})).await.ok()?;
    let user_id = match me.get("ID")? {
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    Some(Scope { member_id: portal.member_id, user_id })
}
