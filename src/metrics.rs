//! What `/metrics` exposes (`web::metrics`), counted in memory by this server: requests by
//! route family and status, a latency histogram, job runs and failures, mails sent, failed and
//! refused; rendered in Prometheus' text format with the pool and index figures of the moment.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Figures read at the moment of a scrape.
pub struct Moment {
    pub pool_in_use: u32,
    pub pool_idle: u32,
    pub pool_max: u32,
    /// Tasks waiting for a connection ([`crate::db::Pool::waiting`]).
    pub pool_waiting: usize,
    /// Connections opened since start-up.
    pub pool_opened: u64,
    pub index_ready: bool,
    /// Seconds since the index last read the change log (`None`: not built yet).
    pub index_age: Option<f64>,
}

/// The latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    /// Requests per bucket (the last one: slower than every bound).
    latency: [AtomicU64; BUCKETS.len() + 1],
    latency_micros: AtomicU64,
    jobs: Mutex<BTreeMap<&'static str, (u64, u64)>>,
    pub mails_sent: AtomicU64,
    pub mails_failed: AtomicU64,
    pub mails_refused: AtomicU64,
    /// Shared pages served from memory, and rendered for lack of one (`page_cache`).
    pub page_cache_hits: AtomicU64,
    pub page_cache_misses: AtomicU64,
}

/// A request's route family: its first segment, « /… » when it goes deeper (`/annuaire/…`);
/// every unknown address is one family, so visitors cannot grow the table.
pub fn family(path: &str, status: u16) -> String {
    if status == 404 {
        return "inconnue".to_owned();
    }
    let mut segments = path.trim_start_matches('/').splitn(2, '/');
    let first = segments.next().unwrap_or_default();
    let first: String = first.chars().take(40).collect();
    match segments.next() {
        Some(rest) if !rest.is_empty() => format!("/{first}/…"),
        _ => format!("/{first}"),
    }
}

impl Metrics {
    /// Counts a request under the route it matched (`/annuaire/{slug}`), or its path's family
    /// when it matched none (files, unknown addresses).
    pub fn record_request(&self, path: &str, route: Option<&str>, status: u16, seconds: f64) {
        let route = match route {
            Some(route) if status != 404 => route.to_owned(),
            _ => family(path, status),
        };
        let key = (route, status);
        *self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(key)
            .or_default() += 1;
        let bucket = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS.len());
        self.latency[bucket].fetch_add(1, Ordering::Relaxed);
        self.latency_micros
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    pub fn record_job(&self, job: &'static str, failed: bool) {
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        let entry = jobs.entry(job).or_default();
        entry.0 += 1;
        if failed {
            entry.1 += 1;
        }
    }

    /// The text exposition of everything counted, and of the pool and index at this moment.
    pub fn render(&self, moment: &Moment) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP dessine_http_requests_total Requests answered, by route (or path family) and status."
        );
        let _ = writeln!(out, "# TYPE dessine_http_requests_total counter");
        for ((route, status), count) in self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            let route = route.replace('\\', "\\\\").replace('"', "\\\"");
            let _ = writeln!(
                out,
                "dessine_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {count}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP dessine_http_request_duration_seconds Time to answer a request."
        );
        let _ = writeln!(
            out,
            "# TYPE dessine_http_request_duration_seconds histogram"
        );
        let mut cumulative = 0;
        for (i, bound) in BUCKETS.iter().enumerate() {
            cumulative += self.latency[i].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "dessine_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        cumulative += self.latency[BUCKETS.len()].load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "dessine_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}"
        );
        let _ = writeln!(
            out,
            "dessine_http_request_duration_seconds_sum {}",
            self.latency_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(
            out,
            "dessine_http_request_duration_seconds_count {cumulative}"
        );
        let idle = moment.pool_idle;
        describe(
            &mut out,
            "dessine_db_connections",
            "gauge",
            "Connections of the pool.",
        );
        let _ = writeln!(
            out,
            "dessine_db_connections{{state=\"in_use\"}} {}",
            moment.pool_in_use
        );
        let _ = writeln!(out, "dessine_db_connections{{state=\"idle\"}} {idle}");
        let _ = writeln!(
            out,
            "dessine_db_connections{{state=\"max\"}} {}",
            moment.pool_max
        );
        single(
            &mut out,
            "dessine_db_waiting",
            "gauge",
            "Tasks waiting for a connection of the pool.",
            moment.pool_waiting,
        );
        single(
            &mut out,
            "dessine_db_connections_opened_total",
            "counter",
            "Connections the pool opened since start-up.",
            moment.pool_opened,
        );
        single(
            &mut out,
            "dessine_search_index_ready",
            "gauge",
            "Whether the directory's index is built.",
            u8::from(moment.index_ready),
        );
        if let Some(age) = moment.index_age {
            single(
                &mut out,
                "dessine_search_index_age_seconds",
                "gauge",
                "Since the index last read the change log.",
                format!("{age:.3}"),
            );
        }
        let _ = writeln!(
            out,
            "# HELP dessine_jobs_runs_total Periodic job runs on this server, and their failures."
        );
        let _ = writeln!(out, "# TYPE dessine_jobs_runs_total counter");
        let _ = writeln!(out, "# TYPE dessine_jobs_failures_total counter");
        for (job, (runs, failures)) in self.jobs.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            let _ = writeln!(out, "dessine_jobs_runs_total{{job=\"{job}\"}} {runs}");
            let _ = writeln!(
                out,
                "dessine_jobs_failures_total{{job=\"{job}\"}} {failures}"
            );
        }
        describe(
            &mut out,
            "dessine_mails_total",
            "counter",
            "Mails sent, failed, and refused by the mail budget.",
        );
        for (outcome, counter) in [
            ("sent", &self.mails_sent),
            ("failed", &self.mails_failed),
            ("refused", &self.mails_refused),
        ] {
            let _ = writeln!(
                out,
                "dessine_mails_total{{outcome=\"{outcome}\"}} {}",
                counter.load(Ordering::Relaxed)
            );
        }
        describe(
            &mut out,
            "dessine_page_cache_total",
            "counter",
            "Pages of visitors without a session: served as kept, or rendered.",
        );
        for (outcome, counter) in [
            ("hit", &self.page_cache_hits),
            ("miss", &self.page_cache_misses),
        ] {
            let _ = writeln!(
                out,
                "dessine_page_cache_total{{outcome=\"{outcome}\"}} {}",
                counter.load(Ordering::Relaxed)
            );
        }
        out
    }
}

/// The `# HELP` and `# TYPE` lines of a metric.
fn describe(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A metric of one sample.
fn single(out: &mut String, name: &str, kind: &str, help: &str, value: impl std::fmt::Display) {
    describe(out, name, kind, help);
    let _ = writeln!(out, "{name} {value}");
}

#[cfg(test)]
mod tests {
    use super::family;

    #[test]
    fn route_families_stay_few() {
        assert_eq!(family("/annuaire/les-courses-asteur", 200), "/annuaire/…");
        assert_eq!(family("/annuaire", 200), "/annuaire");
        assert_eq!(family("/", 200), "/");
        assert_eq!(family("/n-importe-quoi/x", 404), "inconnue");
    }
}
