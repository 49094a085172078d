//! The section's words for a handler that cannot be used: what happened and what to check.

use super::api::ApiError;
use super::words::RunsWords;
use leptos::prelude::*;

pub fn headline(w: &'static RunsWords, e: &ApiError) -> String {
    match e {
        ApiError::NoHandler => w.no_handler.into(),
        ApiError::NoSession => w.no_session.into(),
        ApiError::Unreachable => w.unreachable.into(),
        ApiError::Unauthorized(_) => w.unauthorized.into(),
        ApiError::Forbidden(_) => w.forbidden.into(),
        ApiError::NotFound(_) => w.not_found.into(),
        ApiError::RateLimited(_) => w.rate_limited.into(),
        ApiError::PortalUnreachable(_) => w.portal_unreachable.into(),
        ApiError::Malformed => w.malformed.into(),
        ApiError::Conflict(m) => format!("{} {m}", w.other),
        ApiError::Other { status, message } => format!("{} HTTP {status} {message}", w.other),
    }
}

/// What to check, when there is something the administrator can check.
fn check(w: &'static RunsWords, e: &ApiError) -> Option<String> {
    match e {
        ApiError::NoHandler | ApiError::Malformed => Some(w.check_url.into()),
        // The browser hides a CORS refusal behind the same failure as a handler that is down.
        ApiError::Unreachable => {
            let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
            Some(format!("{} {origin}", w.check_origin))
        }
        ApiError::Unauthorized(_) => Some(w.check_install.into()),
        _ => None,
    }
}

pub fn banner(w: &'static RunsWords, e: &ApiError) -> impl IntoView {
    let kind = match e {
        ApiError::RateLimited(_) => "rk-banner rk-warn",
        _ => "rk-banner rk-error",
    };
    let code = match e {
        ApiError::NoHandler => "no-handler",
        ApiError::Unreachable => "unreachable",
        ApiError::Unauthorized(_) => "unauthorized",
        ApiError::Forbidden(_) => "forbidden",
        ApiError::PortalUnreachable(_) => "portal-unreachable",
        ApiError::RateLimited(_) => "rate-limited",
        _ => "other",
    };
    view! {
        <div class=kind role="alert" data-role="runs-problem" data-problem=code>
            <p>{headline(w, e)}</p>
            {check(w, e).map(|c| view! { <p class="rk-help">{c}</p> })}
        </div>
    }
}
