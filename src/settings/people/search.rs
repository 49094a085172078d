//! A user field's search box: a combobox whose list offers the roles whose name matches and the
//! portal's people found by `user.search`. It asks only after a pause in the typing, and shows only
//! the latest question's answer. A pick goes into the field (a single value is replaced, a list
//! gains an item); Enter on text that matches nothing keeps the text as typed: an expression, or a
//! name that is then flagged as no user. Nothing typed is ever dropped.
//!
//! The box is drawn by hand (see `dom`), and its list and state again (`draw`) after each change:
//! the same box and list as reactive views cost the settings bundle several times as much.

use crate::settings::ask::ask;
use crate::dom::{add, add_text, closest, element, listen, make};
use crate::settings::field_context::FieldCtx;
use crate::settings::listbox::option_id;
use crate::settings::user_chooser::choose;
use crate::settings::users;
use crate::reactive::*;
use rulekit_model::expression::has_expression;
use rulekit_model::lenient::list_like;
use rulekit_model::user::{self, UserToken};
use rulekit_model::json_text::object;
use std::time::Duration;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlInputElement, KeyboardEvent};

/// How long the typing must pause before the portal is asked.
const PAUSE: Duration = Duration::from_millis(250);

/// What the portal said to the latest search.
#[derive(Default, PartialEq)]
enum Found {
    /// Nothing asked: no text, or an expression.
    #[default]
    Nothing,
    Waiting,
    People(Vec<(u64, String)>),
    Failed,
}

/// Everything the box shows: the text, whether its list is open, the entry moved to with the
/// arrows, what the search found, and how many questions were asked (an answer to any but the
/// latest is dropped).
#[derive(Default)]
struct Search {
    query: String,
    open: bool,
    moved_to: Option<usize>,
    found: Found,
    asked: u32,
}

/// One entry of the list: the token it puts in, what it shows, and for a person their id (a role
/// has none).
struct Choice {
    token: String,
    label: String,
    person: Option<u64>,
}

impl Search {
    fn choices(&self, roles: &[&'static str]) -> Vec<Choice> {
        let matching = user::matching_roles(roles, &self.query);
        let mut list: Vec<Choice> = matching.map(|i| Choice { token: user::ROLES[i].into(), label: roles[i].into(), person: None }).collect();
        if let Found::People(people) = &self.found {
            list.extend(people.iter().map(|(id, name)| {
                let token = UserToken::User(*id).to_string();
                Choice { label: if name.is_empty() { token.clone() } else { name.clone() }, token, person: Some(*id) }
            }));
        }
        list
    }

    /// The highlighted entry of `n`: the one moved to, else the first once text is typed.
    fn current(&self, n: usize) -> Option<usize> {
        let typed = !self.query.trim().is_empty();
        self.moved_to.filter(|i| *i < n).or_else(|| (n > 0 && typed).then_some(0))
    }
}

/// Shows `search` in the box `id` and its list. Entry `i` has the id `option_id(<list>, i)`, which
/// `aria-activedescendant` names and a click is read from.
fn draw(field: FieldCtx, id: &str, search: &Search) {
    let list_id = [id, "-list"].concat();
    let (Some(input), Some(list)) = (element(id), element(&list_id)) else { return };
    let s = field.s();
    let choices = search.choices(&s.roles);
    let status = match &search.found {
        Found::Waiting => s.searching,
        Found::Failed => s.search_failed,
        Found::People(p) if p.is_empty() => s.no_one_found,
        _ => "",
    };
    let shown = search.open && (!choices.is_empty() || !status.is_empty());
    let current = search.current(choices.len()).filter(|_| shown);
    list.set_text_content(None);
    for (i, choice) in choices.iter().enumerate() {
        let li = make("li", &[]);
        li.set_id(&option_id(&list_id, i));
        let _ = li.set_attribute("role", "option");
        let _ = li.set_attribute("aria-selected", if current == Some(i) { "true" } else { "false" });
        li.set_class_name(if current == Some(i) { "rk-option rk-active" } else { "rk-option" });
        li.set_text_content(Some(&choice.label));
        if choice.person.is_none() {
            add_text(&li, "small", &[], s.role);
        }
        let _ = list.append_child(&li);
    }
    // Said by screen readers when it changes: only then is it written.
    if let Some(note) = list.next_element_sibling().filter(|n| n.text_content().as_deref() != Some(status)) {
        note.set_text_content(Some(status));
    }
    if let Some(pop) = list.parent_element() {
        let _ = pop.toggle_attribute_with_force("hidden", !shown);
    }
    let _ = input.set_attribute("aria-expanded", if shown { "true" } else { "false" });
    let _ = match current {
        Some(i) => input.set_attribute("aria-activedescendant", &option_id(&list_id, i)),
        None => input.remove_attribute("aria-activedescendant"),
    };
}

/// The search box `id` of `field`, with the portal's picker beside it: the `rk-find` element, drawn
/// by hand with one handler for all its events.
pub fn search_box(field: FieldCtx, id: String) -> Element {
    let s = field.s();
    let state = StoredValue::new(Search::default());
    let box_id = StoredValue::new(id.clone());
    // Changes the state, then shows it; nothing once the field is gone.
    let change = move |f: &mut dyn FnMut(&mut Search)| {
        state.try_update_value(|search| {
            f(search);
            box_id.with_value(|id| draw(field, id, search));
        });
    };
    let search = move |text: String| {
        let mut ticket = 0;
        change(&mut |s| {
            s.asked += 1;
            ticket = s.asked;
            s.query = text.clone();
            s.open = true;
            s.moved_to = None;
            s.found = if text.trim().is_empty() || has_expression(&text) { Found::Nothing } else { Found::Waiting };
        });
        if state.with_value(|s| s.found != Found::Waiting) {
            return;
        }
        let latest = move || state.try_with_value(|s| s.asked == ticket).unwrap_or(false);
        set_timeout(move || {
            if !latest() {
                return;
            }
            ask("user.search", object(vec![("FIND", text.trim().into()), ("ACTIVE", true.into())]), Box::new(move |answer| {
                if latest() {
                    let mut found = Some(answer.map_or(Found::Failed, |rows| Found::People(list_like(&rows).iter().filter_map(user::person).collect())));
                    change(&mut |s| s.found = found.take().unwrap_or_default());
                }
            }));
        }, PAUSE);
    };
    // Into the field, and the box starts over; an answer still on its way is for an old question.
    let put = move |token: String| {
        change(&mut |s| *s = Search { asked: s.asked + 1, ..Search::default() });
        if let Some(input) = box_id.with_value(|id| element(id)).and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
            input.set_value("");
        }
        if field.items.put(vec![token]) {
            field.commit();
        }
    };
    let pick = move |i: usize| {
        let Some(choice) = state.with_value(|s| s.choices(&field.s().roles).into_iter().nth(i)) else { return };
        if let Some(id) = choice.person {
            users::remember(field.form, [(id, choice.label)]);
        }
        put(choice.token);
    };
    let on_key = move |ev: &KeyboardEvent| {
        let key = ev.key();
        let (n, current, open, waiting) = state.with_value(|s| {
            let n = s.choices(&field.s().roles).len();
            (n, s.current(n), s.open, s.found == Found::Waiting)
        });
        match key.as_str() {
            "ArrowDown" | "ArrowUp" if n > 0 => {
                ev.prevent_default();
                let next = match (current, key == "ArrowDown") {
                    (Some(i), true) => i + 1,
                    (Some(i), false) => i + n - 1,
                    (None, true) => 0,
                    (None, false) => n - 1,
                };
                change(&mut |s| {
                    s.open = true;
                    s.moved_to = Some(next % n);
                });
            }
            "Enter" => {
                ev.prevent_default();
                match current.filter(|_| open) {
                    Some(i) => pick(i),
                    // While the search is under way the text may still match someone: Enter waits for the list.
                    None if !waiting => {
                        let text = state.with_value(|s| s.query.trim().to_string());
                        if !text.is_empty() {
                            users::check(field.form, users::user_ids(&text));
                            put(text);
                        }
                    }
                    None => {}
                }
            }
            "Escape" if open => {
                ev.prevent_default();
                change(&mut |s| s.open = false);
            }
            _ => {}
        }
    };
    let list_id = [id.as_str(), "-list"].concat();
    // A pick with the mouse: the entry's place is the end of its id (see `option_id`).
    let option_prefix = [list_id.as_str(), "-"].concat();

