//! A short-lived cache of search results. Popular searches (the unfiltered directory, a sector,
//! a territory) are asked for again and again; counting facets over a national directory costs
//! tens of milliseconds, answering from memory a few microseconds. Entries live 30 seconds, so a
//! change made on any app server shows within that time without cross-server invalidation.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{SearchParams, SearchResults};
use crate::db::Db;

const TTL: Duration = Duration::from_secs(30);
const CAPACITY: usize = 4096;

#[derive(Default)]
pub struct DirectoryCache {
    entries: Mutex<HashMap<SearchParams, (Instant, SearchResults)>>,
}

impl DirectoryCache {
    pub async fn search(
        &self,
        db: &Db,
        params: &SearchParams,
    ) -> Result<SearchResults, sqlx::Error> {
        if let Some(hit) = self.get(params) {
            return Ok(hit);
        }
        let results = super::db::search(db, params).await?;
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() >= CAPACITY {
            entries.retain(|_, (at, _)| at.elapsed() < TTL);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(params.clone(), (Instant::now(), results.clone()));
        Ok(results)
    }

    fn get(&self, params: &SearchParams) -> Option<SearchResults> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        entries
            .get(params)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, results)| results.clone())
    }

    /// Forgets everything: called after this server changed the directory.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
    }
}
