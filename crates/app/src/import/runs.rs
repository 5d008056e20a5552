//! Who runs an import, and what becomes of runs whose process died: the next process to open
//! the database on the same machine marks them interrupted (their counts are those of the
//! batches that committed; a rerun of the file finishes the job).

use gongjiang_store::imports::{self, Runner};
use gongjiang_store::{Db, StoreError};

/// This process on this machine.
pub fn this_runner() -> Runner {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "localhost".to_string());
    Runner { host, pid: i64::from(std::process::id()) }
}

/// Whether the process `pid` on this machine is gone.
fn gone(pid: i64) -> bool {
    let Ok(pid) = i32::try_from(pid) else { return true };
    #[cfg(unix)]
    {
        // SAFETY: kill with signal 0 only checks that the process exists; it touches no memory.
        let result = unsafe { libc::kill(pid, 0) };
        result != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        false
    }
}

/// Marks the unfinished runs of dead processes on this machine as interrupted; returns how many.
pub async fn mark_interrupted(db: &Db) -> Result<usize, StoreError> {
    let me = this_runner();
    let mut marked = 0;
    for (id, pid) in imports::unfinished_on(db, &me.host).await? {
        if pid != me.pid && gone(pid) {
            imports::mark_interrupted(db, id).await?;
            marked += 1;
        }
    }
    Ok(marked)
}
