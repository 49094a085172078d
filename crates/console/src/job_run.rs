//! A job the console runs and keeps: its runner (for the view), one driver at a time, and a copy
//! in the browser's storage after every step, so a reload or a closed slider resumes it. The copy
//! is written after a call is handed out and before it goes, so the job read back knows what may
//! already have been done, and checks it before sending anything again.

use crate::portal::{drive, now_ms};
use crate::store::Scope;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rulekit_model::planner::{Job, Runner};

#[derive(Clone, Copy)]
pub struct Running {
    pub runner: RwSignal<Runner<Job>>,
    driving: RwSignal<bool>,
    /// False once the browser refused to keep the copy (storage off or full).
    pub kept: RwSignal<bool>,
    scope: StoredValue<Option<Scope>>,
    key: &'static str,
}

/// The owner a job's signals live under: the section's, not that of the button that started it,
/// whose view goes away as the job's view appears (its signals would go with it).
pub fn section_owner() -> Owner {
    Owner::current().unwrap_or_default()
}

impl Running {
    fn new(owner: &Owner, job: Job, scope: Option<Scope>, key: &'static str) -> Running {
        owner.with(|| Running {
            runner: RwSignal::new(Runner::new(job)),
            driving: RwSignal::new(false),
            kept: RwSignal::new(true),
            scope: StoredValue::new(scope),
            key,
        })
    }

    /// Starts `job` and keeps it under `key`.
    pub fn start(owner: &Owner, job: Job, scope: Option<Scope>, key: &'static str) -> Running {
        let r = Running::new(owner, job, scope, key);
        r.save();
        r.drive();
        r
    }

    /// The job kept under `key`, read back after a reload: what was in flight is checked first.
    /// It goes on at once unless it was paused or is finished.
    pub fn restore(owner: &Owner, scope: Option<Scope>, key: &'static str) -> Option<Running> {
        let text = scope.as_ref()?.get(key)?;
        let mut job = Job::from_json(&text)?;
        job.reloaded();
        let r = Running::new(owner, job, scope, key);
        r.drive();
        Some(r)
    }

    fn save(&self) {
        let Some(scope) = self.scope.get_value() else { return };
        let text = self.runner.with_untracked(|r| r.plan.to_json());
        if !scope.set(self.key, &text) {
            self.kept.set(false);
        }
    }

    /// Runs the job until it is done or paused; a second call while one runs does nothing.
    pub fn drive(self) {
        if self.driving.get_untracked() {
            return;
        }
        self.driving.set(true);
        spawn_local(async move {
            drive(self.runner, |_| self.save()).await;
            self.save();
            self.driving.set(false);
        });
    }

    pub fn pause(self) {
        self.runner.update(|r| r.plan.pause());
        self.save();
    }

    pub fn resume(self) {
        self.runner.update(|r| r.plan.resume());
        self.save();
        self.drive();
    }

    /// What was not sent is not sent; what is out still gets its answer.
    pub fn cancel(self) {
        self.runner.update(|r| r.plan.cancel());
        self.save();
        self.drive();
    }

    pub fn finished(&self) -> bool {
        self.runner.with(|r| r.plan.progress(now_ms()).finished)
    }

    /// Forgets the kept copy (the person starts a new search).
    pub fn forget(self) {
        if let Some(scope) = self.scope.get_value() {
            scope.remove(self.key);
        }
    }
}
