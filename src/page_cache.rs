//! Pages for visitors without a session, kept for at most [`FRESH`] and shared by every such
//! visitor of this server.
//!
//! A request without a cookie or credentials cannot see anything personal, so its page is the
//! same for every visitor: the first one renders it, the next ones (within [`FRESH`]) get the
//! same bytes, already compressed for their encoding. What may be kept: a `GET` answered 200 with
//! a page or a feed, no cookie set, nothing saying `no-store`, at most [`MAX_PAGE_BYTES`].
//!
//! Freshness, whatever changed and on whichever server: a kept page is at most [`FRESH`] old,
//! or [`STALE_AT_MOST`] old while its next rendering is under way (the visitors of that moment
//! get the previous one instead of waiting). Sooner than that, every page kept is dropped when
//! this server answers a change by someone with a session (a form or a server function that
//! succeeded, so its author sees it at once) and when the directory's index applies another
//! server's change.
//!
//! Concurrent visitors of a page that is not kept wait for the one rendering it rather than each
//! rendering their own, for at most [`WAIT_AT_MOST`]. The content-security nonce is the one of the kept rendering: it changes
//! at each rendering, never for a request (see `server::headers`).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::watch;

use crate::metrics::Metrics;

/// How long a page is served as rendered.
pub const FRESH: Duration = Duration::from_secs(1);
/// How long a page may still be served while one request renders its next version.
pub const STALE_AT_MOST: Duration = Duration::from_millis(1500);
/// Longest a request waits for another's rendering of the same page before rendering its own:
/// a rendering that hangs (seen once in 20,000 requests of a saturating mix, 30 s until the
/// handler's time limit) must not take every visitor of that page with it.
pub const WAIT_AT_MOST: Duration = Duration::from_secs(1);
/// Largest page kept (larger ones are rendered for each request).
pub const MAX_PAGE_BYTES: usize = 512 * 1024;
/// What all the kept pages may weigh together; past it, pages past their freshness are dropped,
/// and a page is not kept while there is no room.
pub const MAX_TOTAL_BYTES: usize = 16 * 1024 * 1024;
/// Most addresses kept at once (random searches would otherwise fill the memory with pages
/// nobody asks for twice).
pub const MAX_PAGES: usize = 2_048;

/// Pages kept on this server (one per application state).
pub struct PageCache {
    enabled: bool,
    generation: AtomicU64,
    slots: Mutex<Slots>,
}

#[derive(Default)]
struct Slots {
    by_key: HashMap<Key, Slot>,
    bytes: usize,
    next_fill: u64,
    swept: Option<Instant>,
}

struct Slot {
    page: Option<Arc<Page>>,
    /// The rendering under way: its number and the channel its waiters listen to.
    filling: Option<(u64, watch::Receiver<()>)>,
    /// How many times the address was asked, and when last: an address with a query (a
    /// search) is kept from its second request on, so that searches nobody repeats do not
    /// fill the memory.
    asks: u32,
    asked: Instant,
}

impl Slot {
    fn new() -> Self {
        Slot {
            page: None,
            filling: None,
            asks: 0,
            asked: Instant::now(),
        }
    }
}

/// Sweeps the slots at most this often when the table is full.
const SWEEP_EVERY: Duration = Duration::from_millis(100);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    path_and_query: String,
    encoding: Encoding,
}

/// The encodings a response may be compressed in (see the compression layer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// The encoding the compression layer picks for these headers, as far as it matters here:
    /// brotli, then gzip, when the client accepts them (`q=0` refuses).
    fn of(headers: &HeaderMap) -> Self {
        let accepted = |name: &str| {
            headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|item| {
                    let mut parts = item.split(';');
                    let coding = parts.next().unwrap_or("").trim();
                    let refused = parts.any(|p| {
                        let p = p.trim().replace(' ', "");
                        p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
                    });
                    coding.eq_ignore_ascii_case(name) && !refused
                })
        };
        if accepted("br") {
            Encoding::Brotli
        } else if accepted("gzip") {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }
}

/// One kept answer.
struct Page {
    status: StatusCode,
    headers: HeaderMap,
    /// What the router left on the answer (the route it matched, for the request log).
    extensions: axum::http::Extensions,
    body: Bytes,
    made: Instant,
    generation: u64,
}

enum Lookup {
    Fresh(Arc<Page>),
    Wait(watch::Receiver<()>),
    Fill(Filling),
}

