//! Where every change of a field goes: recorded in the field's model, then handed to the portal
//! at once when the portal does not hold that value yet.

use crate::bx24;
use crate::reactive::*;
use rulekit_model::form::FieldModel;
use rulekit_model::{Catalog, PropertyValue};

#[derive(Clone, Copy)]
pub struct FieldSink {
    model: StoredValue<FieldModel>,
    catalog: StoredValue<Catalog>,
    /// Why the portal refused the last value handed to it, if it did.
    pub refused: RwSignal<Option<String>>,
}

impl FieldSink {
    pub fn new(model: FieldModel, catalog: StoredValue<Catalog>) -> Self {
        FieldSink { model: StoredValue::new(model), catalog, refused: RwSignal::new(None) }
    }

    pub fn push(self, value: &PropertyValue) {
        let push = self.catalog.try_with_value(|c| self.model.try_update_value(|m| m.change(value, c)));
        if let Some(push) = push.flatten().flatten() {
            self.refused.set(bx24::set_property_value(&push).err().map(|e| e.to_string()));
        }
    }
}
