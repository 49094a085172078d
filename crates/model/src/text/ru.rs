//! Russian, also for Ukrainian, Belarusian and Kazakh portals.

use super::{join, RunNote, Ui};
use crate::document::{CrmEntity, DocumentId};
use crate::problem::{Invalid, ProblemKind};

/// The portal language ids served in Russian (the first is the language's own).
pub const CODES: &[&str] = &["ru", "ua", "uk", "by", "be", "kz", "kk"];

pub static UI: Ui = Ui {
    app_name: "rulekit",
    loading: "Загружаем настройки правила…",
    required: "обязательно",
    add_item: "Добавить",
    remove_item: "Удалить",
    move_up: "Выше",
    move_down: "Ниже",
    insert_field: "Вставить поле",
    picker_title: "Вставить значение из",
    picker_filter: "Найти поле",
    picker_empty: "Ничего не найдено.",
    close: "Закрыть",
    clear_expression: "Очистить выражение",
    yes: "Да",
    no: "Нет",
    not_set: "(не задано)",
    unknown_choice: "нет в списке",
    choose_user: "Выбрать сотрудника",
    choose_users: "Выбрать сотрудников",
    find_person: "Найти сотрудника…",
    searching: "Поиск…",
    search_failed: "Поиск не удался. Попробуйте ещё раз или выберите на портале.",
    no_one_found: "Никто не найден.",
    role: "роль",
    roles: ["Автор", "Ответственный", "Руководитель ответственного"],
    matches_no_user: "не найден среди сотрудников",
    calendar: "Календарь",
    group_document: "Документ",
    group_parameters: "Параметры шаблона",
    group_variables: "Переменные",
    group_constants: "Константы",
    group_global_variables: "Глобальные переменные",
    group_global_constants: "Глобальные константы",
    group_step: "Шаг",
    options_problems: "Часть настроек правила не удалось прочитать. Остальная форма работает:",
    no_properties: "У этого правила нет настроек.",
    raw_type: "Хранится как введено",
    outside_title: "Эта страница работает внутри Битрикс24",
    outside_not_framed: "Она открыта отдельно, а не внутри портала Битрикс24.",
    outside_no_library: "Библиотека Битрикс24 (BX24.js) не загрузилась или не смогла запуститься.",
    outside_what_to_do: "Откройте настройки правила автоматизации на своём портале (CRM → Роботы или дизайнер бизнес-процессов) — форма появится там. Чтобы попробовать без портала, запустите локальную песочницу: cargo xtask run.",
    portal_silent: "Портал не ответил. Закройте настройки и откройте их снова; если не поможет, обновите страницу.",
    main_intro: "rulekit даёт вашим правилам автоматизации собственный экран настроек.",
    open_console: "Открыть консоль rulekit",
    unknown_placement: "Это место встраивания rulekit не обслуживает",
    fields_to_check: "Поля с ошибками",
    go_to_first: "Перейти к первому",
    unknown_expression: "нет среди полей этого документа или шаблона; значение сохранено как есть.",
    loading_choices: "Загрузка списка…",
    choices_failed: "Не удалось загрузить список. Введите ID.",
    not_in_list: "нет в списке",
    choices_empty: "Ничего не найдено.",};

pub fn problem(at: &str, kind: &ProblemKind) -> String {
    match kind {
        ProblemKind::NotJson(e) => format!("{at}: это не JSON ({e})."),
        ProblemKind::NotAMap => format!("{at}: ожидался список именованных записей; пропущено."),
        ProblemKind::NoName => format!("{at}: у свойства нет названия; показан его код."),
        ProblemKind::NotAFlag(v) => format!("{at}: «{v}» — не Y и не N; считано как N."),
        ProblemKind::UnreadableValue => format!("{at}: сохранённое значение не удалось прочитать; оно оставлено как текст."),
        ProblemKind::SeveralValues(n) => format!("{at}: {n} значений у свойства с одним значением; все сохранены через запятую."),
        ProblemKind::NoOptions => format!("{at}: список без вариантов; показан как текстовое поле."),
        ProblemKind::TooDeep => format!("{at}: вложенность глубже {} уровней; пропущено.", crate::depth::MAX_DEPTH),
    }
}

