//! Questions to the portal's REST API from the form. Every part that asks (the names of users, the
//! people search, a property's choices) goes through `ask`, so they share one future's code: an
//! `async` block of their own each cost the settings bundle about a kilobyte.

use crate::bx24::{self, Bx24Error};
use crate::reactive::spawn_local;
use serde_json::Value;

/// Calls `method` with `params` and hands the answer, or why there is none, to `then`.
pub fn ask(method: &'static str, params: Value, then: Box<dyn FnOnce(Result<Value, Bx24Error>)>) {
    spawn_local(async move { then(bx24::call_method(method, &params).await) });
}