/// The right to render a page and keep it; dropping it (the request was abandoned, or its
/// answer cannot be kept) lets the waiters render their own.
struct Filling {
    cache: Arc<PageCache>,
    key: Key,
    number: u64,
    generation: u64,
    _done: watch::Sender<()>,
}

impl Drop for Filling {
    fn drop(&mut self) {
        let mut slots = self.cache.lock();
        if let Some(slot) = slots.by_key.get_mut(&self.key)
            && slot
                .filling
                .as_ref()
                .is_some_and(|(n, _)| *n == self.number)
        {
            slot.filling = None;
        }
    }
}

impl PageCache {
    pub fn new(enabled: bool) -> Self {
        PageCache {
            enabled,
            generation: AtomicU64::new(0),
            slots: Mutex::default(),
        }
    }

    /// Every page kept so far is out of date: the next request of each renders it again.
    /// A number that moves each time [`PageCache::changed`] is called: what other memories of
    /// the data (the observatory's figures) compare to know they are stale.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::Release);
    }

    /// Pages kept, and their bytes.
    pub fn size(&self) -> (usize, usize) {
        let slots = self.lock();
        let pages = slots.by_key.values().filter(|s| s.page.is_some()).count();
        (pages, slots.bytes)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lookup(self: &Arc<Self>, key: &Key) -> Lookup {
        let generation = self.generation.load(Ordering::Acquire);
        let mut slots = self.lock();
        if !slots.by_key.contains_key(key) && slots.by_key.len() >= MAX_PAGES {
            slots.sweep();
        }
        if !slots.by_key.contains_key(key) && slots.by_key.len() >= MAX_PAGES {
            // No room: rendered for this request alone.
            let (done, _) = watch::channel(());
            return Lookup::Fill(Filling {
                cache: self.clone(),
                key: key.clone(),
                number: 0,
                generation,
                _done: done,
            });
        }
        let slot = slots.by_key.entry(key.clone()).or_insert_with(Slot::new);
        slot.asks = slot.asks.saturating_add(1);
        slot.asked = Instant::now();
        let usable = slot
            .page
            .as_ref()
            .filter(|page| page.generation == generation);
        if let Some(page) = usable {
            let age = page.made.elapsed();
            if age < FRESH || (age < STALE_AT_MOST && slot.filling.is_some()) {
                return Lookup::Fresh(page.clone());
            }
        }
        if let Some((_, waiting)) = &slot.filling {
            return Lookup::Wait(waiting.clone());
        }
        let (done, waiting) = watch::channel(());
        slots.next_fill += 1;
        let number = slots.next_fill;
        if let Some(slot) = slots.by_key.get_mut(key) {
            slot.filling = Some((number, waiting));
        }
        Lookup::Fill(Filling {
            cache: self.clone(),
            key: key.clone(),
            number,
            generation,
            _done: done,
        })
    }

    /// Keeps `page` for `filling`'s key, unless a change happened while it was rendered.
    fn keep(&self, filling: &Filling, page: Page) {
        if self.generation.load(Ordering::Acquire) != filling.generation {
            return;
        }
        let size = page.body.len() + filling.key.path_and_query.len();
        let mut slots = self.lock();
        let once = filling.key.path_and_query.contains('?')
            && slots
                .by_key
                .get(&filling.key)
                .is_none_or(|slot| slot.asks < 2);
        if once {
            return;
        }
        if slots.bytes + size > MAX_TOTAL_BYTES {
            slots.sweep();
        }
        if slots.bytes + size > MAX_TOTAL_BYTES {
            return;
        }
        let Some(slot) = slots.by_key.get_mut(&filling.key) else {
            return;
        };
        let before = slot
            .page
            .as_ref()
            .map_or(0, |p| p.body.len() + filling.key.path_and_query.len());
        slot.page = Some(Arc::new(page));
        slots.bytes = slots.bytes + size - before;
    }
}

impl Slots {
    /// Drops the pages no request may be served any more, and the addresses nobody asked for
    /// within a second; at most once every [`SWEEP_EVERY`].
    fn sweep(&mut self) {
        if self.swept.is_some_and(|at| at.elapsed() < SWEEP_EVERY) {
            return;
        }
        self.swept = Some(Instant::now());
        let mut freed = 0;
        self.by_key.retain(|key, slot| {
            if slot
                .page
                .as_ref()
                .is_some_and(|p| p.made.elapsed() >= STALE_AT_MOST)
            {
                freed += slot.page.take().map_or(0, |p| p.body.len()) + key.path_and_query.len();
            }
            slot.page.is_some() || slot.filling.is_some() || slot.asked.elapsed() < FRESH
        });
        self.bytes -= freed;
    }
}

