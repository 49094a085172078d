//! Texts given in several languages, as the portal keeps a rule's names.

pub use crate::text::Lang;
use crate::lenient::{map_like, scalar_text};
use serde_json::Value;

/// A text that is either one string or a map of language ids to strings (`{"EN": …, "DE": …}`).
/// Language keys are kept upper-cased, as the portal stores them.
///
/// Two keys that differ only in case (`{"en": "A", "EN": "B"}`) are one language, as on the
/// portal: `bizproc.*.add` upper-cases every key of a rule's data with PHP's
/// `array_change_key_case` (restservice.php `prepareActivityData`), where the later value wins in
/// the earlier key's place. rulekit reads such a map the same way, so it shows the name the portal
/// shows, and writes back exactly what it read.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Localized {
    /// `(LANG, text)` in the order given, one entry a language; a plain string is stored under `*`.
    texts: Vec<(String, String)>,
}

/// Upper-cases the language keys; a key met again keeps its place and takes the later text. A
/// `serde_json::Map` keeps insertion order and does exactly that on `insert`; its code is in every
/// part of rulekit already (the settings page's wasm included), where a map of its own was not.
fn fold(pairs: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut at = serde_json::Map::new();
    for (lang, text) in pairs {
        at.insert(lang.to_ascii_uppercase(), Value::String(text));
    }
    at.into_iter().map(|(lang, text)| (lang, if let Value::String(t) = text { t } else { String::new() })).collect()
}

impl Localized {
    pub fn plain(text: impl Into<String>) -> Self {
        Localized { texts: vec![("*".into(), text.into())] }
    }

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Localized { texts: fold(pairs.into_iter().map(|(l, t)| (l.to_string(), t.to_string()))) }
    }

    /// Reads a string, a number, or a map of languages. `None` when the value has no text at all.
    pub fn from_json(value: &Value) -> Option<Self> {
        if let Some(text) = scalar_text(value) {
            return (!text.trim().is_empty()).then(|| Localized::plain(text));
        }
        let map = map_like(value)?;
        // Folded before empty texts are dropped: an empty later text hides the earlier one, as
        // on the portal, which then shows the next language in its fallback order.
        let mut texts = fold(map.iter().filter_map(|(k, v)| Some((k.clone(), scalar_text(v)?))));
        texts.retain(|(_, t)| !t.trim().is_empty());
        (!texts.is_empty()).then_some(Localized { texts })
    }

    /// The text for a portal language: that language, then (for Ukrainian and its neighbours)
    /// Russian, then English, then the plain `*` text, then whatever there is.
    pub fn get(&self, lang_code: &str) -> &str {
        let wanted = lang_code.to_ascii_uppercase();
        let fallback = Lang::from_code(lang_code).code().to_ascii_uppercase();
        [wanted.as_str(), fallback.as_str(), "EN", "*"]
            .iter()
            .find_map(|l| self.texts.iter().find(|(k, _)| k == l))
            .or_else(|| self.texts.first())
            .map(|(_, t)| t.as_str())
            .unwrap_or("")
    }

    /// The text for a portal language with `{name}` placeholders filled in. A placeholder with no
    /// argument stays as written, so a missing value shows instead of vanishing.
    pub fn fill(&self, lang_code: &str, args: &[(&str, &str)]) -> String {
        let mut out = self.get(lang_code).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    pub fn to_json(&self) -> Value {
        match self.texts.as_slice() {
            [(k, t)] if k == "*" => Value::String(t.clone()),
            texts => Value::Object(texts.iter().map(|(k, t)| (k.clone(), Value::String(t.clone()))).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn localized_names_pick_the_portal_language() {
        let name = Localized::from_json(&json!({"EN": "Title", "de": "Titel", "RU": "Название"})).unwrap();
        assert_eq!(name.get("de"), "Titel");
        assert_eq!(name.get("ru"), "Название");
        assert_eq!(name.get("ua"), "Название");
        assert_eq!(name.get("fr"), "Title");
    }

    #[test]
    fn a_plain_name_serves_every_language() {
        let name = Localized::from_json(&json!("Notes")).unwrap();
        assert_eq!(name.get("de"), "Notes");
        assert_eq!(name.to_json(), json!("Notes"));
        assert_eq!(Localized::from_json(&json!(42)).unwrap().get("en"), "42");
    }

    #[test]
    fn templates_fill_in_named_values() {
        let t = Localized::from_pairs([("en", "Invoice #{id} from {source}."), ("de", "Rechnung #{id} aus {source}.")]);
        assert_eq!(t.fill("de", &[("id", "5"), ("source", "Deal 1")]), "Rechnung #5 aus Deal 1.");
        assert_eq!(t.fill("en", &[("id", "5")]), "Invoice #5 from {source}.", "a missing value stays visible");
    }

    #[test]
    fn a_map_without_the_language_or_english_uses_what_it_has() {
        let name = Localized::from_json(&json!({"IT": "Titolo"})).unwrap();
        assert_eq!(name.get("en"), "Titolo");
    }

    #[test]
    fn language_keys_that_differ_in_case_are_one_language_as_on_the_portal() {
        let name = Localized::from_json(&json!({"en": "A", "DE": "Titel", "EN": "B"})).unwrap();
        assert_eq!(name.get("en"), "B", "the later text, as array_change_key_case leaves it");
        assert_eq!(name.to_json().to_string(), r#"{"EN":"B","DE":"Titel"}"#, "in the earlier key's place");
        assert_eq!(Localized::from_json(&name.to_json()), Some(name.clone()), "written back as read");
        assert_eq!(Localized::from_pairs([("en", "A"), ("de", "Titel"), ("En", "B")]), name);
        let hidden = Localized::from_json(&json!({"en": "A", "EN": " ", "ru": "Б"})).unwrap();
        assert_eq!((hidden.get("en"), hidden.to_json()), ("Б", json!({"RU": "Б"})));
        assert!(Localized::from_json(&json!({"en": "A", "EN": ""})).is_none());
    }

    #[test]
    fn empty_names_are_no_names() {
        assert!(Localized::from_json(&json!("")).is_none());
        assert!(Localized::from_json(&json!([])).is_none());
        assert!(Localized::from_json(&json!({"EN": ""})).is_none());
    }
}
