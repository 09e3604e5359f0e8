//! Consent: no registration without consent to data processing.

use crate::codes;
use crate::error::Violation;

/// Consent to the processing of personal data must be given.
pub fn check_data_processing(given: bool) -> Result<(), Violation> {
    if given {
        Ok(())
    } else {
        Err(Violation::new(codes::CONSENT_DATA_PROCESSING_REQUIRED))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::Consent;
    use crate::validate::validate_consent_step;
    use crate::{Registration, ValidationError};

    #[test]
    fn data_processing_must_be_given() {
        assert_eq!(check_data_processing(true), Ok(()));
        assert_eq!(
            check_data_processing(false).unwrap_err().code,
            codes::CONSENT_DATA_PROCESSING_REQUIRED
        );
    }

    #[test]
    fn consent_step_reports_the_path() {
        let mut registration = Registration::default();
        let errors = validate_consent_step(&registration);
        let expected = ValidationError::new(
            "consent.data_processing",
            codes::CONSENT_DATA_PROCESSING_REQUIRED,
        );
        assert_eq!(errors.as_slice(), [expected]);
        registration.consent = Consent {
            data_processing: true,
            participant_list: false,
        };
        assert!(validate_consent_step(&registration).is_empty());
    }
}