impl Page {
    /// The kept answer, or a 304 when the visitor holds it already.
    fn response(&self, request_headers: &HeaderMap) -> Response {
        let etag = self.headers.get(header::ETAG);
        if let Some(etag) = etag
            && crate::revalidation::matches(request_headers, etag)
        {
            let mut response = crate::revalidation::not_modified(&self.headers);
            *response.extensions_mut() = self.extensions.clone();
            return response;
        }
        let mut response = Response::new(Body::from(self.body.clone()));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        *response.extensions_mut() = self.extensions.clone();
        response
    }
}

/// Whether `request`'s answer may be shared: a `GET` with no cookie, credentials or range.
fn shareable(request: &Request) -> bool {
    let headers = request.headers();
    request.method() == Method::GET
        && !headers.contains_key(header::COOKIE)
        && !headers.contains_key(header::AUTHORIZATION)
        && !headers.contains_key(header::RANGE)
        && !request.uri().path().starts_with("/pkg/")
}

/// Whether an answer may be kept (before its body is read).
fn keepable(response: &Response) -> bool {
    let headers = response.headers();
    let kept_type = crate::revalidation::is_page(headers);
    let no_store = headers
        .get_all(header::CACHE_CONTROL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("no-store"));
    response.status() == StatusCode::OK
        && kept_type
        && !no_store
        && !headers.contains_key(header::SET_COOKIE)
}

