//! A short-lived, bounded in-memory cache of computed answers (the directory's search results).
//! Keys are text; values are any type, so that the cache sits below the features that use it.
//! Entries live 30 seconds: a change made on any app server shows within that time without
//! cross-server invalidation, and the server that made it clears its own cache at once.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(30);
const CAPACITY: usize = 4096;

type Entry = (Instant, Arc<dyn Any + Send + Sync>);

#[derive(Default)]
pub struct AnswerCache {
    entries: Mutex<HashMap<String, Entry>>,
}

impl AnswerCache {
    /// The fresh value stored under `key`, if it has type `T`.
    pub fn get<T: Clone + Send + Sync + 'static>(&self, key: &str) -> Option<T> {
        let entries = self.lock();
        let (at, value) = entries.get(key)?;
        if at.elapsed() >= TTL {
            return None;
        }
        value.downcast_ref::<T>().cloned()
    }

    pub fn put<T: Send + Sync + 'static>(&self, key: String, value: T) {
        let mut entries = self.lock();
        if entries.len() >= CAPACITY {
            entries.retain(|_, (at, _)| at.elapsed() < TTL);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(key, (Instant::now(), Arc::new(value)));
    }

    /// Forgets everything: called after this server changed what the cache holds.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_back_by_key_and_type_until_cleared() {
        let cache = AnswerCache::default();
        cache.put("a".into(), 7_u32);
        assert_eq!(cache.get::<u32>("a"), Some(7));
        assert_eq!(cache.get::<String>("a"), None, "another type is a miss");
        assert_eq!(cache.get::<u32>("b"), None);
        cache.clear();
        assert_eq!(cache.get::<u32>("a"), None);
    }
}
