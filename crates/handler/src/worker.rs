//! Workers: take stored runs, do their work, answer the workflow. Retries with backoff on rate
//! limits, time limits, server and network errors; refreshes an expired token when client
//! credentials are configured; a run that cannot succeed tells the workflow why, in words a
//! person can act on, and stays in the store as failed.

use crate::invoice::{self, Ctx};
use crate::portal_api::ApiError;
use crate::store::{now, Job, Store};
use crate::Shared;
use rulekit_model::execution::ExecutionRequest;
use rulekit_model::validate::validate;
use rulekit_model::{Catalog, Lang};
use serde_json::{json, Value};
use std::time::Duration;

pub const MAX_ATTEMPTS: i64 = 10;

/// The run as stored: its form body, with tokens replaced after a refresh.
pub fn request_of(job: &Job) -> Result<ExecutionRequest, String> {
    let form = job.request.get("form").and_then(Value::as_str).ok_or("the stored run has no body")?;
    let mut r = ExecutionRequest::from_form(form).map_err(|e| e.to_string())?;
    if let Some(t) = job.request.get("access_token").and_then(Value::as_str) {
        r.auth.access_token = t.to_string();
    }
    if let Some(t) = job.request.get("refresh_token").and_then(Value::as_str) {
        r.auth.refresh_token = t.to_string();
    }
    Ok(r)
}

/// What is wrong with the run's values, one line per problem, or nothing.
pub fn problems(request: &ExecutionRequest, lang: Lang) -> Vec<String> {
    let Some(manifest) = rulekit_model::manifest::find(&request.code) else {
        return vec![format!("rulekit has no rule \"{}\"; re-register the app's rules.", request.code)];
    };
    manifest
        .properties
        .iter()
        .flat_map(|p| {
            let name = p.name.get(lang.code()).to_string();
            validate(p, &request.value(p), &Catalog::default()).into_iter().map(move |e| format!("{name}: {}", rulekit_model::text::invalid(lang, &e)))
        })
        .collect()
}

pub fn spawn(shared: Shared, count: usize) {
    for _ in 0..count {
        let shared = shared.clone();
        tokio::spawn(async move {
            loop {
                match shared.store.claim().await {
                    Ok(Some(job)) => process(&shared, job).await,
                    Ok(None) => {
                        let _ = tokio::time::timeout(Duration::from_millis(200), shared.wake.notified()).await;
                    }
                    Err(e) => {
                        tracing::error!(event = "store.error", error = %e);
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        });
    }
}

fn backoff(shared: &Shared, attempts: i64) -> i64 {
    let base = shared.config.retry_base_ms as i64;
    now() + (base << attempts.clamp(0, 16)).min(300_000)
}

async fn answer(ctx: &Ctx<'_>, return_values: Value, message: &str) -> Result<(), ApiError> {
    if !ctx.request.use_subscription {
        return Ok(());
    }
    ctx.call("bizproc.event.send", json!({"event_token": ctx.request.event_token, "return_values": return_values, "log_message": message}))
        .await
        .map(|_| ())
}

async fn process(shared: &Shared, job: Job) {
    let mut request = match request_of(&job) {
        Ok(r) => r,
        Err(e) => return finish(shared.store.clone(), &job, "failed", Some(e)).await,
    };
    let span = tracing::info_span!("run", job = job.id, code = %request.code, workflow_id = %request.workflow_id);
    let _enter = span.enter();
    let found = problems(&request, shared.config.lang);
    // What this attempt has done so far, as the steps record it.
    let mut checkpoint = if job.checkpoint.is_object() { job.checkpoint.clone() } else { json!({}) };
    let outcome = if !found.is_empty() {
        Err(ApiError::Fatal(found.join(" ")))
    } else {
        let manifest = rulekit_model::manifest::find(&request.code).unwrap_or_else(rulekit_model::manifest::invoice);
        let ctx = Ctx { api: &shared.api, request: &request };
        let store = shared.store.clone();
        let result = invoice::run(&ctx, &manifest, &mut checkpoint, |cp| {
            let store = store.clone();
            async move { store.checkpoint(job.id, cp).await.map_err(|e| ApiError::Retry(e.to_string())) }
        })
        .await;
        match result {
            Ok((invoice_id, message)) => {
                // Recorded before sending: if the handler dies after the portal took the answer,
                // the resumed run knows a refusal of the same answer means it was delivered.
                let resent = checkpoint.get("answering").is_some();
                checkpoint["answering"] = json!(true);
                if let Err(e) = shared.store.checkpoint(job.id, checkpoint.clone()).await {
                    return retry_later(shared, &job, e.to_string()).await;
                }
                match answer(&ctx, json!({"invoice_id": invoice_id}), &message).await {
                    Ok(()) => {
                        tracing::info!(event = "run.done", invoice_id);
                        Ok(())
                    }
                    Err(ApiError::Fatal(why)) if resent => {
                        tracing::warn!(event = "run.answer_refused_after_restart", reason = %why);
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    };
    match outcome {
        Ok(()) => finish(shared.store.clone(), &job, "done", None).await,
        Err(ApiError::Retry(why)) if job.attempts + 1 < MAX_ATTEMPTS => retry_later(shared, &job, why).await,
        Err(ApiError::Expired) if job.attempts + 1 < MAX_ATTEMPTS => {
            let c = &shared.config;
            // The OAuth URL comes from configuration only: the client secret goes there.
            let refreshed = match (&c.client_id, &c.client_secret) {
                (Some(id), Some(secret)) => shared.api.refresh(&c.oauth_url, id, secret, &request.auth.refresh_token).await,
                _ => Err(ApiError::Fatal("the access token expired and no client credentials are configured to refresh it".into())),
            };
            match refreshed {
                Ok((access, refresh)) => {
                    tracing::info!(event = "run.refreshed");
                    request.auth.access_token = access.clone();
                    let mut stored = job.request.clone();
                    stored["access_token"] = json!(access);
                    stored["refresh_token"] = json!(refresh);
                    let _ = shared.store.save_request(job.id, stored).await;
                    let _ = shared.store.retry(job.id, now(), "the access token expired; refreshed".into()).await;
                }
                Err(ApiError::Retry(why)) => retry_later(shared, &job, format!("refreshing the token: {why}")).await,
                Err(e) => finish(shared.store.clone(), &job, "failed", Some(e.to_string())).await,
            }
        }
        Err(e) => {
            let why = e.to_string();
            let ctx = Ctx { api: &shared.api, request: &request };
            // Say what was done: a later step can fail after the invoice exists.
            let made = checkpoint.get("invoice_id").and_then(Value::as_i64);
            let message = match made {
                Some(id) => format!("Invoice #{id} was created, but the rule could not finish. {why}"),
                None => format!("The invoice was not created. {why}"),
            };
            let told = answer(&ctx, json!({}), &message).await;
            tracing::warn!(event = "run.failed", reason = %why, workflow_told = told.is_ok());
            finish(shared.store.clone(), &job, "failed", Some(why)).await;
        }
    }
}

async fn retry_later(shared: &Shared, job: &Job, why: String) {
    tracing::warn!(event = "run.retry", attempt = job.attempts + 1, reason = %why);
    if let Err(e) = shared.store.retry(job.id, backoff(shared, job.attempts), why).await {
        tracing::error!(event = "store.error", job = job.id, error = %e);
    }
}

async fn finish(store: Store, job: &Job, state: &'static str, error: Option<String>) {
    if let Err(e) = store.finish(job.id, state, error).await {
        tracing::error!(event = "store.error", job = job.id, error = %e);
    }
}
