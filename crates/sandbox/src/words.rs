//! The sandbox pages' own words (their buttons, panels, user picker and run timeline) in English,
//! Russian and German, in one table: the pages render them, and `portal.js` gets the page
//! language's column in its data (`words`). Any other language reads as the model's `Lang` falls
//! back (Ukrainian reads Russian, the rest English). `{name}` marks a value put in.

use rulekit_model::text::Lang;
use serde_json::{Map, Value};

/// `(key, [en, ru, de])`.
const WORDS: &[(&str, [&str; 3])] = &[
    ("sandbox", ["Bitrix24 sandbox", "Песочница Битрикс24", "Bitrix24-Sandbox"]),
    ("local_portal", ["local portal", "локальный портал", "lokales Portal"]),
    ("language", ["Language", "Язык", "Sprache"]),
    ("save", ["Save", "Сохранить", "Speichern"]),
    ("cancel", ["Cancel", "Отмена", "Abbrechen"]),
    ("rules", ["Rules with a settings page", "Правила со страницей настроек", "Regeln mit Einstellungsseite"]),
    ("robot", ["robot", "робот", "Roboter"]),
    ("activity", ["activity", "действие", "Aktivität"]),
    ("properties", ["Registered properties", "Зарегистрированные свойства", "Registrierte Eigenschaften"]),
    ("pushed", ["Pushed by the app (not saved yet)", "Передано приложением (ещё не сохранено)", "Von der App übergeben (noch nicht gespeichert)"]),
    ("saved", ["Saved", "Сохранено", "Gespeichert"]),
    ("run_heading", ["Run the rule", "Запуск правила", "Regel ausführen"]),
    ("run_button", ["Run the rule on {document}", "Запустить правило на {document}", "Regel auf {document} ausführen"]),
    ("comments", ["Timeline comments", "Комментарии в таймлайне", "Timeline-Kommentare"]),
    ("log", ["Protocol log", "Журнал протокола", "Protokoll"]),
    // The user picker.
    ("choose_user", ["Choose a user", "Выберите пользователя", "Benutzer auswählen"]),
    ("choose_users", ["Choose users", "Выберите пользователей", "Benutzer auswählen"]),
    ("choose", ["Choose", "Выбрать", "Auswählen"]),
    // The properties table's columns.
    ("col_code", ["code", "код", "Code"]),
    ("col_name", ["name", "название", "Name"]),
    ("col_type", ["type", "тип", "Typ"]),
    ("col_required", ["required", "обязательное", "Pflicht"]),
    ("col_multiple", ["multiple", "множественное", "mehrfach"]),
    // A run and its timeline.
    ("run_on", ["{code} on {document}", "{code} на {document}", "{code} auf {document}"]),
    ("outcome_pending", ["waiting for the answer", "ждёт ответа", "wartet auf die Antwort"]),
    ("outcome_succeeded", ["completed", "выполнено", "abgeschlossen"]),
    ("outcome_failed", ["FAILED", "ОШИБКА", "FEHLGESCHLAGEN"]),
    ("step_sent", ["sent to the handler", "отправлено обработчику", "an den Handler gesendet"]),
    ("step_acknowledged", ["acknowledged: HTTP {status}", "принято: HTTP {status}", "angenommen: HTTP {status}"]),
    ("step_unreachable", ["the handler was not reached", "обработчик недоступен", "Handler nicht erreicht"]),
    ("step_answer", ["answer (bizproc.event.send)", "ответ (bizproc.event.send)", "Antwort (bizproc.event.send)"]),
    ("step_log", ["log line (bizproc.activity.log)", "запись в журнал (bizproc.activity.log)", "Logzeile (bizproc.activity.log)"]),
    ("returned", ["returned", "вернул", "Rückgabe"]),
    ("user_n", ["user {id}", "пользователь {id}", "Benutzer {id}"]),
    // The app's own page (the console).
    ("apps_path", ["Applications → rulekit", "Приложения → rulekit", "Anwendungen → rulekit"]),
    ("open_as", ["Open the app as", "Открыть приложение как", "App öffnen als"]),
    ("admin", ["administrator", "администратор", "Administrator"]),
    ("not_admin", ["not an administrator", "не администратор", "kein Administrator"]),
    ("the_portal", ["The portal", "Портал", "Das Portal"]),
    ("install_mode", ["Open the app in install mode", "Открыть приложение в режиме установки", "App im Installationsmodus öffnen"]),
    ("first_run", ["(its first run)", "(первый запуск)", "(ihr erster Start)"]),
    ("update_app", ["Act out an app update", "Разыграть обновление приложения", "App-Update durchspielen"]),
    ("update_note", ["the portal deletes the app's rules", "портал удаляет правила приложения", "das Portal löscht die Regeln der App"]),
    ("dialog_link", ["A rule's settings dialog", "Диалог настроек правила", "Einstellungsdialog einer Regel"]),
    ("rest_calls", ["REST calls", "Вызовы REST", "REST-Aufrufe"]),
];