    let find = make("div", &[("class", "rk-find")]);
    let area = add(&find, "div", &[("class", "rk-search")]);
    let described_by = field.described_by();
    let input = add(&area, "input", &[
        ("type", "text"), ("class", "rk-input"), ("id", &id), ("role", "combobox"), ("aria-autocomplete", "list"),
        ("aria-expanded", "false"), ("aria-controls", &list_id), ("placeholder", s.find_person), ("aria-describedby", &described_by),
    ]);
    if field.multiple() {
        let _ = input.set_attribute("aria-label", s.find_person);
    }
    let pop = add(&area, "div", &[("class", "rk-search-pop"), ("hidden", "")]);
    add(&pop, "ul", &[("role", "listbox"), ("id", &list_id), ("aria-label", s.find_person)]);
    add(&pop, "p", &[("class", "rk-help"), ("role", "status")]);
    let chooser = add(&find, "button", &[("type", "button"), ("class", "rk-btn rk-choose")]);
    chooser.set_text_content(Some(if field.multiple() { s.choose_users } else { s.choose_user }));
    // On the elements themselves: events sent by other scripts need not bubble.
    listen(&[&input, &pop, &chooser], &["input", "keydown", "focus", "blur", "mousedown", "click"], move |ev: Event| {
        let in_list = closest(&ev, ".rk-search-pop").is_some();
        // The box's own events; the portal picker's button keeps its keys and focus to itself.
        let typed_in = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
        match ev.type_().as_str() {
            "input" => search(typed_in.map(|i| i.value()).unwrap_or_default()),
            "keydown" if typed_in.is_some() => {
                if let Some(key) = ev.dyn_ref::<KeyboardEvent>() {
                    on_key(key);
                }
            }
            // The list opens with the focus in the box and closes with it gone.
            "focus" | "blur" if typed_in.is_some() => {
                let open = ev.type_() == "focus";
                change(&mut |s| s.open = open);
            }
            // Pressing in the list keeps the focus in the box, so picking with the mouse does not close it first.
            "mousedown" if in_list => ev.prevent_default(),
            "click" if closest(&ev, ".rk-choose").is_some() => choose(field),
            "click" => {
                let option = closest(&ev, "[role=option]");
                if let Some(i) = option.and_then(|o| o.id().strip_prefix(option_prefix.as_str())?.parse().ok()) {
                    pick(i);
                }
            }
            _ => {}
        }
    });
    find
}
