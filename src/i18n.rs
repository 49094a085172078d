//! The app's own words in the portal's language. They live in the model's text module, one file
//! per language, beside the words of the console and the handler; rule names and descriptions
//! come from the rule.

pub use rulekit_model::text::Ui as Strings;
pub use rulekit_model::Lang;

pub fn strings(lang: Lang) -> &'static Strings {
    lang.ui()
}