/// The column of a page language: en, ru or de.
fn column(lang: &str) -> usize {
    match Lang::from_code(lang).code() {
        "ru" => 1,
        "de" => 2,
        _ => 0,
    }
}

/// One word in the page's language. An unknown key is a mistake that stops a debug build (every
/// page test renders the words it uses), and reads as itself in a release one.
pub fn word(lang: &str, key: &'static str) -> &'static str {
    let found = WORDS.iter().find(|(k, _)| *k == key);
    debug_assert!(found.is_some(), "{key:?} is not in the sandbox's words table");
    found.map_or(key, |(_, texts)| texts[column(lang)])
}

/// Every word in the page's language, for `portal.js`.
pub fn all(lang: &str) -> Value {
    let col = column(lang);
    Value::Object(WORDS.iter().map(|(k, texts)| (k.to_string(), Value::from(texts[col]))).collect::<Map<_, _>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `w("key")` in portal.js is in the table (the pages' own `word` calls check themselves).
    #[test]
    fn every_word_portal_js_uses_is_in_the_table() {
        let source = include_str!("../assets/portal.js");
        let marker = "w(\"";
        // A call of `w`, not of `show`.
        let calls = source.match_indices(marker).filter(|(i, _)| !source[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '_'));
        for (i, _) in calls {
            // `w("step_" + s.step)`: a prefix some keys share.
            let key = source[i + marker.len()..].split('"').next().unwrap_or_default();
            let known = |k: &str| if key.ends_with('_') { k.starts_with(key) } else { k == key };
            assert!(WORDS.iter().any(|(k, _)| known(k)), "{key:?} is not in the words table");
        }
    }

    /// Both pages render in each language: every `word` they ask for is in the table.
    #[test]
    fn both_pages_render_in_each_language() {
        let state = crate::demo::portal("http://127.0.0.1:1/", "http://127.0.0.1:1/run");
        for lang in ["en", "ru", "de"] {
            let dialog = crate::portal_page::page(crate::portal_page::PageInput {
                state: &state, portal_host: "localhost:1", app_url: "http://127.0.0.1:1/", lang, app_sid: "s", code: crate::demo_rules::DEMO_CODE, install: false,
            });
            assert!(dialog.contains(word(lang, "run_heading")));
            let console = crate::console_page::page(crate::console_page::ConsoleInput {
                state: &state, portal_host: "localhost:1", console_url: "http://127.0.0.1:1/console/", lang, app_sid: "s", user: 1, token: "t", install: false,
            });
            assert!(console.contains(word(lang, "rest_calls")));
        }
    }

    #[test]
    fn a_page_in_russian_or_german_reads_its_column() {
        assert_eq!(word("ru", "save"), "Сохранить");
        assert_eq!(word("de", "save"), "Speichern");
        assert_eq!(word("uk", "save"), "Сохранить", "as the model falls back");
        assert_eq!(word("fr", "save"), "Save");
        assert_eq!(all("de")["choose"], "Auswählen");
    }
}
