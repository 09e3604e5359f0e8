//! Rules about the registration as a whole: right event, offered
//! language, registration still open.

use crate::codes;
use crate::config::EventConfig;
use crate::date::Date;
use crate::error::Violation;

/// The payload must name this event (guards against a widget embedded
/// with the wrong configuration).
pub fn check_event_id(event_id: &str, event: &EventConfig) -> Result<(), Violation> {
    if event_id.trim() == event.id {
        Ok(())
    } else {
        Err(Violation::new(codes::EVENT_MISMATCH).with("expected", &event.id))
    }
}

/// The form language must be one the event offers.
pub fn check_language(language: &str, event: &EventConfig) -> Result<(), Violation> {
    let language = language.trim();
    if event.offers_language(language) {
        Ok(())
    } else {
        Err(Violation::new(codes::LANGUAGE_UNSUPPORTED).with("language", language))
    }
}

/// Registration must still be open on `today`.
pub fn check_open(event: &EventConfig, today: Date) -> Result<(), Violation> {
    if event.is_open(today) {
        Ok(())
    } else {
        Err(Violation::new(codes::REGISTRATION_CLOSED)
            .with("closes_on", event.registration_closes_on))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::event;

    #[test]
    fn event_id_must_match() {
        let e = event();
        assert_eq!(check_event_id("test-event", &e), Ok(()));
        assert_eq!(check_event_id(" test-event ", &e), Ok(()));
        assert_eq!(
            check_event_id("other", &e).unwrap_err(),
            Violation::new(codes::EVENT_MISMATCH).with("expected", "test-event")
        );
    }

    #[test]
    fn language_must_be_offered() {
        let e = event();
        assert_eq!(check_language("en", &e), Ok(()));
        assert_eq!(
            check_language("fr", &e).unwrap_err(),
            Violation::new(codes::LANGUAGE_UNSUPPORTED).with("language", "fr")
        );
        assert_eq!(
            check_language("", &e).unwrap_err().code,
            codes::LANGUAGE_UNSUPPORTED
        );
    }

    #[test]
    fn registration_closes_after_the_last_day() {
        let e = event();
        assert_eq!(check_open(&e, Date::new(2027, 4, 6).unwrap()), Ok(()));
        assert_eq!(
            check_open(&e, Date::new(2027, 4, 7).unwrap()).unwrap_err(),
            Violation::new(codes::REGISTRATION_CLOSED).with("closes_on", "2027-04-06")
        );
    }
}
