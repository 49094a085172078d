//! German, for German-speaking portals in every region.

use super::{join, RunNote, Ui};
use crate::document::{CrmEntity, DocumentId};
use crate::problem::{Invalid, ProblemKind};

/// The portal language ids served in German (the first is the language's own).
pub const CODES: &[&str] = &["de", "de-de", "de-at", "de-ch"];

pub static UI: Ui = Ui {
    app_name: "rulekit",
    loading: "Die Einstellungen der Regel werden geladen…",
    required: "erforderlich",
    add_item: "Hinzufügen",
    remove_item: "Entfernen",
    move_up: "Nach oben",
    move_down: "Nach unten",
    insert_field: "Feld einfügen",
    picker_title: "Wert einfügen aus",
    picker_filter: "Feld suchen",
    picker_empty: "Keine Treffer.",
    close: "Schließen",
    clear_expression: "Ausdruck entfernen",
    yes: "Ja",
    no: "Nein",
    not_set: "(nicht gesetzt)",
    unknown_choice: "nicht in der Liste",
    choose_user: "Benutzer wählen",
    choose_users: "Benutzer wählen",
    find_person: "Person suchen…",
    searching: "Suche läuft…",
    search_failed: "Die Suche ist fehlgeschlagen. Versuchen Sie es erneut oder wählen Sie im Portal.",
    no_one_found: "Niemand gefunden.",
    role: "Rolle",
    roles: ["Autor", "Verantwortliche Person", "Vorgesetzter der verantwortlichen Person"],
    matches_no_user: "entspricht keinem Benutzer",
    calendar: "Kalender",
    group_document: "Dokument",
    group_parameters: "Vorlagenparameter",
    group_variables: "Variablen",
    group_constants: "Konstanten",
    group_global_variables: "Globale Variablen",
    group_global_constants: "Globale Konstanten",
    group_step: "Schritt",
    options_problems: "Einige Einstellungen der Regel waren unlesbar. Der Rest des Formulars funktioniert:",
    no_properties: "Diese Regel hat keine Einstellungen.",
    raw_type: "Bleibt wie eingegeben",
    outside_title: "Diese Seite gehört in Bitrix24",
    outside_not_framed: "Sie wurde für sich geöffnet, nicht in einem Bitrix24-Portal.",
    outside_no_library: "Die Bitrix24-Bibliothek (BX24.js) wurde nicht geladen oder konnte nicht starten.",
    outside_what_to_do: "Öffnen Sie die Einstellungen der Automatisierungsregel in Ihrem Bitrix24-Portal (CRM → Automatisierungsregeln oder der Workflow-Designer); dort erscheint dieses Formular. Zum Ausprobieren ohne Portal starten Sie die lokale Sandbox: cargo xtask run.",
    portal_silent: "Das Portal hat nicht geantwortet. Schließen Sie die Einstellungen und öffnen Sie sie erneut; hilft das nicht, laden Sie die Seite neu.",
    main_intro: "rulekit gibt Ihren Automatisierungsregeln einen eigenen Einstellungsbildschirm.",
    open_console: "Die rulekit-Konsole öffnen",
    unknown_placement: "Diese Einbettung bedient rulekit nicht",
    fields_to_check: "Zu prüfende Felder",
    go_to_first: "Zum ersten",
    unknown_expression: "ist kein Feld dieses Dokuments oder dieser Vorlage; der Wert bleibt wie gespeichert.",
    loading_choices: "Liste wird geladen…",
    choices_failed: "Die Liste konnte nicht geladen werden. Geben Sie stattdessen die ID ein.",
    not_in_list: "nicht in der Liste",
    choices_empty: "Keine Treffer.",};

pub fn problem(at: &str, kind: &ProblemKind) -> String {
    match kind {
        ProblemKind::NotJson(e) => format!("{at}: kein gültiges JSON ({e})."),
        ProblemKind::NotAMap => format!("{at}: eine Liste benannter Einträge erwartet; ignoriert."),
        ProblemKind::NoName => format!("{at}: die Eigenschaft hat keinen Namen; ihr Code wird angezeigt."),
        ProblemKind::NotAFlag(v) => format!("{at}: \"{v}\" ist weder Y noch N; als N gelesen."),
        ProblemKind::UnreadableValue => format!("{at}: der gespeicherte Wert ist unlesbar; er bleibt als Rohtext erhalten."),
        ProblemKind::SeveralValues(n) => {
            format!("{at}: {n} Werte für eine Eigenschaft mit einem Wert; alle bleiben erhalten, durch Kommas getrennt.")
        }
        ProblemKind::NoOptions => format!("{at}: eine Auswahl ohne Optionen; als Textfeld angezeigt."),
        ProblemKind::TooDeep => format!("{at}: tiefer als {} Ebenen verschachtelt; ignoriert.", crate::depth::MAX_DEPTH),
    }
}

