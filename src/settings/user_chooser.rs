//! The portal's own user picker: the secondary way to choose, beside the search (its button is
//! part of the search box).

use super::field_context::FieldCtx;
use super::users;
use crate::bx24;
use crate::reactive::*;
use crate::reactive::spawn_local;

/// Opens the portal's picker for `field`. Chosen users' names are remembered for their chips;
/// their tokens replace a single value, or are added to the field's list (each user once).
pub fn choose(field: FieldCtx) {
    let title = field.name.get_value();
    let multiple = field.multiple();
    spawn_local(async move {
        let Ok(picked) = bx24::select_users(&title, multiple).await else { return };
        users::remember(field.form, users::picked_people(&picked));
        // The field may be gone by the time the person has chosen.
        if field.items.put(picked.iter().filter_map(users::token).collect()) {
            field.commit();
        }
    });
}
