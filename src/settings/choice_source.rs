//! Choices a property takes from the portal (`Property::choices`): loaded once per source for the
//! whole form through `BX24.callMethod`, while the field shows that it is loading. A call that
//! fails leaves the field a plain one, so the value can still be typed.

use super::ask::ask;
use crate::reactive::*;
use rulekit_model::choices::{Choice, ChoiceSource};

#[derive(Clone, Debug, PartialEq)]
pub enum ChoiceState {
    Loading,
    Ready(Vec<Choice>),
    /// Why the list could not be had; the field falls back to a plain one.
    Failed(String),
}

#[derive(Clone, Copy)]
pub struct ChoiceLists {
    loaded: StoredValue<Vec<(ChoiceSource, RwSignal<ChoiceState>)>>,
}

impl ChoiceLists {
    /// Must be called in the form's scope: the lists live as long as the form.
    pub fn new() -> Self {
        ChoiceLists { loaded: StoredValue::new(Vec::new()) }
    }

    /// The choices of `source`, loading them on the first ask.
    pub fn get(self, source: ChoiceSource) -> RwSignal<ChoiceState> {
        if let Some(state) = self.loaded.with_value(|l| l.iter().find(|(s, _)| *s == source).map(|(_, st)| *st)) {
            return state;
        }
        let state = RwSignal::new(ChoiceState::Loading);
        self.loaded.update_value(|l| l.push((source, state)));
        let (method, params) = source.request();
        ask(method, params, Box::new(move |answer| {
            let next = match answer {
                Ok(result) => source.read(&result).map_or_else(|| ChoiceState::Failed(method.to_string()), ChoiceState::Ready),
                Err(e) => ChoiceState::Failed(e.to_string()),
            };
            state.try_set(next);
        }));
        state
    }
}
