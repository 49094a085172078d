//! The CRM document a workflow runs on, named once for every part of rulekit.
//!
//! Bitrix24 names the same CRM record in four ways: a workflow's document id
//! (`["crm", "CCrmDocumentDeal", "DEAL_123"]`), the REST entity type id (`2`), the product-row owner
//! type (`D`) and the timeline's entity type (`deal`). These types translate between them, so no
//! caller keeps its own table.

use std::fmt;

/// A CRM entity type, as `crm.item.*` numbers it (`entityTypeId`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CrmEntity {
    Lead,
    Deal,
    Contact,
    Company,
    Quote,
    SmartInvoice,
    /// A smart process, by its entity type id (128 and up).
    Dynamic(u64),
}

/// `(entity, entityTypeId, owner type, workflow prefix, document class)` for the fixed types.
const FIXED: [(CrmEntity, u64, &str, &str, &str); 6] = [
    (CrmEntity::Lead, 1, "L", "LEAD", "CCrmDocumentLead"),
    (CrmEntity::Deal, 2, "D", "DEAL", "CCrmDocumentDeal"),
    (CrmEntity::Contact, 3, "C", "CONTACT", "CCrmDocumentContact"),
    (CrmEntity::Company, 4, "CO", "COMPANY", "CCrmDocumentCompany"),
    (CrmEntity::Quote, 7, "Q", "QUOTE", "Bitrix\\Crm\\Integration\\BizProc\\Document\\Quote"),
    (CrmEntity::SmartInvoice, 31, "SI", "SMART_INVOICE", "Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice"),
];

/// Smart processes share one document class; the type id is part of the document id.
const DYNAMIC_CLASS: &str = "Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic";

impl CrmEntity {
    fn row(self) -> Option<&'static (CrmEntity, u64, &'static str, &'static str, &'static str)> {
        FIXED.iter().find(|r| r.0 == self)
    }

    pub fn from_type_id(id: u64) -> CrmEntity {
        FIXED.iter().find(|r| r.1 == id).map(|r| r.0).unwrap_or(CrmEntity::Dynamic(id))
    }

    pub fn type_id(self) -> u64 {
        match self {
            CrmEntity::Dynamic(id) => id,
            fixed => fixed.row().map_or(0, |r| r.1),
        }
    }

    /// The product-row owner type: `D` for a deal, `T<hex>` for a smart process.
    pub fn owner_type(self) -> String {
        match self.row() {
            Some(r) => r.2.to_string(),
            None => format!("T{:x}", self.type_id()),
        }
    }

    pub fn from_owner_type(owner: &str) -> Option<CrmEntity> {
        if let Some(r) = FIXED.iter().find(|r| r.2 == owner) {
            return Some(r.0);
        }
        let id = u64::from_str_radix(owner.strip_prefix('T')?, 16).ok()?;
        Some(CrmEntity::from_type_id(id))
    }

    /// The document class of the workflow's document type (`CCrmDocumentDeal`).
    pub fn document_class(self) -> &'static str {
        self.row().map_or(DYNAMIC_CLASS, |r| r.4)
    }

    /// The prefix of the workflow's document id (`DEAL` in `DEAL_123`, `DYNAMIC_128`).
    pub fn document_prefix(self) -> String {
        match self.row() {
            Some(r) => r.3.to_string(),
            None => format!("DYNAMIC_{}", self.type_id()),
        }
    }

    /// The workflow's document type: `["crm", "CCrmDocumentDeal", "DEAL"]`.
    pub fn document_type(self) -> Vec<String> {
        vec!["crm".into(), self.document_class().into(), self.document_prefix()]
    }

    /// The entity type `crm.timeline.comment.*` takes: `deal`, `lead`, `dynamic_128`.
    pub fn timeline_type(self) -> String {
        self.document_prefix().to_ascii_lowercase()
    }

    /// The entity a timeline's `ENTITY_TYPE` names, in any case (`deal`, `DYNAMIC_128`).
    pub fn from_timeline_type(name: &str) -> Option<CrmEntity> {
        let upper = name.trim().to_ascii_uppercase();
        if let Some(r) = FIXED.iter().find(|r| r.3 == upper) {
            return Some(r.0);
        }
        Some(CrmEntity::from_type_id(upper.strip_prefix("DYNAMIC_")?.parse().ok()?))
    }
}

