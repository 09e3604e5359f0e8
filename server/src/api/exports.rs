//! `GET .../exports/{participants.csv,participants.xlsx,participants.json,delegations.csv}`.
//!
//! Exports take the list's filters and come in protocol order. The whole
//! export (reading, sorting, rendering) runs on the blocking pool.

use super::organiser::authorise;
use super::problem::Problem;
use super::{ClientIp, storage_problem};
use crate::AppState;
use crate::export::{self, Delegations, Loaded, Participants, Rows, order};
use crate::storage::StorageError;
use accredit_model::api::problem_code;
use accredit_model::review::Filter;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Clone, Copy)]
enum What {
    Participants,
    Delegations,
}

#[derive(Clone, Copy)]
enum Format {
    Csv,
    Xlsx,
    Json,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Json => "application/json",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
        }
    }
}

/// One handler per export route (axum routes need a function each); they
/// differ only in what they export and how.
macro_rules! export_handler {
    ($name:ident, $what:expr, $format:expr) => {
        pub async fn $name(
            state: State<Arc<AppState>>,
            event: Path<String>,
            query: Query<HashMap<String, String>>,
            client: ClientIp,
            headers: HeaderMap,
        ) -> Result<Response, Problem> {
            run(state, event, query, client, headers, $what, $format).await
        }
    };
}

export_handler!(participants_csv, What::Participants, Format::Csv);
export_handler!(participants_xlsx, What::Participants, Format::Xlsx);
export_handler!(participants_json, What::Participants, Format::Json);
export_handler!(delegations_csv, What::Delegations, Format::Csv);

async fn run(
    State(state): State<Arc<AppState>>,
    Path(event_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    what: What,
    format: Format,
) -> Result<Response, Problem> {
    let organiser = authorise(&state, &event_id, &headers, client).await?;
    let filter = Filter::parse(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|d| Problem::bad_request(problem_code::QUERY_INVALID, d))?;
    let event = state.event(&event_id)?.clone();
    let storage = state.storage.clone();
    let id = event_id.clone();
    let (rendered, count) =
        tokio::task::spawn_blocking(move || -> Result<(Vec<u8>, usize), Problem> {
            let rows = storage.registrations(&id).map_err(storage_problem)?;
            let mut delegations = Vec::with_capacity(rows.len());
            for stored in rows {
                let loaded = Loaded::parse(stored).map_err(Problem::internal)?;
                // Withdrawn delegations are never exported, whatever the filter.
                if loaded.status.is_active()
                    && filter.matches_amended(loaded.amended)
                    && filter.matches(loaded.status, &loaded.reference, &loaded.registration)
                {
                    delegations.push(loaded);
                }
            }
            order::sort_delegations(&mut delegations);
            let participants = Participants {
                event: &event,
                delegations: &delegations,
                category: filter.category.as_deref(),
            };
            let delegation_rows = Delegations(&delegations);
            let (rows, sheet): (&dyn Rows, &str) = match what {
                What::Participants => (&participants, "Participants"),
                What::Delegations => (&delegation_rows, "Delegations"),
            };
            // Counted as they are written: a second pass to count them
            // would build every row twice.
            let rows = export::Counting::new(rows);
            let rendered = match format {
                Format::Csv => export::csv::write(&rows).map_err(Problem::internal)?,
                Format::Json => export::json::write(&rows),
                Format::Xlsx => export::xlsx::write(&rows, sheet).map_err(Problem::internal)?,
            };
            let count = rows.count();
            drop(delegations);
            crate::memory::release_free_memory();
            Ok((rendered, count))
        })
        .await
        .map_err(|e| storage_problem(StorageError::Other(e.to_string())))??;
    let name = match what {
        What::Participants => "participants",
        What::Delegations => "delegations",
    };
    let what = format!("{name}.{}", format.extension());
    crate::security::export(&event_id, &organiser.token_id, client, &what, count);
    let filename = format!(
        "{event_id}-{name}-{}.{}",
        state.clock.today(),
        format.extension()
    );
    let mut response = rendered.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
