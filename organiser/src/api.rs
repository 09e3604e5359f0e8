//! The server's organiser API (see server/README.md, "Organiser endpoints").
//! Every call carries the organiser's bearer token; a 401 means the token
//! is no longer accepted and the organiser must sign in again.

use crate::browser;
use crate::roster::Entry;
use accredit_model::EventConfig;
use accredit_model::api::{
    Decision, ManageLinkSent, Problem, RegistrationDetail, RegistrationList,
};
use gloo_net::http::{Request, Response};

/// Where the API is and which event it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Api {
    pub endpoint: String,
    pub event: String,
}

/// Why a call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 401: sign in again.
    SignedOut,
    /// The server answered with a problem (`{code, detail}`).
    Problem {
        status: u16,
        code: String,
        detail: String,
    },
    /// No answer at all.
    Network,
}

impl ApiError {
    /// A sentence for the organiser.
    pub fn message(&self, t: &crate::i18n::I18n) -> String {
        match self {
            ApiError::SignedOut => t.t("org.error.signed_out"),
            ApiError::Problem { detail, .. } if !detail.is_empty() => detail.clone(),
            ApiError::Problem { status, .. } => {
                t.tf("org.error.status", &[("status", &status.to_string())])
            }
            ApiError::Network => t.t("org.error.network"),
        }
    }

    /// The problem's code (`precondition.failed`, …), if the server gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Problem { code, .. } if !code.is_empty() => Some(code),
            _ => None,
        }
    }
}

/// The server's exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    ParticipantsCsv,
    ParticipantsXlsx,
    ParticipantsJson,
    DelegationsCsv,
}

impl Export {
    pub const ALL: [Export; 4] = [
        Export::ParticipantsCsv,
        Export::ParticipantsXlsx,
        Export::ParticipantsJson,
        Export::DelegationsCsv,
    ];

    pub const fn path(self) -> &'static str {
        match self {
            Export::ParticipantsCsv => "participants.csv",
            Export::ParticipantsXlsx => "participants.xlsx",
            Export::ParticipantsJson => "participants.json",
            Export::DelegationsCsv => "delegations.csv",
        }
    }

    /// Its button's catalogue key.
    pub const fn label_key(self) -> &'static str {
        match self {
            Export::ParticipantsCsv => "org.export.participants_csv",
            Export::ParticipantsXlsx => "org.export.participants_xlsx",
            Export::ParticipantsJson => "org.export.participants_json",
            Export::DelegationsCsv => "org.export.delegations_csv",
        }
    }

    /// `<event>-participants-<date>.csv`: the event and the day, so files
    /// downloaded on different days never overwrite each other.
    pub fn file_name(self, event: &str, today: accredit_model::Date) -> String {
        let (what, ext) = self
            .path()
            .split_once('.')
            .expect("a path has an extension");
        format!("{event}-{what}-{today}.{ext}")
    }
}

