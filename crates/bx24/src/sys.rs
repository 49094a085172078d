//! The raw BX24.js surface rulekit uses. Private to `bx24`: nothing above it sees a `JsValue`.
//!
//! Every import is looked up on the global `BX24` at call time and `catch`es, so a missing or
//! broken library becomes an `Err`, never a panic.

use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = BX24, js_name = init, catch)]
    pub fn init(callback: &Function) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = getLang, catch)]
    pub fn get_lang() -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["BX24", "placement"], js_name = info, catch)]
    pub fn placement_info() -> Result<JsValue, JsValue>;

    /// Without a callback: used for `setPropertyValue`, which the portal never answers.
    #[wasm_bindgen(js_namespace = ["BX24", "placement"], js_name = call, catch)]
    pub fn placement_call(command: &str, params: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = fitWindow, catch)]
    pub fn fit_window(callback: &Function) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = resizeWindow, catch)]
    pub fn resize_window(width: f64, height: f64, callback: &Function) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = selectUser, catch)]
    pub fn select_user(title: &str, callback: &Function) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = selectUsers, catch)]
    pub fn select_users(title: &str, callback: &Function) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = callMethod, catch)]
    pub fn call_method(method: &str, params: &JsValue, callback: &Function) -> Result<(), JsValue>;

    /// The `ajaxResult` handed to a `callMethod` callback.
    pub type AjaxResult;

    #[wasm_bindgen(method, catch)]
    pub fn data(this: &AjaxResult) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch)]
    pub fn error(this: &AjaxResult) -> Result<JsValue, JsValue>;

    /// The whole answer (`result`, `total`, `next`, `time`, or `error`): lists need `total`.
    #[wasm_bindgen(method, getter)]
    pub fn answer(this: &AjaxResult) -> JsValue;

    /// The HTTP status (0 when nothing came back).
    #[wasm_bindgen(method, getter)]
    pub fn status(this: &AjaxResult) -> JsValue;

    #[wasm_bindgen(js_namespace = BX24, js_name = isAdmin, catch)]
    pub fn is_admin() -> Result<JsValue, JsValue>;

    /// `{access_token, refresh_token, expires_in, domain, member_id}`: only the last two leave `bx24`.
    #[wasm_bindgen(js_namespace = BX24, js_name = getAuth, catch)]
    pub fn get_auth() -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = refreshAuth, catch)]
    pub fn refresh_auth(callback: &Function) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = ["BX24", "appOption"], js_name = get, catch)]
    pub fn app_option_get(name: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["BX24", "appOption"], js_name = set, catch)]
    pub fn app_option_set(name: &str, value: &JsValue, callback: &Function) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = installFinish, catch)]
    pub fn install_finish() -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = openPath, catch)]
    pub fn open_path(path: &str, callback: &Function) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = setTitle, catch)]
    pub fn set_title(title: &str, callback: &Function) -> Result<(), JsValue>;
}
