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

thread_local! {
    /// Asked once per page: every section needs it.
    static CURRENT: std::cell::RefCell<Option<Scope>> = const { std::cell::RefCell::new(None) };
}

/// The scope of the person looking: the portal from BX24.js, the user from `user.current`.
pub async fn current() -> Option<Scope> {
    if let Some(s) = CURRENT.with_borrow(Clone::clone) {
        return Some(s);
    }
    let portal = bx24::portal()?;
    let me = bx24::call_method("user.current", &serde_json::json!({})).await.ok()?;
    let user_id = match me.get("ID")? {
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    let scope = Scope { member_id: portal.member_id, user_id };
    CURRENT.set(Some(scope.clone()));
    Some(scope)
}
