//! The end-to-end harness: the real server (in this process, on a free
//! loopback port, with a temporary data folder) and Debian's Chromium driven
//! through ChromeDriver. Nothing is downloaded: `cargo xtask test` installs
//! the browser from apt and passes its paths in the environment.

mod browser;
pub mod host_site;
pub mod lossy_proxy;
pub mod organiser_view;
pub mod page;
pub mod seed;
mod server;

pub use browser::{Browser, LogEntry};
pub use server::{EVENT, TestServer};

/// A value from the environment that `cargo xtask test` sets.
pub fn env_path(name: &str) -> std::path::PathBuf {
    std::env::var_os(name)
        .unwrap_or_else(|| {
            panic!("{name} is not set: run the end-to-end tests with `cargo xtask test`")
        })
        .into()
}

/// Polls `check` until it returns `Some`, or panics after `timeout` with
/// `what` in the message.
pub async fn eventually<T, F, Fut>(what: &str, timeout: std::time::Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// A passport expiry the demo event accepts on any date: 1 May, five years
/// after this one (the event opens about seven weeks from today, and a
/// passport must be valid six months after it ends).
pub fn valid_expiry() -> accredit_model::Date {
    let today = accredit_server::clock::Clock::system().today();
    accredit_model::Date::new(today.year() + 5, 5, 1).expect("1 May is a date")
}

/// A date as the English review writes it ("1 May 2031"), the month names
/// written here rather than taken from the widget's catalogue.
pub fn english_date(date: accredit_model::Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month() as usize - 1],
        date.year()
    )
}
