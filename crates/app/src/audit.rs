//! Who does what: the actor every use case that writes is given, and the audit entry it
//! appends in the same transaction as its write (`store::audit`, hash-chained). A write and its
//! entry commit together or not at all.
//!
//! Entries name records by internal id (or a certificate's number), never by identity number,
//! and carry no password or secret.

use gongjiang_store::StoreError;
use gongjiang_store::audit::{self, NewEntry};
use gongjiang_store::tx::Tx;
use serde_json::Value;

/// Who is acting and from where, as the audit trail records it.
#[derive(Debug, Clone)]
pub struct Actor {
    /// `user:NAME`, `token:ID`, `cli:OSUSER`, `system:WHAT` …
    pub label: String,
    /// The signed-in (or `--by`) user whose permissions the action is checked against;
    /// `None` for the operator's shell, the system, and the first-administrator bootstrap.
    pub user_id: Option<i64>,
    /// The client's address; `cli` for the command line.
    pub client_addr: Option<String>,
}

impl Actor {
    /// The operator at a shell, as the operating system names them.
    pub fn cli(os_user: &str) -> Actor {
        Actor { label: format!("cli:{os_user}"), user_id: None, client_addr: Some("cli".into()) }
    }

    /// The system itself: the demo loader, a background pass.
    pub fn system(what: &str) -> Actor {
        Actor { label: format!("system:{what}"), user_id: None, client_addr: None }
    }
}

/// Appends `action` on `resource`/`record` with the record's state before and after, inside
/// `tx`.
pub async fn record(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    resource: &str,
    record: Option<&str>,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<(), StoreError> {
    let e = NewEntry {
        actor: &actor.label,
        action,
        resource,
        record_id: record,
        client_addr: actor.client_addr.as_deref(),
        before,
        after,
    };
    audit::append(tx, &e).await.map(|_| ())
}
