//! Date rules: document validity, date of birth, travel dates.

use crate::codes;
use crate::date::Date;
use crate::error::Violation;
use crate::payload::DocumentKind;

/// Earliest accepted date of birth. Inclusive: 1900-01-01 itself is
/// accepted; it only catches typing slips such as 0970 for 1970.
pub const EARLIEST_BIRTH_DATE: Date = match Date::new(1900, 1, 1) {
    Some(date) => date,
    None => panic!("1900-01-01 is a date"),
};

/// The document must be valid until at least `min` (the event's last day
/// plus the validity margin, see [`crate::EventConfig::earliest_valid_expiry`]).
pub fn check_document_expiry(
    kind: DocumentKind,
    expires_on: Option<Date>,
    min: Date,
) -> Result<(), Violation> {
    match expires_on {
        None => Err(Violation::new(codes::IDENTITY_DOCUMENT_EXPIRY_REQUIRED)
            .with("document_kind", kind.as_str())),
        Some(date) if date < min => Err(Violation::new(codes::IDENTITY_DOCUMENT_EXPIRES_TOO_SOON)
            .with("min", min)
            .with("document_kind", kind.as_str())),
        Some(_) => Ok(()),
    }
}

/// A date of birth must be before `today` and not before
/// [`EARLIEST_BIRTH_DATE`].
pub fn check_date_of_birth(date_of_birth: Date, today: Date) -> Result<(), Violation> {
    if date_of_birth >= today {
        return Err(Violation::new(codes::DATE_OF_BIRTH_IN_FUTURE));
    }
    if date_of_birth < EARLIEST_BIRTH_DATE {
        return Err(Violation::new(codes::DATE_OF_BIRTH_TOO_EARLY).with("min", EARLIEST_BIRTH_DATE));
    }
    Ok(())
}

/// Arrival must not be after departure (when both are known) nor before
/// `earliest` ([`crate::EventConfig::earliest_arrival`]).
pub fn check_arrival(
    arrival: Date,
    departure: Option<Date>,
    earliest: Date,
) -> Result<(), Violation> {
    if departure.is_some_and(|departure| arrival > departure) {
        return Err(Violation::new(codes::ARRIVAL_AFTER_DEPARTURE));
    }
    if arrival < earliest {
        return Err(Violation::new(codes::ARRIVAL_TOO_EARLY).with("min", earliest));
    }
    Ok(())
}

/// Departure must not be after `latest` ([`crate::EventConfig::latest_departure`]).
pub fn check_departure(departure: Date, latest: Date) -> Result<(), Violation> {
    if departure > latest {
        return Err(Violation::new(codes::DEPARTURE_TOO_LATE).with("max", latest));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn document_expiry() {
        let min = d("2027-10-22");
        assert_eq!(
            check_document_expiry(DocumentKind::Passport, Some(min), min),
            Ok(())
        );
        assert_eq!(
            check_document_expiry(DocumentKind::Passport, Some(d("2027-10-21")), min).unwrap_err(),
            Violation::new(codes::IDENTITY_DOCUMENT_EXPIRES_TOO_SOON)
                .with("min", "2027-10-22")
                .with("document_kind", "passport")
        );
        assert_eq!(
            check_document_expiry(DocumentKind::NationalId, None, min).unwrap_err(),
            Violation::new(codes::IDENTITY_DOCUMENT_EXPIRY_REQUIRED)
                .with("document_kind", "national_id")
        );
    }

    #[test]
    fn date_of_birth() {
        let today = d("2027-03-01");
        assert_eq!(check_date_of_birth(d("1970-05-01"), today), Ok(()));
        assert_eq!(check_date_of_birth(d("2027-02-28"), today), Ok(()));
        assert_eq!(check_date_of_birth(d("1900-01-01"), today), Ok(()));
        assert_eq!(
            check_date_of_birth(today, today).unwrap_err().code,
            codes::DATE_OF_BIRTH_IN_FUTURE
        );
        assert_eq!(
            check_date_of_birth(d("2030-01-01"), today)
                .unwrap_err()
                .code,
            codes::DATE_OF_BIRTH_IN_FUTURE
        );
        assert_eq!(
            check_date_of_birth(d("1899-12-31"), today).unwrap_err(),
            Violation::new(codes::DATE_OF_BIRTH_TOO_EARLY).with("min", "1900-01-01")
        );
    }

    #[test]
    fn travel_dates() {
        let earliest = d("2027-04-06");
        assert_eq!(
            check_arrival(d("2027-04-06"), Some(d("2027-04-23")), earliest),
            Ok(())
        );
        assert_eq!(
            check_arrival(d("2027-04-19"), Some(d("2027-04-19")), earliest),
            Ok(())
        );
        assert_eq!(check_arrival(d("2027-04-19"), None, earliest), Ok(()));
        assert_eq!(
            check_arrival(d("2027-04-24"), Some(d("2027-04-23")), earliest)
                .unwrap_err()
                .code,
            codes::ARRIVAL_AFTER_DEPARTURE
        );
        assert_eq!(
            check_arrival(d("2027-04-05"), None, earliest).unwrap_err(),
            Violation::new(codes::ARRIVAL_TOO_EARLY).with("min", "2027-04-06")
        );
        let latest = d("2027-05-06");
        assert_eq!(check_departure(latest, latest), Ok(()));
        assert_eq!(
            check_departure(d("2027-05-07"), latest).unwrap_err(),
            Violation::new(codes::DEPARTURE_TOO_LATE).with("max", "2027-05-06")
        );
    }
}
