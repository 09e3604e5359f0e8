//! A file answer: the badge photo or the credentials letter. The file is
//! checked in the browser with the model's rules (type, size, and for a
//! photo its pixel size and orientation), previewed, then uploaded with a
//! progress bar; the answer holds the id the server returns.

use crate::browser;
use crate::form::Form;
use accredit_model::rules::attachment::{LETTER_TYPES, PHOTO_TYPES, check_letter, check_photo};
use accredit_model::{ValidationError, Violation, codes};
use leptos::prelude::*;
use serde::Deserialize;
use wasm_bindgen::JsCast;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Photo,
    Letter,
}

#[derive(Clone, PartialEq)]
enum Upload {
    Idle,
    Sending(u32),
    Done { name: String },
}

#[derive(Deserialize)]
struct Stored {
    id: String,
}

#[derive(Deserialize, Default)]
struct Problem {
    #[serde(default)]
    errors: Vec<ValidationError>,
}

#[component]
pub fn AttachmentField(
    path: String,
    label: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] optional: bool,
    kind: FileKind,
    value: Signal<Option<String>>,
    on_change: Callback<Option<String>>,
) -> impl IntoView {
    let form = expect_context::<Form>();
    let id = form.id(&path);
    let (hint_id, error_id, status_id) = (
        format!("{id}-hint"),
        format!("{id}-error"),
        format!("{id}-status"),
    );
    let error = {
        let path = path.clone();
        Memo::new(move |_| form.error_at(&path))
    };
    let upload = RwSignal::new(if value.get_untracked().is_some() {
        Upload::Done {
            name: String::new(),
        }
    } else {
        Upload::Idle
    });
    let preview = RwSignal::new(None::<String>);
    on_cleanup(move || {
        if let Some(url) = preview.get_untracked() {
            browser::revoke_object_url(&url);
        }
    });
    let accept = match kind {
        FileKind::Photo => PHOTO_TYPES.join(","),
        FileKind::Letter => LETTER_TYPES.join(","),
    };
    let path = StoredValue::new(path);
    let refuse = move |violation: Violation| {
        form.set_error_at(&path.get_value(), Some(violation.at(path.get_value())));
        upload.set(Upload::Idle);
    };
    let choose = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        form.set_error_at(&path.get_value(), None);
        leptos::task::spawn_local(async move {
            let max = form.event.with_value(|e| e.limits.attachment_max_bytes);
            let (media_type, size) = (file.type_(), file.size() as u64);
            let checked = match kind {
                FileKind::Photo => match browser::image_size(&file).await {
                    Some((w, h)) => check_photo(&media_type, size, w, h, max),
                    None => check_photo(&media_type, size, 0, 0, max)
                        .and(Err(Violation::new(codes::ATTACHMENT_WRONG_TYPE)
                            .with("accepted", "JPEG, PNG"))),
                },
                FileKind::Letter => check_letter(&media_type, size, max),
            };
            if let Err(violation) = checked {
                return refuse(violation);
            }
            if kind == FileKind::Photo {
                if let Some(old) = preview.get_untracked() {
                    browser::revoke_object_url(&old);
                }
                preview.set(browser::object_url(&file));
            }
            upload.set(Upload::Sending(0));
            // The server checks a photo against the same rules at once.
            let purpose = match kind {
                FileKind::Photo => "photo",
                FileKind::Letter => "letter",
            };
            let url = format!(
                "{}/events/{}/attachments?purpose={purpose}",
                form.endpoint.get_value(),
                form.event.with_value(|e| e.id.clone())
            );
            let sent = send_with_retries(&url, &file, upload).await;
            match sent {
                Ok((201, body)) => match serde_json::from_str::<Stored>(&body) {
                    Ok(stored) => {
                        on_change.run(Some(stored.id));
                        upload.set(Upload::Done { name: file.name() });
                        form.revalidate();
                    }
                    Err(_) => refuse(Violation::new(codes::ATTACHMENT_UPLOAD_FAILED)),
                },
                // Past the per-connection or per-event limit of files not
                // yet part of a registration: hours away, so no retry.
                Ok((429, _)) => refuse(Violation::new(codes::ATTACHMENT_UPLOAD_LIMIT)),
                Ok((413, _)) => refuse(
                    Violation::new(codes::ATTACHMENT_TOO_LARGE)
                        .with("max", format!("{} MB", max / (1024 * 1024))),
                ),
                Ok((_, body)) => {
                    let problem: Problem = serde_json::from_str(&body).unwrap_or_default();
                    match problem.errors.into_iter().next() {
                        Some(e) => {
                            form.set_error_at(
                                &path.get_value(),
                                Some(ValidationError {
                                    path: path.get_value(),
                                    ..e
                                }),
                            );
                            upload.set(Upload::Idle);
                        }
                        None => refuse(Violation::new(codes::ATTACHMENT_UPLOAD_FAILED)),
                    }
                }
                Err(()) => refuse(Violation::new(codes::ATTACHMENT_UPLOAD_FAILED)),
            }
        });
    };
    let remove = move |_| {
        on_change.run(None);
        upload.set(Upload::Idle);
        if let Some(url) = preview.get_untracked() {
            browser::revoke_object_url(&url);
        }
        preview.set(None);
        form.revalidate();
    };
    let described_by = {
        let (hint_id, error_id, status_id) = (hint_id.clone(), error_id.clone(), status_id.clone());
        let has_hint = hint.is_some();
        move || {
            let mut ids = vec![status_id.clone()];
            if has_hint {
                ids.insert(0, hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    let prefix = form.t("ui.error_prefix");
    let optional = optional.then(|| format!(" {}", form.t("ui.optional")));
    let uploading = form.t("ui.upload.sending");
    let uploaded = form.t("ui.upload.done");
    let remove_label = form.t("ui.upload.remove");
    let preview_alt = form.t("ui.upload.preview");
    view! {
        <div class="accredit-field" class:accredit-field--error=move || error.get().is_some()>
            <label class="accredit-label" part="label" for=id.clone()>{label}{optional}</label>
            {hint.map(|h| view! { <div class="accredit-hint" id=hint_id.clone()>{h}</div> })}
            {move || error.get().map(|message| view! {
                <p class="accredit-error-message" part="error-message" id=error_id.clone()>
                    <span class="accredit-visually-hidden">{prefix.clone()}" "</span>{message}
                </p>
            })}
            <input type="file" class="accredit-file" id=id.clone() accept=accept
                aria-describedby=described_by
                aria-invalid=move || error.get().map(|_| "true")
                on:change=choose />
            <div class="accredit-upload" id=status_id.clone() aria-live="polite">
                {move || match upload.get() {
                    Upload::Idle => ().into_any(),
                    Upload::Sending(pct) => view! {
                        <label class="accredit-upload__label" for=format!("{id}-progress")>{uploading.clone()}</label>
                        <progress class="accredit-progress" id=format!("{id}-progress") max="100" value=pct.to_string()>{format!("{pct}%")}</progress>
                    }.into_any(),
                    Upload::Done { name } => view! {
                        <span class="accredit-upload__done">{uploaded.clone()}{(!name.is_empty()).then(|| format!(": {name}"))}</span>
                        " "
                        <button type="button" class="accredit-link-button" on:click=remove>{remove_label.clone()}</button>
                    }.into_any(),
                }}
            </div>
            {move || preview.get().map(|src| view! {
                <img class="accredit-photo-preview" src=src alt=preview_alt.clone() />
            })}
        </div>
    }
}

/// Attempts at one upload while the server answers 503 (its write queue
/// full, or a handler over its time): each says to come back in a second.
const UPLOAD_ATTEMPTS: u32 = 4;

/// Sends `file`, again after 1, 2 and 4 s while the server is busy (503);
/// nothing is stored by a refused attempt, so sending again is safe.
async fn send_with_retries(
    url: &str,
    file: &web_sys::File,
    upload: RwSignal<Upload>,
) -> Result<(u16, String), ()> {
    let mut attempt = 1;
    loop {
        let sent = browser::upload(url, file, move |pct| upload.set(Upload::Sending(pct))).await;
        match sent {
            Ok((503, _)) if attempt < UPLOAD_ATTEMPTS => {
                browser::sleep(1000 << (attempt - 1)).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}
