//! What was wrong with data the portal sent, said so a person can act on it.
//!
//! A problem never stops the parse: the part it names is skipped or read as best it can be, and
//! the rest of the form still works.

use crate::lang::Lang;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where, as a path into the data: `properties.quantity.MULTIPLE`.
    pub at: String,
    pub kind: ProblemKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The whole text is not JSON; the parser's own words follow.
    NotJson(String),
    /// A map was expected and something else came.
    NotAMap,
    /// A property descriptor has no name; the code is shown instead.
    NoName,
    /// A Y/N flag had a value that is neither.
    NotAFlag(String),
    /// A value could not be read as text or a list of texts.
    UnreadableValue,
    /// A single-valued property arrived with several values; all are kept, joined by commas.
    SeveralValues(usize),
    /// A select without options: it is shown as a text field.
    NoOptions,
}

impl Problem {
    pub fn new(at: impl Into<String>, kind: ProblemKind) -> Self {
        Problem { at: at.into(), kind }
    }

    /// One sentence in the user's language, naming the place.
    pub fn message(&self, lang: Lang) -> String {
        let at = &self.at;
        match (&self.kind, lang) {
            (ProblemKind::NotJson(e), Lang::En) => format!("{at}: not valid JSON ({e})."),
            (ProblemKind::NotJson(e), Lang::Ru) => format!("{at}: это не JSON ({e})."),
            (ProblemKind::NotJson(e), Lang::De) => format!("{at}: kein gültiges JSON ({e})."),
            (ProblemKind::NotAMap, Lang::En) => format!("{at}: expected a list of named entries; ignored."),
            (ProblemKind::NotAMap, Lang::Ru) => format!("{at}: ожидался список именованных записей; пропущено."),
            (ProblemKind::NotAMap, Lang::De) => format!("{at}: eine Liste benannter Einträge erwartet; ignoriert."),
            (ProblemKind::NoName, Lang::En) => format!("{at}: the property has no name; its code is shown instead."),
            (ProblemKind::NoName, Lang::Ru) => format!("{at}: у свойства нет названия; показан его код."),
            (ProblemKind::NoName, Lang::De) => format!("{at}: die Eigenschaft hat keinen Namen; ihr Code wird angezeigt."),
            (ProblemKind::NotAFlag(v), Lang::En) => format!("{at}: \"{v}\" is neither Y nor N; read as N."),
            (ProblemKind::NotAFlag(v), Lang::Ru) => format!("{at}: «{v}» — не Y и не N; считано как N."),
            (ProblemKind::NotAFlag(v), Lang::De) => format!("{at}: \"{v}\" ist weder Y noch N; als N gelesen."),
            (ProblemKind::UnreadableValue, Lang::En) => format!("{at}: the saved value could not be read; it is kept as raw text."),
            (ProblemKind::UnreadableValue, Lang::Ru) => format!("{at}: сохранённое значение не удалось прочитать; оно оставлено как текст."),
            (ProblemKind::UnreadableValue, Lang::De) => format!("{at}: der gespeicherte Wert ist unlesbar; er bleibt als Rohtext erhalten."),
            (ProblemKind::SeveralValues(n), Lang::En) => format!("{at}: {n} values for a single-value property; all are kept, joined by commas."),
            (ProblemKind::SeveralValues(n), Lang::Ru) => format!("{at}: {n} значений у свойства с одним значением; все сохранены через запятую."),
            (ProblemKind::SeveralValues(n), Lang::De) => format!("{at}: {n} Werte für eine Eigenschaft mit einem Wert; alle bleiben erhalten, durch Kommas getrennt."),
            (ProblemKind::NoOptions, Lang::En) => format!("{at}: a list without options; shown as a text field."),
            (ProblemKind::NoOptions, Lang::Ru) => format!("{at}: список без вариантов; показан как текстовое поле."),
            (ProblemKind::NoOptions, Lang::De) => format!("{at}: eine Auswahl ohne Optionen; als Textfeld angezeigt."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_place_in_every_language() {
        let p = Problem::new("properties.quantity.MULTIPLE", ProblemKind::NotAFlag("maybe".into()));
        for lang in [Lang::En, Lang::Ru, Lang::De] {
            let m = p.message(lang);
            assert!(m.starts_with("properties.quantity.MULTIPLE: "), "{m}");
            assert!(m.contains("maybe"), "{m}");
        }
        assert_ne!(p.message(Lang::En), p.message(Lang::De));
    }
}
