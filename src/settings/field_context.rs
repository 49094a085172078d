//! What every part of one field shares. `Field` hands it down as context, so its parts ask for it
//! instead of taking a row of props; it is `Copy`, so event handlers and closures take it freely.

use super::items::Items;
use super::sink::FieldSink;
use super::FormCtx;
use crate::i18n::Strings;
use crate::dom::{bind, listen, set_value, value, watch};
use crate::reactive::*;
use web_sys::Element;
use rulekit_model::form::FieldModel;
use rulekit_model::text;
use rulekit_model::validate::validate;
use rulekit_model::Property;

/// The ids of a field's elements, by which labels, help and errors are tied to its controls.
pub struct FieldIds {
    /// The field as a whole, which the count of problems at the top leads to.
    pub field: String,
    /// The single value's control; list items add their key to it.
    pub base: String,
    pub label: String,
    pub help: String,
    pub errors: String,
    pub insert: String,
    pub add: String,
    /// What describes every control of the field: its help, when it has one, and its errors.
    pub described_by: String,
}

impl FieldIds {
    fn new(code: &str, has_help: bool) -> Self {
        let base = ["rk-", code].concat();
        let id = |suffix: &str| [base.as_str(), suffix].concat();
        let (help, errors) = (id("-help"), id("-errors"));
        let described_by = if has_help { [help.as_str(), " ", errors.as_str()].concat() } else { errors.clone() };
        FieldIds { field: id("-field"), label: id("-label"), insert: id("-insert"), add: id("-add"), help, errors, described_by, base }
    }

    /// A list item's control.
    pub fn item(&self, key: u32) -> String {
        format!("{}-{key}", self.base)
    }

    /// The live label that names a list item by its position.
    pub fn item_label(&self, key: u32) -> String {
        format!("{}-{key}-label", self.base)
    }
}

#[derive(Clone, Copy)]
pub struct FieldCtx {
    pub form: FormCtx,
    pub property: StoredValue<Property>,
    /// The property's name and description in the portal's language.
    pub name: StoredValue<String>,
    pub description: StoredValue<Option<String>>,
    pub ids: StoredValue<FieldIds>,
    pub items: Items,
    /// What is wrong with the value, in the user's language.
    pub errors: Memo<Vec<String>>,
    /// What may be wrong: expressions the catalog does not list, kept as stored.
    pub warnings: Memo<Vec<String>>,
    pub invalid: Signal<bool>,
    pub picker_open: RwSignal<bool>,
    pub sink: FieldSink,
}

impl FieldCtx {
    /// Must be called in the field's scope.
    pub fn new(form: FormCtx, model: FieldModel) -> Self {
        let localized = |text: &rulekit_model::Localized| form.lang_code.with_value(|l| text.get(l).to_string());
        let property = model.property.clone();
        let name = localized(&property.name);
        let description = property.description.as_ref().map(localized);
        let ids = FieldIds::new(&property.code, description.is_some());
        let items = Items::new(model.opening.items(), property.multiple);
        let property = StoredValue::new(property);
        let sink = FieldSink::new(model, form.catalog);
        let errors = errors(form, property, items, sink);
        let invalid = Signal::derive(move || !errors.with(Vec::is_empty));
        form.checks.update(|c| c.push((ids.field.clone(), invalid)));
        FieldCtx {
            form,
            property,
            name: StoredValue::new(name),
            description: StoredValue::new(description),
            ids: StoredValue::new(ids),
            items,
            errors,
            warnings: warnings(form, items),
            invalid,
            picker_open: RwSignal::new(false),
            sink,
        }
    }

    pub fn s(self) -> &'static Strings {
        self.form.s()
    }

    pub fn multiple(self) -> bool {
        self.property.with_value(|p| p.multiple)
    }

    /// Sets one item's text and hands the field's new value to the sink.
    pub fn set(self, text: RwSignal<String>, value: String) {
        text.set(value);
        self.commit();
    }

    /// Hands the field's value as it stands to the sink (nothing once the field is gone).
    pub fn commit(self) {
        if let Some(value) = self.items.value_untracked() {
            self.sink.push(&value);
        }
    }

    /// A list as a whole may be empty; only a single value is required of its control.
    pub fn aria_required(self) -> Option<&'static str> {
        self.property.with_value(|p| p.required && !p.multiple).then_some("true")
    }

    /// Keeps `aria-invalid` of the control `el` in step with the field.
    pub fn bind_invalid(self, el: &Element) {
        let invalid = self.invalid;
        bind(el, "aria-invalid", move || Some(invalid.get().to_string()));
    }

    /// Keeps the value of the control `el` (an input, a text area or a list) and `text` the same
    /// both ways: what is typed or chosen goes to the field at once, and the field's value is
    /// handed on again when the control loses the focus.
    pub fn bind_value(self, el: &Element, text: RwSignal<String>) {
        let shown = el.clone();
        watch(move || text.with(|t| set_value(&shown, t)));
        let typed = el.clone();
        listen(&[el], &["input", "change", "blur"], move |ev| {
            if ev.type_() == "blur" {
                return self.commit();
            }
            let v = value(&typed);
            if text.with_untracked(|t| *t != v) {
                self.set(text, v);
            }
        });
    }

    pub fn described_by(self) -> String {
        self.ids.with_value(|i| i.described_by.clone())
    }
}

/// The value's problems, from the moment the form opens: a saved rule with an empty required
/// field says so before anyone touches it.
fn errors(form: FormCtx, property: StoredValue<Property>, items: Items, sink: FieldSink) -> Memo<Vec<String>> {
    Memo::new(move |_| {
        let value = items.value();
        let found = property.with_value(|p| form.catalog.with_value(|c| validate(p, &value, c)));
        found.into_iter().map(|e| text::invalid(form.lang, &e)).chain(sink.refused.get()).collect()
    })
}

fn warnings(form: FormCtx, items: Items) -> Memo<Vec<String>> {
    Memo::new(move |_| {
        let value = items.value();
        let s = form.s();
        form.catalog.with_value(|c| {
            value.items().iter().flat_map(|t| c.unknown_expressions(t).into_iter().map(|e| [e, " ", s.unknown_expression].concat()).collect::<Vec<_>>()).collect()
        })
    })
}