pub fn invalid(invalid: &Invalid) -> String {
    match invalid {
        Invalid::Required => "Dieses Feld ist erforderlich.".into(),
        Invalid::NotInteger(v) => format!("\"{v}\" ist keine ganze Zahl. Geben Sie eine ein oder fügen Sie ein Feld ein."),
        Invalid::NotNumber(v) => format!("\"{v}\" ist keine Zahl. Geben Sie eine ein, etwa 2,5, oder fügen Sie ein Feld ein."),
        Invalid::NotYesNo(v) => format!("\"{v}\" ist weder Ja (Y) noch Nein (N)."),
        Invalid::NotDate(v) => format!("\"{v}\" ist kein Datum. Wählen Sie es im Kalender oder schreiben Sie 27.11.2026."),
        Invalid::NotDatetime(v) => format!("\"{v}\" ist kein Datum mit Uhrzeit. Nutzen Sie den Kalender oder schreiben Sie 27.11.2026 14:30."),
        Invalid::NotAnOption(v) => format!("\"{v}\" ist keine der Optionen."),
        Invalid::NotAUser(v) => format!("\"{v}\" ist kein Benutzer. Wählen Sie einen aus oder geben Sie eine Rolle wie Author ein."),
        Invalid::UnknownField(v) => format!("{{{{{v}}}}} bezeichnet kein bekanntes Feld; es wird als Text gespeichert."),
        Invalid::OutOfRange { value, min, max } => format!("\"{value}\" liegt außerhalb des zulässigen Bereichs. Geben Sie eine ganze Zahl von {min} bis {max} ein."),
    }
}

fn entities(entity: CrmEntity) -> &'static str {
    match entity {
        CrmEntity::Lead => "Leads",
        CrmEntity::Deal => "Deals",
        CrmEntity::Contact => "Kontakten",
        CrmEntity::Company => "Unternehmen",
        CrmEntity::Quote => "Angeboten",
        CrmEntity::SmartInvoice => "Rechnungen",
        CrmEntity::Dynamic(_) => "Elementen von Smart-Prozessen",
    }
}

pub fn document(d: &DocumentId) -> String {
    let noun = match d.entity {
        CrmEntity::Lead => "Lead",
        CrmEntity::Deal => "Deal",
        CrmEntity::Contact => "Kontakt",
        CrmEntity::Company => "Unternehmen",
        CrmEntity::Quote => "Angebot",
        CrmEntity::SmartInvoice => "Rechnung",
        CrmEntity::Dynamic(_) => "Smart-Prozess-Element",
    };
    format!("{noun} {}", d.id)
}

pub fn run_note(note: &RunNote) -> String {
    match note {
        RunNote::NoSuchRule { code } => format!("rulekit hat keine Regel \"{code}\"; registrieren Sie die Regeln der App neu."),
        RunNote::BadValue { property, invalid: i } => format!("{property}: {}", invalid(i)),
        RunNote::WrongDocument { document, accepts } => {
            let kinds: Vec<&str> = accepts.iter().map(|e| entities(*e)).collect();
            format!("Diese Regel arbeitet mit {}; sie wurde für \"{document}\" gestartet.", join(&kinds, "und"))
        }
        RunNote::PortalRefused { code, description: "", status } => {
            format!("Das Portal hat den Aufruf abgelehnt: {code} ({status}).")
        }
        RunNote::PortalRefused { code, description, status } => {
            format!("Das Portal hat den Aufruf abgelehnt: {code}: {description} ({status}).")
        }
        RunNote::PortalSilent { seconds } => format!("Das Portal hat nicht innerhalb von {seconds} s geantwortet."),
        RunNote::PortalUnreachable => "Das Portal war nicht erreichbar.".into(),
        RunNote::PortalAnswerIncomplete { method } => format!("Der Antwort des Portals auf {method} fehlte, was sie enthalten sollte."),
        RunNote::ExpiredNoCredentials => {
            "Das Zugriffstoken ist abgelaufen, und der Handler hat keine Client-Zugangsdaten, um es zu erneuern; starten Sie ihn mit --client-id und --client-secret.".into()
        }
        RunNote::RefreshRefused { status } => {
            format!("Der OAuth-Server hat die Erneuerung des Zugriffstokens abgelehnt ({status}); installieren Sie die App neu.")
        }
        RunNote::TokenExpired => "Das Portal hält das Zugriffstoken auch nach der Erneuerung für abgelaufen; installieren Sie die App neu.".into(),
        RunNote::StoreFailed => "Der Handler konnte den Fortschritt der Ausführung nicht speichern.".into(),
        RunNote::ProgressUnreadable => "Der Handler konnte nicht lesen, was ein früherer Versuch bereits getan hatte, und hat angehalten, statt es zweimal zu tun.".into(),
        RunNote::WaitsForRetry => "Der Schritt wartet: ein Portaladministrator kann diesen Lauf in der rulekit-Konsole (Ausführungen) wiederholen, und der Workflow geht dann mit seinem Ergebnis weiter.".into(),
        RunNote::NotFinished { done: Some(done), why } => format!("{done}, aber die Regel konnte nicht abgeschlossen werden. {why}"),
        RunNote::NotFinished { done: None, why } => format!("Die Regel konnte nicht ausgeführt werden. {why}"),
    }
}
