//! The index as the app server holds it: behind a lock, followed from the change log.

use crate::search::Index;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The index shared by the request handlers of one app server, and its state of readiness.
pub struct SearchIndex {
    pub(super) index: RwLock<Index>,
    pub(super) ready: tokio::sync::watch::Sender<bool>,
    /// Held by whoever reads the change log, so that two catch-ups never interleave.
    pub follower: tokio::sync::Mutex<Follower>,
}

impl Default for SearchIndex {
    fn default() -> Self {
        SearchIndex {
            index: RwLock::default(),
            ready: tokio::sync::watch::Sender::new(false),
            follower: tokio::sync::Mutex::default(),
        }
    }
}

impl SearchIndex {
    /// Waits until the index has been built once.
    pub async fn ready(&self) {
        let mut receiver = self.ready.subscribe();
        // The sender lives as long as `self`: waiting cannot fail.
        let _ = receiver.wait_for(|ready| *ready).await;
    }

    pub fn is_ready(&self) -> bool {
        *self.ready.borrow()
    }

    /// How long since the index last read the change log (zero while it reads it; `None`
    /// before it is built).
    pub fn age(&self) -> Option<std::time::Duration> {
        if !self.is_ready() {
            return None;
        }
        match self.follower.try_lock() {
            Ok(follower) => follower.read_at.map(|at| at.elapsed()),
            Err(_) => Some(std::time::Duration::ZERO),
        }
    }

    /// Replaces the whole index (a build or a rebuild) and marks it ready.
    pub fn replace(&self, index: Index) {
        *self.write() = index;
        self.ready.send_replace(true);
    }

    pub fn read(&self) -> RwLockReadGuard<'_, Index> {
        self.index
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, Index> {
        self.index
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Where an app server stands in the change log (see `features::directory::index`).
#[derive(Debug, Default)]
pub struct Follower {
    /// Every change up to this sequence number is applied.
    pub low: i64,
    /// Changes above `low` already applied, with when they were.
    pub recent: std::collections::BTreeMap<i64, std::time::Instant>,
    /// When the change log was last read to the end.
    pub read_at: Option<std::time::Instant>,
}