/// The middleware: serves a kept page, or renders and keeps it; drops every kept page after a
/// change this server made.
pub async fn serve(
    State((cache, metrics)): State<(Arc<PageCache>, Arc<Metrics>)>,
    mut request: Request,
    next: Next,
) -> Response {
    if !cache.enabled || !shareable(&request) {
        // A change that succeeded (a redirection after a form counts) by someone with a session:
        // what was kept may be out of date. What a visitor without one sends (a registration
        // to confirm by mail, a message, a proposal to moderate, a login) changes no public
        // page at once; when it does (a guest confirming), the page follows within `FRESH`.
        // So a rush of guest registrations does not make every page be rendered again.
        let with_session = request.headers().contains_key(header::COOKIE);
        let unsafe_method = !matches!(*request.method(), Method::GET | Method::HEAD);
        let response = next.run(request).await;
        if unsafe_method && with_session && response.status().as_u16() < 400 {
            cache.changed();
        }
        return response;
    }
    let key = Key {
        path_and_query: request.uri().path_and_query().map_or_else(
            || request.uri().path().to_owned(),
            |p| p.as_str().to_owned(),
        ),
        encoding: Encoding::of(request.headers()),
    };
    // Waits for at most one rendering of another request; renders its own after that.
    let mut waited = false;
    let filling = loop {
        match cache.lookup(&key) {
            Lookup::Fresh(page) => {
                metrics.page_cache_hits.fetch_add(1, Ordering::Relaxed);
                return page.response(request.headers());
            }
            Lookup::Wait(mut waiting) if !waited => {
                waited = true;
                let _ = tokio::time::timeout(WAIT_AT_MOST, waiting.changed()).await;
            }
            Lookup::Wait(_) => break None,
            Lookup::Fill(filling) => break Some(filling),
        }
    };
    metrics.page_cache_misses.fetch_add(1, Ordering::Relaxed);
    let Some(filling) = filling else {
        return next.run(request).await;
    };
    // The kept answer is the whole page: the visitor's own validator is checked against it after.
    let validator = request.headers_mut().remove(header::IF_NONE_MATCH);
    let response = next.run(request).await;
    if !keepable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match crate::revalidation::read_at_most(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(body) => return Response::from_parts(parts, body),
    };
    let page = Page {
        status: parts.status,
        headers: parts.headers,
        extensions: parts.extensions,
        body,
        made: Instant::now(),
        generation: filling.generation,
    };
    let mut request_headers = HeaderMap::new();
    if let Some(validator) = validator {
        request_headers.insert(header::IF_NONE_MATCH, validator);
    }
    let response = page.response(&request_headers);
    cache.keep(&filling, page);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(accept: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).unwrap(),
        );
        headers
    }

    #[test]
    fn the_encoding_follows_what_the_client_accepts() {
        assert_eq!(Encoding::of(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(
            Encoding::of(&headers("gzip, deflate, br, zstd")),
            Encoding::Brotli
        );
        assert_eq!(Encoding::of(&headers("gzip")), Encoding::Gzip);
        assert_eq!(Encoding::of(&headers("br;q=0, gzip")), Encoding::Gzip);
        assert_eq!(Encoding::of(&headers("BR")), Encoding::Brotli);
        assert_eq!(Encoding::of(&headers("identity")), Encoding::Identity);
        assert_eq!(Encoding::of(&headers("gzip;q=0.0")), Encoding::Identity);
    }

    fn key(path: &str) -> Key {
        Key {
            path_and_query: path.to_owned(),
            encoding: Encoding::Identity,
        }
    }

    fn page(generation: u64, bytes: usize) -> Page {
        Page {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            extensions: Default::default(),
            body: Bytes::from(vec![b'x'; bytes]),
            made: Instant::now(),
            generation,
        }
    }

    #[test]
    fn one_request_renders_the_others_wait_then_share_it() {
        let cache = Arc::new(PageCache::new(true));
        let Lookup::Fill(filling) = cache.lookup(&key("/")) else {
            panic!("the first request renders");
        };
        let Lookup::Wait(waiting) = cache.lookup(&key("/")) else {
            panic!("the second waits");
        };
        assert!(matches!(cache.lookup(&key("/autre")), Lookup::Fill(_)));
        cache.keep(&filling, page(filling.generation, 10));
        drop(filling);
        assert!(waiting.has_changed().is_err(), "the waiters are woken");
        assert!(matches!(cache.lookup(&key("/")), Lookup::Fresh(_)));
        assert_eq!(cache.size(), (1, 11));
    }

    #[test]
    fn a_change_drops_what_was_kept_and_what_was_being_rendered() {
        let cache = Arc::new(PageCache::new(true));
        let Lookup::Fill(filling) = cache.lookup(&key("/")) else {
            panic!()
        };
        cache.keep(&filling, page(filling.generation, 10));
        drop(filling);
        cache.changed();
        let Lookup::Fill(filling) = cache.lookup(&key("/")) else {
            panic!("a change means rendering again");
        };
        cache.changed();
        cache.keep(&filling, page(filling.generation, 10));
        drop(filling);
        assert!(
            matches!(cache.lookup(&key("/")), Lookup::Fill(_)),
            "a page rendered across a change is not kept"
        );
    }

    #[test]
    fn a_search_is_kept_from_its_second_request() {
        let cache = Arc::new(PageCache::new(true));
        let search = key("/annuaire?q=jamais-vu");
        for kept in [false, true] {
            let Lookup::Fill(filling) = cache.lookup(&search) else {
                panic!("not kept yet: rendered")
            };
            cache.keep(&filling, page(filling.generation, 10));
            drop(filling);
            assert_eq!(cache.size().0, usize::from(kept));
        }
        assert!(matches!(cache.lookup(&search), Lookup::Fresh(_)));
    }

    #[test]
    fn an_abandoned_rendering_lets_a_waiter_render() {
        let cache = Arc::new(PageCache::new(true));
        let Lookup::Fill(filling) = cache.lookup(&key("/")) else {
            panic!()
        };
        drop(filling);
        assert!(matches!(cache.lookup(&key("/")), Lookup::Fill(_)));
    }

    #[test]
    fn memory_stays_bounded() {
        let cache = Arc::new(PageCache::new(true));
        let big = MAX_PAGE_BYTES;
        let mut kept = 0;
        for i in 0..(MAX_TOTAL_BYTES / big + 10) {
            let Lookup::Fill(filling) = cache.lookup(&key(&format!("/{i}"))) else {
                panic!()
            };
            cache.keep(&filling, page(filling.generation, big));
            drop(filling);
            kept = cache.size().1;
        }
        assert!(kept <= MAX_TOTAL_BYTES, "{kept} bytes kept");
        let cache = Arc::new(PageCache::new(true));
        for i in 0..(MAX_PAGES + 100) {
            let Lookup::Fill(filling) = cache.lookup(&key(&format!("/p{i}"))) else {
                panic!()
            };
            cache.keep(&filling, page(filling.generation, 1));
            drop(filling);
        }
        assert!(
            cache.size().0 <= MAX_PAGES + 1,
            "{} pages kept",
            cache.size().0
        );
    }
}
