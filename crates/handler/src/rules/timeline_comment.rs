//! The timeline comment rule: a comment on the deal's, lead's, contact's or company's timeline
//! (`crm.timeline.comment.add`,
//! https://apidocs.bitrix24.com/api-reference/crm/timeline/comments/crm-timeline-comment-add.html),
//! and `comment_id` back to the workflow.
//!
//! A comment carries no id of the run, so before adding it the rule records which comment was the
//! document's newest. A run resumed with that mark and no comment id may have added its comment
//! just before a crash: it looks among the newer comments for its own text and author
//! (`crm.timeline.comment.list`) and adds only when none is there.

use super::{Done, Rule, RunCtx};
use crate::portal_api::ApiError;
use crate::reason::Reason;
use crate::record::Checkpoint;
use rulekit_model::manifest::RuleManifest;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub struct TimelineComment;

/// What the rule has done: about to add (with the document's newest comment then), and the
/// comment it added.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimelineCheckpoint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adding: Option<Adding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_id: Option<u64>,
}

/// Set before `crm.timeline.comment.add`: the id of the document's newest comment (0 for none).
/// Comment ids only grow, so the run's comment, if it was added, is newer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Adding {
    pub after: u64,
}

/// The comment the run adds.
#[derive(Clone, Debug, PartialEq)]
struct Comment {
    text: String,
    author: Option<u64>,
}

/// An id the portal sends as text or as a number.
fn id_of(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| v.as_str()?.trim().parse().ok())
}

/// Line ends as the portal may store them do not make another comment.
fn same_text(a: &str, b: &str) -> bool {
    a.replace("\r\n", "\n").trim() == b.replace("\r\n", "\n").trim()
}

impl Comment {
    fn is(&self, row: &Value) -> bool {
        self.author.is_none_or(|a| id_of(&row["AUTHOR_ID"]) == Some(a)) && same_text(row["COMMENT"].as_str().unwrap_or(""), &self.text)
    }

    /// Looks through one page of `crm.timeline.comment.list`, newest first, for comments newer
    /// than the mark with the run's text and author, keeping the oldest: the run added its own
    /// right after its mark, and a later twin belongs to a run that marked later. `false` once
    /// the page reaches the mark.
    fn scan(&self, rows: &[Value], after: u64, oldest: &mut Option<u64>) -> bool {
        for row in rows {
            let Some(id) = id_of(&row["ID"]) else { continue };
            if id <= after {
                return false;
            }
            if self.is(row) {
                *oldest = Some(id);
            }
        }
        true
    }
}

impl TimelineComment {
    fn comment(&self, cx: &RunCtx<'_>) -> Comment {
        // The `author` property's user, else the user the rule runs as.
        let author = cx.users("author").first().copied().or_else(|| cx.request.auth.user_id.trim().parse().ok());
        Comment { text: cx.text("comment"), author }
    }

    fn filter(cx: &RunCtx<'_>) -> Value {
        json!({"ENTITY_ID": cx.document.id, "ENTITY_TYPE": cx.document.entity.timeline_type()})
    }

    /// The id of the document's newest comment, 0 for none.
    async fn newest(&self, cx: &RunCtx<'_>) -> Result<u64, ApiError> {
        let page = cx.call("crm.timeline.comment.list", json!({"filter": Self::filter(cx), "order": {"ID": "DESC"}, "select": ["ID"]})).await?;
        Ok(page["result"].get(0).and_then(|row| id_of(&row["ID"])).unwrap_or(0))
    }

    /// The run's comment, if an attempt added it after the mark.
    async fn added_before(&self, cx: &RunCtx<'_>, comment: &Comment, after: u64) -> Result<Option<u64>, ApiError> {
        let mut found = None;
        let params = json!({"filter": Self::filter(cx), "order": {"ID": "DESC"}, "select": ["ID", "COMMENT", "AUTHOR_ID"]});
        cx.pages("crm.timeline.comment.list", params, |page| {
            comment.scan(page["result"].as_array().map(Vec::as_slice).unwrap_or_default(), after, &mut found)
        })
        .await?;
        Ok(found)
    }

