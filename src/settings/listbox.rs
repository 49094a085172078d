//! The keyboard over a list that filters as one types (the expression picker, a property's
//! choices): the focus stays in the text box, the arrow keys move the active option, which the
//! box names in `aria-activedescendant`, Enter picks it and Escape closes the list.

use crate::reactive::*;

pub enum ListKey {
    Pick(usize),
    Close,
    Other,
}

/// What `key` does to a list of `len` options whose active one is `active`.
pub fn list_key(ev: &web_sys::KeyboardEvent, active: RwSignal<Option<usize>>, len: usize) -> ListKey {
    let step = |next: &dyn Fn(Option<usize>) -> usize| {
        ev.prevent_default();
        if len > 0 {
            active.update(|a| *a = Some(next(*a).min(len - 1)));
        }
        ListKey::Other
    };
    match ev.key().as_str() {
        "ArrowDown" => step(&|a| a.map_or(0, |i| i + 1)),
        "ArrowUp" => step(&|a| a.map_or(len.saturating_sub(1), |i| i.saturating_sub(1))),
        "Enter" => match active.get_untracked().filter(|i| *i < len) {
            Some(i) => {
                ev.prevent_default();
                ListKey::Pick(i)
            }
            None => ListKey::Other,
        },
        "Escape" => ListKey::Close,
        _ => ListKey::Other,
    }
}

/// The id of option `i` of the list `list`.
pub fn option_id(list: &str, i: usize) -> String {
    [list, "-", &i.to_string()].concat()
}