async fn problem(res: Response) -> ApiError {
    if res.status() == 401 {
        return ApiError::SignedOut;
    }
    let status = res.status();
    let body: Option<Problem> = res.json().await.ok();
    let (code, detail) = body.map(|b| (b.code, b.detail)).unwrap_or_default();
    ApiError::Problem {
        status,
        code,
        detail,
    }
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// Sends a request and reads its JSON answer; any status but 2xx is the
/// server's problem (401: signed out), and an answer that does not parse is
/// reported with what could not be read.
async fn send<T: serde::de::DeserializeOwned>(request: Request) -> Result<T, ApiError> {
    let res = request.send().await.map_err(|_| ApiError::Network)?;
    if !res.ok() {
        return Err(problem(res).await);
    }
    let text = res.text().await.map_err(|_| ApiError::Network)?;
    serde_json::from_str(&text).map_err(|e| ApiError::Problem {
        status: res.status(),
        code: "response.unreadable".into(),
        detail: format!("The server's answer could not be read: {e}"),
    })
}

impl Api {
    fn url(&self, path: &str) -> String {
        format!("{}/events/{}{path}", self.endpoint, self.event)
    }

    /// The public event configuration (categories, colours, deadline).
    pub async fn event(&self) -> Result<EventConfig, ApiError> {
        send(
            Request::get(&self.url(""))
                .build()
                .map_err(|_| ApiError::Network)?,
        )
        .await
    }

    /// Every registration of the event, with its payload: the active ones
    /// and, asked for apart (the list leaves them out otherwise), the
    /// withdrawn ones, so the dashboard can count them and the status
    /// filter can show them.
    pub async fn registrations(&self, token: &str) -> Result<Vec<Entry>, ApiError> {
        let list = |query: &'static str| {
            let request = Request::get(&self.url(&format!("/registrations?{query}")))
                .header("Authorization", &bearer(token))
                .build()
                .map_err(|_| ApiError::Network);
            async move { send::<RegistrationList>(request?).await }
        };
        let (active, withdrawn) = futures::future::join(
            list("include=registration"),
            list("include=registration&status=withdrawn"),
        )
        .await;
        let mut registrations = active?.registrations;
        registrations.extend(withdrawn?.registrations);
        Ok(crate::roster::load(registrations))
    }

    pub async fn detail(&self, token: &str, id: &str) -> Result<RegistrationDetail, ApiError> {
        let request = Request::get(&self.url(&format!("/registrations/{id}")))
            .header("Authorization", &bearer(token))
            .build()
            .map_err(|_| ApiError::Network)?;
        send(request).await
    }

    /// Approves, rejects or requests changes, with a note for the
    /// delegation and the audit trail, on the version the organiser looked
    /// at (a stale one is refused with `412 precondition.failed`).
    pub async fn decide(
        &self,
        token: &str,
        id: &str,
        decision: &Decision,
    ) -> Result<RegistrationDetail, ApiError> {
        let request = Request::patch(&self.url(&format!("/registrations/{id}")))
            .header("Authorization", &bearer(token))
            .json(decision)
            .map_err(|_| ApiError::Network)?;
        send(request).await
    }

    /// Sends the focal point a new manage link (the old one stops working).
    pub async fn send_manage_link(
        &self,
        token: &str,
        id: &str,
    ) -> Result<ManageLinkSent, ApiError> {
        let request = Request::post(&self.url(&format!("/registrations/{id}/manage-link")))
            .header("Authorization", &bearer(token))
            .build()
            .map_err(|_| ApiError::Network)?;
        send(request).await
    }

    /// An attachment (photo, credentials letter) as a `blob:` URL: the file
    /// needs the token, so it cannot be linked to directly.
    pub async fn attachment(&self, token: &str, id: &str) -> Result<String, ApiError> {
        let fetched =
            browser::get_with_progress(&self.url(&format!("/attachments/{id}")), token, |_| {})
                .await
                .map_err(|()| ApiError::Network)?;
        match (fetched.status, fetched.blob) {
            (401, _) => Err(ApiError::SignedOut),
            (200, Some(blob)) => browser::object_url(&blob).ok_or(ApiError::Network),
            (status, _) => Err(ApiError::Problem {
                status,
                code: String::new(),
                detail: String::new(),
            }),
        }
    }

    /// Downloads an export with the given filters, reporting progress, and
    /// saves it under [`Export::file_name`].
    pub async fn export(
        &self,
        token: &str,
        what: Export,
        filter_query: &str,
        progress: impl Fn(Option<f64>) + 'static,
    ) -> Result<(), ApiError> {
        let mut url = self.url(&format!("/exports/{}", what.path()));
        if !filter_query.is_empty() {
            url = format!("{url}?{filter_query}");
        }
        let fetched = browser::get_with_progress(&url, token, progress)
            .await
            .map_err(|()| ApiError::Network)?;
        match (fetched.status, fetched.blob) {
            (401, _) => Err(ApiError::SignedOut),
            (200, Some(blob)) => {
                browser::save(&blob, &what.file_name(&self.event, browser::today()));
                Ok(())
            }
            (status, _) => Err(ApiError::Problem {
                status,
                code: String::new(),
                detail: format!("The export failed (the server answered {status}). Try again."),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_file_names_carry_the_event_and_the_day() {
        let day = accredit_model::Date::new(2027, 4, 7).unwrap();
        assert_eq!(
            Export::ParticipantsXlsx.file_name("islamabad-tip-som", day),
            "islamabad-tip-som-participants-2027-04-07.xlsx"
        );
        assert_eq!(
            Export::DelegationsCsv.file_name("x", day),
            "x-delegations-2027-04-07.csv"
        );
    }
}
