use super::*;
use crate::problem::ProblemKind;

#[test]
fn portal_languages_fall_back_sensibly() {
    assert_eq!(Lang::from_code("de"), Lang::De);
    assert_eq!(Lang::from_code("DE-at"), Lang::De);
    assert_eq!(Lang::from_code("RU"), Lang::Ru);
    assert_eq!(Lang::from_code("ua"), Lang::Ru);
    assert_eq!(Lang::from_code("fr"), Lang::En);
    assert_eq!(Lang::from_code(""), Lang::En);
    for lang in Lang::ALL {
        assert_eq!(Lang::from_code(lang.code()), *lang, "a language reads its own id");
    }
}

#[test]
fn problems_name_the_place_in_every_language() {
    let p = Problem::new("properties.quantity.MULTIPLE", ProblemKind::NotAFlag("maybe".into()));
    for lang in Lang::ALL {
        let m = problem(*lang, &p);
        assert!(m.starts_with("properties.quantity.MULTIPLE: "), "{m}");
        assert!(m.contains("maybe"), "{m}");
    }
    assert_ne!(problem(Lang::En, &p), problem(Lang::De, &p));
}

#[test]
fn invalid_values_are_quoted_and_explained() {
    let i = Invalid::UnknownField("Nope".into());
    assert_eq!(invalid(Lang::En, &i), "{{Nope}} names no known field; it will be saved as plain text.");
    let n = Invalid::NotNumber("2.5.1".into());
    assert!(invalid(Lang::Ru, &n).contains("2,5"), "Russian examples use a decimal comma");
    assert!(invalid(Lang::De, &n).starts_with("\"2.5.1\" ist keine Zahl"));
    let far = Invalid::OutOfRange { value: "99999".into(), min: 0, max: 3650 };
    assert_eq!(invalid(Lang::En, &far), "\"99999\" is out of range. Enter a whole number from 0 to 3650.");
    for lang in Lang::ALL {
        assert!(invalid(*lang, &far).contains("99999") && invalid(*lang, &far).contains("3650"), "{lang:?}");
    }
}

#[test]
fn every_language_has_every_label() {
    for lang in Lang::ALL {
        let ui = lang.ui();
        let labels = [ui.loading, ui.required, ui.add_item, ui.insert_field, ui.options_problems, ui.portal_silent, ui.main_intro, ui.open_console];
        assert!(labels.iter().all(|l| !l.trim().is_empty()), "{lang:?}");
    }
    assert_eq!(Lang::De.ui().add_item, "Hinzufügen");
}

#[test]
fn run_notes_follow_the_language() {
    let accepts = [CrmEntity::Deal, CrmEntity::Lead];
    let note = RunNote::WrongDocument { document: "CONTACT_5", accepts: &accepts };
    assert_eq!(run_note(Lang::En, &note), "This rule works on deals and leads; it was started on \"CONTACT_5\".");
    assert_eq!(run_note(Lang::Ru, &note), "Это правило работает только с сделками и лидами; оно запущено для «CONTACT_5».");
    assert!(run_note(Lang::De, &note).starts_with("Diese Regel arbeitet mit Deals und Leads"));
    let bad = Invalid::Required;
    let value = RunNote::BadValue { property: "Titel", invalid: &bad };
    assert_eq!(run_note(Lang::De, &value), "Titel: Dieses Feld ist erforderlich.");
    let refused = RunNote::PortalRefused { code: "NOT_FOUND", description: "", status: 400 };
    assert_eq!(run_note(Lang::En, &refused), "The portal refused the call: NOT_FOUND (400).");
}

#[test]
fn lists_join_with_the_language_s_and() {
    assert_eq!(join(&[], "and"), "");
    assert_eq!(join(&["a"], "and"), "a");
    assert_eq!(join(&["a", "b", "c"], "und"), "a, b und c");
}

#[test]
fn documents_are_named_in_words() {
    let deal = DocumentId::parse("DEAL_123").unwrap();
    assert_eq!(document(Lang::En, &deal), "deal 123");
    assert_eq!(document(Lang::Ru, &deal), "сделка 123");
    assert_eq!(document(Lang::De, &DocumentId::parse("LEAD_7").unwrap()), "Lead 7");
}

#[test]
fn every_language_names_every_role_and_says_what_a_search_found() {
    for lang in Lang::ALL {
        let ui = lang.ui();
        let words = [ui.find_person, ui.searching, ui.search_failed, ui.no_one_found, ui.role, ui.matches_no_user];
        assert!(words.iter().chain(&ui.roles).all(|w| !w.trim().is_empty()), "{lang:?}");
    }
    assert_eq!(Lang::Ru.ui().roles[0], "Автор");
}