/// One CRM record as a workflow names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DocumentId {
    pub entity: CrmEntity,
    pub id: u64,
}

impl DocumentId {
    pub fn new(entity: CrmEntity, id: u64) -> Self {
        DocumentId { entity, id }
    }

    /// Reads the last part of a workflow's document id: `DEAL_123`, `DYNAMIC_128_5`.
    pub fn parse(text: &str) -> Option<DocumentId> {
        let (prefix, id) = text.trim().rsplit_once('_')?;
        let id = id.parse().ok()?;
        if let Some(r) = FIXED.iter().find(|r| r.3 == prefix) {
            return Some(DocumentId { entity: r.0, id });
        }
        let type_id = prefix.strip_prefix("DYNAMIC_")?.parse().ok()?;
        Some(DocumentId { entity: CrmEntity::from_type_id(type_id), id })
    }

    /// Reads a workflow's whole document id (`["crm", "CCrmDocumentDeal", "DEAL_123"]`). Only CRM
    /// documents are records this model knows.
    pub fn from_bizproc(document_id: &[String]) -> Option<DocumentId> {
        match document_id {
            [module, _, id] if module == "crm" => DocumentId::parse(id),
            _ => None,
        }
    }

    /// The workflow's whole document id.
    pub fn bizproc_id(&self) -> Vec<String> {
        vec!["crm".into(), self.entity.document_class().into(), self.to_string()]
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.entity.document_prefix(), self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deal_is_named_the_same_everywhere() {
        let d = DocumentId::parse("DEAL_123").unwrap();
        assert_eq!(d, DocumentId::new(CrmEntity::Deal, 123));
        assert_eq!(d.entity.type_id(), 2);
        assert_eq!(d.entity.owner_type(), "D");
        assert_eq!(d.entity.timeline_type(), "deal");
        assert_eq!(d.to_string(), "DEAL_123");
        assert_eq!(d.bizproc_id(), ["crm", "CCrmDocumentDeal", "DEAL_123"]);
        assert_eq!(d.entity.document_type(), ["crm", "CCrmDocumentDeal", "DEAL"]);
        assert_eq!(DocumentId::from_bizproc(&d.bizproc_id()), Some(d));
    }

    #[test]
    fn every_fixed_type_round_trips_through_each_name() {
        for (entity, type_id, owner, ..) in FIXED {
            assert_eq!(CrmEntity::from_type_id(type_id), entity);
            assert_eq!(CrmEntity::from_owner_type(owner), Some(entity));
            assert_eq!(CrmEntity::from_timeline_type(&entity.timeline_type()), Some(entity));
            let doc = DocumentId::new(entity, 9);
            assert_eq!(DocumentId::parse(&doc.to_string()), Some(doc));
        }
    }

    #[test]
    fn smart_processes_carry_their_type_id() {
        let d = DocumentId::parse("DYNAMIC_168_5").unwrap();
        assert_eq!(d.entity, CrmEntity::Dynamic(168));
        assert_eq!(d.entity.owner_type(), "Ta8");
        assert_eq!(CrmEntity::from_owner_type("Ta8"), Some(CrmEntity::Dynamic(168)));
        assert_eq!(d.entity.timeline_type(), "dynamic_168");
        assert_eq!(CrmEntity::from_timeline_type("dynamic_168"), Some(CrmEntity::Dynamic(168)));
        assert_eq!(d.to_string(), "DYNAMIC_168_5");
    }

    #[test]
    fn other_documents_are_refused() {
        for bad in ["", "DEAL", "DEAL_", "DEAL_x", "TASK_5", "DYNAMIC_x_5", "123"] {
            assert_eq!(DocumentId::parse(bad), None, "{bad}");
        }
        assert_eq!(DocumentId::from_bizproc(&["lists".into(), "BizprocDocument".into(), "DEAL_1".into()]), None);
        assert_eq!(DocumentId::from_bizproc(&[]), None);
        assert_eq!(CrmEntity::from_owner_type("X"), None);
        assert_eq!(CrmEntity::from_timeline_type("task"), None);
        assert_eq!(CrmEntity::from_timeline_type("dynamic_x"), None);
    }
}
