//! One attempt of a run: read it back, check it against its rule's manifest, let the rule work,
//! and answer the workflow. It changes nothing in the job's state; it says how it went
//! (`Outcome`), and `settle` acts on that.

use crate::portal_api::{ApiError, PortalApi};
use crate::reason::Reason;
use crate::record::{AnswerCheckpoint, Checkpoint, StoredRun, UnreadableRun};
use crate::rules::{self, AnyRule, Done, RunCtx, Words};
use crate::store::Job;
use crate::Shared;
use rulekit_model::execution::ExecutionRequest;
use rulekit_model::manifest::RuleManifest;
use rulekit_model::text::Lang;
use serde_json::{json, Value};

/// A stored run, read back for an attempt.
pub struct Loaded {
    pub stored: StoredRun,
    /// The run, with the newest tokens.
    pub request: ExecutionRequest,
    /// Its rule and the rule's manifest entry; `None` when the handler has no rule of that code.
    pub rule: Option<(AnyRule, RuleManifest)>,
    /// The language the portal's workflows are told things in.
    pub lang: Lang,
    /// What earlier attempts did.
    pub checkpoint: Checkpoint,
}

impl Loaded {
    pub fn read(shared: &Shared, job: &Job) -> Result<Loaded, UnreadableRun> {
        let stored = StoredRun::from_json(&job.request)?;
        let request = stored.request()?;
        Ok(Loaded {
            rule: rules::find(&request.code),
            lang: shared.lang_of(&request.auth.member_id),
            checkpoint: Checkpoint::from_json(&job.checkpoint),
            stored,
            request,
        })
    }
}

/// How an attempt went.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// The workflow has its answer, with these return values.
    Done(Value),
    /// Try again later.
    Retry(Reason),
    /// The access token expired: refresh it, then try again.
    Expired,
    /// The run cannot succeed as it is.
    Failed(Reason),
    /// Another worker claimed the run after this one's lease ran out: this one leaves it alone.
    Abandoned,
}

impl From<ApiError> for Outcome {
    fn from(e: ApiError) -> Outcome {
        match e {
            ApiError::Retry(why) => Outcome::Retry(why),
            ApiError::Expired => Outcome::Expired,
            ApiError::Fatal(why) => Outcome::Failed(why),
            ApiError::Abandoned => Outcome::Abandoned,
        }
    }
}

pub async fn attempt(shared: &Shared, job: &Job, run: &mut Loaded) -> Outcome {
    let Some((rule, manifest)) = &run.rule else {
        return Outcome::Failed(Reason::NoSuchRule { code: run.request.code.clone() });
    };
    let document = match rules::check(&run.request, manifest) {
        Ok(document) => document,
        Err(why) => return Outcome::Failed(why),
    };
    let mut cx = RunCtx {
        api: &shared.api,
        request: &run.request,
        document,
        words: Words { manifest, lang: run.lang },
        checkpoint: &mut run.checkpoint,
        store: &shared.store,
        job: job.claim(),
    };
    match rule.run(&mut cx).await {
        Ok(done) => answer(shared, job, run, done).await,
        Err(e) => e.into(),
    }
}

/// Sends the rule's answer. The `answering` mark is recorded first: if the handler dies after the
/// portal took the answer, the resumed run knows a refusal of the same answer means it was
/// delivered.
async fn answer(shared: &Shared, job: &Job, run: &mut Loaded, done: Done) -> Outcome {
    let Ok(AnswerCheckpoint { answering: resent }) = run.checkpoint.read() else {
        return Outcome::Failed(Reason::ProgressUnreadable);
    };
    run.checkpoint.write(&AnswerCheckpoint { answering: true });
    if let Err(e) = shared.store.checkpoint(job.claim(), run.checkpoint.to_json()).await {
        tracing::warn!(event = "store.error", job = job.id, error = %e);
        return ApiError::from(e).into();
    }
    match tell_workflow(&shared.api, &run.request, &done.return_values, &done.note).await {
        Ok(()) => Outcome::Done(done.return_values),
        Err(ApiError::Fatal(why)) if resent => {
            tracing::warn!(event = "run.answer_refused_after_restart", reason = %why);
            Outcome::Done(done.return_values)
        }
        Err(e) => e.into(),
    }
}

/// `bizproc.event.send`: the return values and a line for the workflow's log. A run that does
/// not subscribe to its answer gets none.
pub async fn tell_workflow(api: &PortalApi, request: &ExecutionRequest, return_values: &Value, note: &str) -> Result<(), ApiError> {
    if !request.use_subscription {
        return Ok(());
    }
    let params = json!({"event_token": request.event_token, "return_values": return_values, "log_message": note});
    api.call(&request.auth.client_endpoint, &request.auth.access_token, "bizproc.event.send", params).await.map(|_| ())
}

/// `bizproc.activity.log`: a line in the workflow's log that leaves its step waiting (a failure a
/// retry from the console can still repair; its answer then closes the step).
pub async fn log_to_workflow(api: &PortalApi, request: &ExecutionRequest, note: &str) -> Result<(), ApiError> {
    if !request.use_subscription {
        return Ok(());
    }
    let params = json!({"event_token": request.event_token, "log_message": note});
    api.call(&request.auth.client_endpoint, &request.auth.access_token, "bizproc.activity.log", params).await.map(|_| ())
}
