//! The portal's language and texts given in several languages.

use crate::lenient::{map_like, scalar_text};
use serde_json::Value;

/// A language rulekit speaks. Every other portal language falls back to one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Ru,
    De,
}

impl Lang {
    /// From the portal's language id (`BX24.getLang()`, the `LANG` query value). Ukrainian,
    /// Belarusian and Kazakh portals read Russian before English, as the portal itself does for
    /// localized rule names; anything unknown reads English.
    pub fn from_code(code: &str) -> Lang {
        match code.trim().to_ascii_lowercase().as_str() {
            "ru" | "ua" | "uk" | "by" | "be" | "kz" | "kk" => Lang::Ru,
            "de" | "de-de" | "de-at" | "de-ch" => Lang::De,
            _ => Lang::En,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::De => "de",
        }
    }
}

/// A text that is either one string or a map of language ids to strings (`{"EN": …, "DE": …}`).
/// Language keys are kept upper-cased, as the portal stores them.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Localized {
    /// `(LANG, text)` in the order given; a plain string is stored under `*`.
    texts: Vec<(String, String)>,
}

impl Localized {
    pub fn plain(text: impl Into<String>) -> Self {
        Localized { texts: vec![("*".into(), text.into())] }
    }

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Localized {
            texts: pairs
                .into_iter()
                .map(|(l, t)| (l.to_ascii_uppercase(), t.to_string()))
                .collect(),
        }
    }

    /// Reads a string, a number, or a map of languages. `None` when the value has no text at all.
    pub fn from_json(value: &Value) -> Option<Self> {
        if let Some(text) = scalar_text(value) {
            return (!text.trim().is_empty()).then(|| Localized::plain(text));
        }
        let map = map_like(value)?;
        let texts: Vec<(String, String)> = map
            .iter()
            .filter_map(|(k, v)| Some((k.to_ascii_uppercase(), scalar_text(v)?)))
            .filter(|(_, t)| !t.trim().is_empty())
            .collect();
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
    fn portal_languages_fall_back_sensibly() {
        assert_eq!(Lang::from_code("de"), Lang::De);
        assert_eq!(Lang::from_code("RU"), Lang::Ru);
        assert_eq!(Lang::from_code("ua"), Lang::Ru);
        assert_eq!(Lang::from_code("fr"), Lang::En);
        assert_eq!(Lang::from_code(""), Lang::En);
    }

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
    fn a_map_without_the_language_or_english_uses_what_it_has() {
        let name = Localized::from_json(&json!({"IT": "Titolo"})).unwrap();
        assert_eq!(name.get("en"), "Titolo");
    }

    #[test]
    fn empty_names_are_no_names() {
        assert!(Localized::from_json(&json!("")).is_none());
        assert!(Localized::from_json(&json!([])).is_none());
        assert!(Localized::from_json(&json!({"EN": ""})).is_none());
    }
}
