//! Workers: take stored runs and do them. Each turn of a run is one attempt (`attempt`), which
//! says how it went, then settled (`settle`): finished, retried with backoff, retried with a
//! refreshed token, or failed with the workflow told why in the portal's language.

use crate::attempt::{attempt, Loaded};
use crate::settle::{finish, settle};
use crate::store::{Job, StoreError};
use crate::Shared;
use std::time::Duration;
use tracing::Instrument;

/// Attempts a run gets before it fails with its last reason.
pub const MAX_ATTEMPTS: i64 = 10;

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

async fn process(shared: &Shared, job: Job) {
    // On a shared store the lease is renewed while the run goes on. A worker that lost the job to
    // another, or that has not renewed its lease for two thirds of it (the database is out of
    // reach), stops at once: by the time the lease runs out and another worker may take the job
    // over, this one calls and writes nothing more for it.
    if shared.store.shared() {
        let renew = async {
            let every = shared.config.lease / 3;
            let mut renewed = tokio::time::Instant::now();
            loop {
                tokio::time::sleep(every).await;
                match tokio::time::timeout(every, shared.store.renew(job.claim())).await {
                    Ok(Ok(())) => renewed = tokio::time::Instant::now(),
                    Ok(Err(StoreError::LeaseLost(_))) => return,
                    Ok(Err(e)) => tracing::warn!(event = "store.error", job = job.id, error = %e),
                    Err(_) => tracing::warn!(event = "store.slow", job = job.id),
                }
                if renewed.elapsed() >= every * 2 {
                    return;
                }
            }
        };
        tokio::select! {
            () = work(shared, &job) => {}
            () = renew => tracing::warn!(event = "job.abandoned", job = job.id),
        }
    } else {
        work(shared, &job).await
    }
}

async fn work(shared: &Shared, job: &Job) {
    let mut run = match Loaded::read(shared, job) {
        Ok(run) => run,
        Err(e) => {
            // Without a readable run there is no workflow to tell; the store keeps why.
            tracing::error!(event = "run.unreadable", job = job.id, error = %e);
            return finish(shared, job, "failed", Some(e.to_string())).await;
        }
    };
    // Installed through another handler sharing the store: its language is learnt from the store.
    let member = &run.request.auth.member_id;
    if shared.known(member).is_none() {
        shared.sync_portal(member).await;
        run.lang = shared.lang_of(member);
    }
    let span = tracing::info_span!("run", job = job.id, code = %run.request.code, workflow_id = %run.request.workflow_id);
    async {
        let outcome = attempt(shared, job, &mut run).await;
        settle(shared, job, run, outcome).await;
    }
    .instrument(span)
    .await
}

