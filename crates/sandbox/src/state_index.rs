//! Finding a workflow by id without scanning, so stopping 10,000 workflows one call each stays
//! linear overall. The index is a cache beside `State::workflows` (not saved): a hit is checked
//! against the vector and a miss or a stale hit rebuilds it. `kill` only marks a workflow
//! (`killed`) and `settle` removes the marked ones once per request, since removing from the
//! middle of a vector on every call would move the whole tail each time.

use crate::state::{State, Workflow};

pub const KILLED: &str = "killed";

impl State {
    fn rebuild_workflow_index(&mut self) {
        self.workflow_index = self.workflows.iter().enumerate().map(|(i, w)| (w.id.clone(), i)).collect();
    }

    /// The position of a live (not killed) workflow.
    pub fn workflow_pos(&mut self, id: &str) -> Option<usize> {
        let fresh = |s: &State| s.workflow_index.get(id).copied().filter(|&i| s.workflows.get(i).is_some_and(|w| w.id == id));
        let pos = match fresh(self) {
            Some(i) => Some(i),
            None => {
                self.rebuild_workflow_index();
                fresh(self)
            }
        };
        pos.filter(|&i| self.workflows[i].state != KILLED)
    }

    /// A live workflow, without touching the index (for readers holding `&State`).
    pub fn find_workflow(&self, id: &str) -> Option<&Workflow> {
        let hit = self.workflow_index.get(id).and_then(|&i| self.workflows.get(i)).filter(|w| w.id == id);
        hit.or_else(|| self.workflows.iter().find(|w| w.id == id)).filter(|w| w.state != KILLED)
    }

    /// Removes what `kill` marked: the workflows and their tasks. Cheap when nothing was killed.
    pub fn settle(&mut self) {
        if !self.workflows.iter().any(|w| w.state == KILLED) {
            return;
        }
        let killed: std::collections::HashSet<String> = self.workflows.iter().filter(|w| w.state == KILLED).map(|w| w.id.clone()).collect();
        self.workflows.retain(|w| w.state != KILLED);
        self.tasks.retain(|t| !killed.contains(&t.workflow_id));
        self.rebuild_workflow_index();
    }
}
