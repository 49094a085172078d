//! The pure model of rulekit, shared by the settings app, the execution handler and the sandbox.
//!
//! Nothing here knows about the DOM, HTTP or an async runtime: every function takes plain data and
//! returns plain data, so all of it is tested on the host with `cargo test`. The portal sends the same
//! facts in several shapes (upper- or mixed-case keys, `Y`/`true`/`1` flags, numbers as strings, `[]`
//! for an empty map); the parsers here accept all of them so that no caller has to.

pub mod batch;
pub mod caseless;
pub mod choices;
pub mod dates;
pub mod depth;
pub mod document;
pub mod execution;
pub mod expression;
pub mod form;
pub mod form_encoding;
pub mod instant;
// The handler's alone. Unused by the settings page, yet its string literals still reordered the
// page's merged strings by 23 bytes of brotli, so it is left out of the wasm.
#[cfg(not(target_arch = "wasm32"))]
pub mod intake;
pub mod json_text;
pub mod lang;
pub mod lenient;
pub mod manifest;
pub mod placement;
pub mod planner;
pub mod problem;
pub mod property;
pub mod rate;
pub mod site;
#[cfg(test)]
mod test_support;
pub mod text;
pub mod user;
pub mod validate;
pub mod value;

pub use expression::{Catalog, CatalogGroup, CatalogItem, DocumentField};
pub use document::{CrmEntity, DocumentId};
pub use lang::Localized;
pub use text::Lang;
pub use user::UserToken;
pub use placement::PlacementOptions;
pub use problem::Problem;
pub use property::{Property, PropertyType};
pub use validate::Invalid;
pub use value::PropertyValue;
