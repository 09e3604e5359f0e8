//! Adapters from the rule functions to the signature `validator`'s
//! `#[validate(custom(function = ...))]` expects. Codes and params pass
//! through unchanged; [`crate::ValidationErrors::from_validator`] turns the
//! result back into our flat list.

use std::borrow::Cow;

use crate::error::Violation;
use crate::rules::{country, email, names, phone, text};

type Outcome = Result<(), validator::ValidationError>;

fn adapt(result: Result<(), Violation>) -> Outcome {
    result.map_err(|violation| {
        let mut error = validator::ValidationError::new(violation.code);
        for (name, value) in violation.params {
            error.add_param(Cow::Borrowed(name), &value);
        }
        error
    })
}

pub(crate) fn given_names(value: &str) -> Outcome {
    adapt(names::check_given_names(value))
}

pub(crate) fn family_name(value: &str) -> Outcome {
    adapt(names::check_family_name(value))
}

pub(crate) fn badge_name(value: &str) -> Outcome {
    adapt(names::check_badge_name(value))
}

pub(crate) fn honorific(value: &str) -> Outcome {
    adapt(text::check_single_line(value, text::HONORIFIC_MAX_CHARS))
}

pub(crate) fn short_text(value: &str) -> Outcome {
    adapt(text::check_single_line(value, text::SHORT_TEXT_MAX_CHARS))
}

pub(crate) fn long_text(value: &str) -> Outcome {
    adapt(text::check_multi_line(value, text::LONG_TEXT_MAX_CHARS))
}

pub(crate) fn attachment_id(value: &str) -> Outcome {
    adapt(text::check_single_line(
        value,
        text::ATTACHMENT_ID_MAX_CHARS,
    ))
}

pub(crate) fn optional_country(value: &str) -> Outcome {
    adapt(country::check_optional_country(value))
}

pub(crate) fn required_email(value: &str) -> Outcome {
    adapt(email::check_email(value))
}

pub(crate) fn optional_email(value: &str) -> Outcome {
    adapt(email::check_optional_email(value))
}

pub(crate) fn optional_phone(value: &str) -> Outcome {
    adapt(phone::check_optional_phone(value))
}

pub(crate) fn optional_document_number(value: &str) -> Outcome {
    adapt(text::check_optional_document_number(value))
}

pub(crate) fn data_processing(value: &bool) -> Outcome {
    adapt(crate::rules::consent::check_data_processing(*value))
}
