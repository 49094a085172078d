//! A field's items: exactly one for a single value, any number for `Multiple`. Each item keeps the
//! key it was made with, so a list row keeps its element (and the focus in it) as items move.

use crate::reactive::*;
use rulekit_model::PropertyValue;

#[derive(Clone)]
pub struct Item {
    pub key: u32,
    pub text: RwSignal<String>,
}

#[derive(Clone, Copy)]
pub struct Items {
    list: RwSignal<Vec<Item>>,
    next_key: StoredValue<u32>,
    /// The field's scope. Items are also added from the picker, whose own scope ends when it
    /// closes: their signals are made here so they live as long as the field.
    owner: StoredValue<Owner>,
    multiple: bool,
}

impl Items {
    /// Must be called in the field's scope.
    pub fn new(opening: Vec<String>, multiple: bool) -> Self {
        let next_key = StoredValue::new(opening.len() as u32);
        let list = opening.into_iter().zip(0..).map(|(t, key)| Item { key, text: RwSignal::new(t) }).collect();
        let owner = Owner::current().expect("a field is created inside the form");
        Items { list: RwSignal::new(list), next_key, owner: StoredValue::new(owner), multiple }
    }

    fn value_of(&self, texts: Vec<String>) -> PropertyValue {
        if self.multiple {
            PropertyValue::Multiple(texts)
        } else {
            PropertyValue::Single(texts.into_iter().next().unwrap_or_default())
        }
    }

    /// The value, tracked: for what is derived from it (the field's errors).
    pub fn value(self) -> PropertyValue {
        self.value_of(self.list.with(|v| v.iter().map(|i| i.text.get()).collect()))
    }

    /// The value as it stands, or `None` once the field is gone (a portal dialog may answer late).
    pub fn value_untracked(self) -> Option<PropertyValue> {
        self.texts_untracked().map(|t| self.value_of(t))
    }

    fn texts_untracked(self) -> Option<Vec<String>> {
        self.list.try_with_untracked(|v| v.iter().map(|i| i.text.get_untracked()).collect())
    }

    /// Every item, tracked: what a list shows.
    pub fn get(self) -> Vec<Item> {
        self.list.get()
    }

    /// The item `key`, untracked.
    pub fn item(self, key: u32) -> Option<Item> {
        self.list.with_untracked(|v| v.iter().find(|i| i.key == key).cloned())
    }

    /// The text of a single value.
    pub fn first_text(self) -> Option<RwSignal<String>> {
        self.list.with_untracked(|v| v.first().map(|i| i.text))
    }

    /// The key the next added item gets.
    pub fn next_key(self) -> u32 {
        self.next_key.get_value()
    }

    pub fn add(self, text: String) {
        let key = self.next_key();
        self.next_key.set_value(key + 1);
        let text = self.owner.with_value(|o| o.with(|| RwSignal::new(text)));
        self.list.update(|v| v.push(Item { key, text }));
    }

    /// Adds each text not in the list yet. False when the field is gone.
    pub fn add_missing(self, texts: impl IntoIterator<Item = String>) -> bool {
        let Some(present) = self.texts_untracked() else { return false };
        for text in texts.into_iter().filter(|t| !present.contains(t)) {
            self.add(text);
        }
        true
    }

    /// Puts chosen texts in: the first replaces a single value, a list gets each one it lacks.
    /// False when nothing changed hands, or the field is gone (a portal dialog may answer late).
    pub fn put(self, texts: Vec<String>) -> bool {
        if self.multiple {
            return self.add_missing(texts);
        }
        let single = self.list.try_with_untracked(|v| v.first().map(|i| i.text)).flatten();
        match (single, texts.into_iter().next()) {
            (Some(text), Some(new)) => text.try_set(new).is_none(),
            _ => false,
        }
    }

    pub fn remove(self, key: u32) {
        self.list.update(|v| v.retain(|i| i.key != key));
    }

    /// Moves the item `delta` places up (negative) or down, as far as the list allows.
    pub fn shift(self, key: u32, delta: isize) {
        self.list.update(|v| {
            let Some(i) = v.iter().position(|it| it.key == key) else { return };
            let j = i as isize + delta;
            if j >= 0 && (j as usize) < v.len() {
                v.swap(i, j as usize);
            }
        });
    }

    /// Where the item stands now, tracked.
    pub fn position(self, key: u32) -> usize {
        self.list.with(|v| v.iter().position(|i| i.key == key).unwrap_or(0))
    }

    pub fn count(self) -> usize {
        self.list.with(Vec::len)
    }
}