    async fn add(&self, cx: &RunCtx<'_>, comment: &Comment) -> Result<u64, ApiError> {
        let mut fields = Self::filter(cx);
        fields["COMMENT"] = json!(comment.text);
        if let Some(author) = comment.author {
            fields["AUTHOR_ID"] = json!(author);
        }
        let added = cx.call("crm.timeline.comment.add", json!({"fields": fields})).await?;
        id_of(&added["result"]).ok_or(ApiError::Fatal(Reason::PortalAnswerIncomplete { method: "crm.timeline.comment.add" }))
    }
}

impl Rule for TimelineComment {
    fn manifest() -> RuleManifest {
        rulekit_model::manifest::timeline_comment()
    }

    async fn run(&self, cx: &mut RunCtx<'_>) -> Result<Done, ApiError> {
        let mut done: TimelineCheckpoint = cx.record()?;
        let comment = self.comment(cx);
        let comment_id = match (done.comment_id, done.adding) {
            (Some(id), _) => id,
            (None, mark) => {
                let earlier = match mark {
                    Some(Adding { after }) => self.added_before(cx, &comment, after).await?,
                    None => {
                        let after = self.newest(cx).await?;
                        done.adding = Some(Adding { after });
                        cx.save(&done, "adding", format!("Adding the comment (the newest before it: #{after}).")).await?;
                        None
                    }
                };
                let id = match earlier {
                    Some(id) => id,
                    None => self.add(cx, &comment).await?,
                };
                done.comment_id = Some(id);
                cx.save(&done, "comment", format!("Comment #{id} added.")).await?;
                id
            }
        };
        Ok(cx.answer("comment_id", comment_id, "added", &[]))
    }

    fn made(&self, checkpoint: &Checkpoint) -> Option<(&'static str, String)> {
        Some(("comment_id", checkpoint.read::<TimelineCheckpoint>().ok()?.comment_id?.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(list: &[(u64, &str, u64)]) -> Vec<Value> {
        list.iter().map(|(id, text, author)| json!({"ID": id.to_string(), "COMMENT": text, "AUTHOR_ID": author.to_string()})).collect()
    }

    fn scan(comment: &Comment, page: &[Value], after: u64) -> (Option<u64>, bool) {
        let mut oldest = None;
        let more = comment.scan(page, after, &mut oldest);
        (oldest, more)
    }

    #[test]
    fn only_a_comment_newer_than_the_mark_with_the_run_s_text_and_author_is_its_own() {
        let ours = Comment { text: "Checked: Big deal".into(), author: Some(7) };
        let page = rows(&[(12, "Other", 7), (11, "Checked: Big deal", 1), (10, "Checked: Big deal\r\n", 7), (9, "Checked: Big deal", 7)]);
        assert_eq!(scan(&ours, &page, 8), (Some(9), true), "the oldest twin after the mark; older ones may follow");
        assert_eq!(scan(&ours, &page, 9), (Some(10), false), "line ends do not make another comment");
        assert_eq!(scan(&ours, &page, 10), (None, false), "the same text from before the mark is another run's");
        let anyone = Comment { author: None, ..ours };
        assert_eq!(scan(&anyone, &page, 9), (Some(10), false));
        assert_eq!(scan(&anyone, &page[..2], 9), (Some(11), true));
    }

    #[test]
    fn the_checkpoint_round_trips_with_its_mark() {
        let mut cp = Checkpoint::from_json(&json!({"answering": false}));
        cp.write(&TimelineCheckpoint { adding: Some(Adding { after: 41 }), comment_id: None });
        assert_eq!(cp.to_json(), json!({"answering": false, "adding": {"after": 41}}));
        let read: TimelineCheckpoint = cp.read().unwrap();
        assert_eq!(read.adding, Some(Adding { after: 41 }));
        assert_eq!(id_of(&json!("42")), Some(42));
        assert_eq!(id_of(&json!(42)), Some(42));
    }
}
