//! A connection inside a write transaction, whichever backend it is ([`Conn`]), and the
//! borrowing of one from a transaction ([`AsConn`]): what code shared by [`crate::tx::Tx`] and
//! the KPI maintenance's own transactions runs on. `on_conn!` runs one body against either
//! backend's connection, type-checked for both.

use sqlx::{PgConnection, SqliteConnection};

use crate::Backend;

/// A connection inside a write transaction, whichever backend it is.
pub(crate) enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl Conn<'_> {
    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }
}

/// Borrows the connection of a transaction as a [`Conn`].
pub(crate) trait AsConn {
    fn conn(&mut self) -> Conn<'_>;
}

impl AsConn for sqlx::Transaction<'_, sqlx::Sqlite> {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Sqlite(self)
    }
}

impl AsConn for sqlx::Transaction<'_, sqlx::Postgres> {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Postgres(self)
    }
}

/// Runs `$body` with `$conn` bound to the [`Conn`]'s connection (`&mut &mut SqliteConnection` or
/// `&mut &mut PgConnection`), whichever backend it is.
macro_rules! on_conn {
    ($c:expr, $conn:ident => $body:expr) => {
        match $c {
            $crate::conn::Conn::Sqlite($conn) => $body,
            $crate::conn::Conn::Postgres($conn) => $body,
        }
    };
}
pub(crate) use on_conn;
