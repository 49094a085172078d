//! Settles an attempt: a run that is done is finished; one that may still succeed is retried with
//! backoff, or with a refreshed token; one that cannot is failed, the workflow told why in the
//! portal's language, and kept in the store with the reason (in English, like the logs).

use crate::attempt::{log_to_workflow, tell_workflow, Loaded, Outcome};
use rulekit_model::text::{run_note, RunNote};
use crate::portal_api::ApiError;
use crate::reason::Reason;
use crate::rules::{self, Words};
use crate::store::{now, Job};
use crate::worker::MAX_ATTEMPTS;
use crate::Shared;
use serde_json::json;

pub async fn settle(shared: &Shared, job: &Job, run: Loaded, outcome: Outcome) {
    let more_attempts = job.attempts + 1 < MAX_ATTEMPTS;
    match outcome {
        Outcome::Done(return_values) => {
            tracing::info!(event = "run.done", return_values = %return_values);
            // A workflow that does not wait for the answer was sent nothing.
            let note = if run.request.use_subscription {
                format!("Sent back to the workflow: {return_values}")
            } else {
                format!("Done; the workflow does not wait for an answer, so nothing was sent back: {return_values}")
            };
            if let Err(e) = shared.store.done(job.claim(), return_values, note).await {
                tracing::error!(event = "store.error", job = job.id, error = %e);
            }
        }
        Outcome::Retry(why) if more_attempts => retry_later(shared, job, &why).await,
        Outcome::Expired if more_attempts => refresh(shared, job, run).await,
        Outcome::Expired => fail(shared, job, &run, Reason::TokenExpired).await,
        Outcome::Retry(why) | Outcome::Failed(why) => fail(shared, job, &run, why).await,
        // Another worker has the run now: nothing is called or written for it here.
        Outcome::Abandoned => tracing::warn!(event = "run.abandoned", job = job.id),
    }
}

/// Trades the run's refresh token for new tokens, keeps them with the run, and makes it due at
/// once. Only with configured client credentials, at the configured OAuth URL: the client secret
/// goes there, so it is never taken from a request.
async fn refresh(shared: &Shared, job: &Job, mut run: Loaded) {
    let c = &shared.config;
    let (Some(id), Some(secret)) = (&c.client_id, &c.client_secret) else {
        return fail(shared, job, &run, Reason::ExpiredNoCredentials).await;
    };
    match shared.api.refresh(&c.oauth_url, id, secret, &run.request.auth.refresh_token).await {
        Ok((access, refresh)) => {
            tracing::info!(event = "run.refreshed");
            run.stored.refreshed(access, refresh);
            let note = "The access token expired; new tokens were obtained.".to_string();
            if let Err(e) = shared.store.refreshed(job.claim(), run.stored.to_json(), note).await {
                tracing::error!(event = "store.error", job = job.id, error = %e);
            }
        }
        Err(ApiError::Retry(why)) => retry_later(shared, job, &why).await,
        Err(ApiError::Fatal(why)) => fail(shared, job, &run, why).await,
        Err(ApiError::Expired) => fail(shared, job, &run, Reason::TokenExpired).await,
        Err(ApiError::Abandoned) => tracing::warn!(event = "run.abandoned", job = job.id),
    }
}

/// Tells the workflow why the run failed, in the rule's words when it has a rule, and keeps the
/// run as failed.
async fn fail(shared: &Shared, job: &Job, run: &Loaded, why: Reason) {
    let said = why.text(run.lang);
    let note = match &run.rule {
        Some((rule, manifest)) => rules::failure_note(rule, &run.checkpoint, Words { manifest, lang: run.lang }, &said),
        None => said,
    };
    // A failure a retry can repair leaves the step open, so that the retried run's answer (the
    // invoice it made) still reaches the workflow; the others close it with the reason.
    let told = if why.retry_can_help() {
        let note = format!("{note} {}", run_note(run.lang, &RunNote::WaitsForRetry));
        log_to_workflow(&shared.api, &run.request, &note).await
    } else {
        tell_workflow(&shared.api, &run.request, &json!({}), &note).await
    };
    tracing::warn!(event = "run.failed", reason = %why, workflow_told = told.is_ok(), step_open = why.retry_can_help());
    finish(shared, job, "failed", Some(why.to_string())).await;
}

fn backoff(shared: &Shared, attempts: i64) -> i64 {
    let base = shared.config.retry_base_ms as i64;
    now() + (base << attempts.clamp(0, 16)).min(300_000)
}

async fn retry_later(shared: &Shared, job: &Job, why: &Reason) {
    tracing::warn!(event = "run.retry", attempt = job.attempts + 1, reason = %why);
    if let Err(e) = shared.store.retry(job.claim(), backoff(shared, job.attempts), why.to_string()).await {
        tracing::error!(event = "store.error", job = job.id, error = %e);
    }
}

pub async fn finish(shared: &Shared, job: &Job, state: &'static str, error: Option<String>) {
    if let Err(e) = shared.store.finish(job.claim(), state, error).await {
        tracing::error!(event = "store.error", job = job.id, error = %e);
    }
}