pub fn invalid(invalid: &Invalid) -> String {
    match invalid {
        Invalid::Required => "Заполните это поле.".into(),
        Invalid::NotInteger(v) => format!("«{v}» — не целое число. Введите число или вставьте поле."),
        Invalid::NotNumber(v) => format!("«{v}» — не число. Введите число, например 2,5, или вставьте поле."),
        Invalid::NotYesNo(v) => format!("«{v}» — не «да» (Y) и не «нет» (N)."),
        Invalid::NotDate(v) => format!("«{v}» — не дата. Выберите её в календаре или запишите как 27.11.2026."),
        Invalid::NotDatetime(v) => format!("«{v}» — не дата и время. Выберите их в календаре или запишите как 27.11.2026 14:30."),
        Invalid::NotAnOption(v) => format!("«{v}» нет среди вариантов."),
        Invalid::NotAUser(v) => format!("«{v}» — не пользователь. Выберите сотрудника или укажите роль, например Author."),
        Invalid::UnknownField(v) => format!("{{{{{v}}}}} — такого поля нет; будет сохранено как текст."),
        Invalid::OutOfRange { value, min, max } => format!("«{value}» — вне допустимого диапазона. Введите целое число от {min} до {max}."),
    }
}

/// Plural nouns after «с» in «работает со сделками»: the instrumental case.
fn entities(entity: CrmEntity) -> &'static str {
    match entity {
        CrmEntity::Lead => "лидами",
        CrmEntity::Deal => "сделками",
        CrmEntity::Contact => "контактами",
        CrmEntity::Company => "компаниями",
        CrmEntity::Quote => "предложениями",
        CrmEntity::SmartInvoice => "счетами",
        CrmEntity::Dynamic(_) => "элементами смарт-процессов",
    }
}

pub fn document(d: &DocumentId) -> String {
    let noun = match d.entity {
        CrmEntity::Lead => "лид",
        CrmEntity::Deal => "сделка",
        CrmEntity::Contact => "контакт",
        CrmEntity::Company => "компания",
        CrmEntity::Quote => "предложение",
        CrmEntity::SmartInvoice => "счёт",
        CrmEntity::Dynamic(_) => "элемент смарт-процесса",
    };
    format!("{noun} {}", d.id)
}

pub fn run_note(note: &RunNote) -> String {
    match note {
        RunNote::NoSuchRule { code } => format!("В rulekit нет правила «{code}»; зарегистрируйте правила приложения заново."),
        RunNote::BadValue { property, invalid: i } => format!("{property}: {}", invalid(i)),
        RunNote::WrongDocument { document, accepts } => {
            let kinds: Vec<&str> = accepts.iter().map(|e| entities(*e)).collect();
            format!("Это правило работает только с {}; оно запущено для «{document}».", join(&kinds, "и"))
        }
        RunNote::PortalRefused { code, description: "", status } => {
            format!("Портал отклонил запрос: {code} ({status}).")
        }
        RunNote::PortalRefused { code, description, status } => format!("Портал отклонил запрос: {code}: {description} ({status})."),
        RunNote::PortalSilent { seconds } => format!("Портал не ответил за {seconds} с."),
        RunNote::PortalUnreachable => "Не удалось связаться с порталом.".into(),
        RunNote::PortalAnswerIncomplete { method } => format!("В ответе портала на {method} нет ожидаемых данных."),
        RunNote::ExpiredNoCredentials => {
            "Срок действия токена доступа истёк, а у обработчика нет данных клиента для его обновления; запустите его с --client-id и --client-secret.".into()
        }
        RunNote::RefreshRefused { status } => format!("Сервер OAuth отказался обновить токен доступа ({status}); переустановите приложение."),
        RunNote::TokenExpired => "Портал по-прежнему считает токен доступа истёкшим, даже после его обновления; переустановите приложение.".into(),
        RunNote::StoreFailed => "Обработчику не удалось сохранить ход выполнения.".into(),
        RunNote::ProgressUnreadable => "Обработчику не удалось прочитать, что уже сделала прежняя попытка, и он остановился, чтобы не сделать это дважды.".into(),
        RunNote::WaitsForRetry => "Шаг ждёт: администратор портала может повторить этот запуск в консоли rulekit (раздел «Запуски»), и процесс продолжится с его результатом.".into(),
        RunNote::NotFinished { done: Some(done), why } => format!("{done}, но правило не удалось завершить. {why}"),
        RunNote::NotFinished { done: None, why } => format!("Правило не удалось выполнить. {why}"),
    }
}
