//! Who a REST call acts as. The app's token (`tokens.access`, the one the install event, the
//! placement and rule runs carry) acts as `current_user`, the administrator; each other user has a
//! token of their own (`token_for`), so the console can be opened as someone who is not an admin.
//! Every token expires at `tokens.expires`, so `/sandbox/expire` and a refresh cover them all;
//! only the app's token is renewed by the OAuth server.

use super::RestError;
use crate::clock::now_unix;
use crate::random::random_hex;
use crate::state::State;

/// The token a user's REST calls carry: the app's for `current_user`, else the user's own,
/// created on first use.
pub fn token_for(state: &mut State, user_id: u64) -> String {
    if user_id == state.current_user {
        return state.tokens.access.clone();
    }
    state.user_tokens.entry(user_id).or_insert_with(|| random_hex(40)).clone()
}

/// Checks the `auth` token of a call; the id of the user it acts as.
pub fn check_auth(state: &State, token: Option<&str>) -> Result<u64, RestError> {
    let token = token.filter(|t| !t.is_empty()).ok_or_else(|| RestError::new(401, "NO_AUTH_FOUND", "Wrong authorization data"))?;
    let user = if token == state.tokens.access {
        Some(state.current_user)
    } else {
        state.user_tokens.iter().find(|(_, t)| t.as_str() == token).map(|(id, _)| *id)
    };
    let user = user.ok_or_else(|| RestError::new(401, "invalid_token", "Unable to get application by token"))?;
    if state.tokens.expires <= now_unix() {
        return Err(RestError::new(401, "expired_token", "The access token provided has expired."));
    }
    Ok(user)
}

pub fn denied() -> RestError {
    RestError::new(403, "ACCESS_DENIED", "Access denied!")
}

pub fn is_admin(state: &State, user: u64) -> bool {
    state.user(user).is_some_and(|u| u.admin && u.active)
}

/// `ACCESS_DENIED` (403) unless `user` is an administrator.
pub fn require_admin(state: &State, user: u64) -> Result<(), RestError> {
    if is_admin(state, user) { Ok(()) } else { Err(denied()) }
}
