//! The demonstration event: a regional conference on Trafficking in
//! Persons and the Smuggling of Migrants, organised by UNODC in Islamabad.
//! Used by the demo page, the server's default configuration and tests.

/// The demo configuration file, as organisers would write it.
pub const ISLAMABAD_TIP_SOM_TOML: &str = include_str!("../events/islamabad-tip-som.toml");

/// The demo event, parsed.
///
/// # Panics
/// Never in practice: a test proves the bundled file parses and passes
/// [`crate::EventConfig::check`].
/// The model's own tests read it too, through the TOML parser they always
/// have as a dev-dependency, so `cargo test -p accredit-model` passes
/// without the feature.
#[cfg(any(test, feature = "toml"))]
pub fn islamabad_tip_som() -> crate::EventConfig {
    toml::from_str(ISLAMABAD_TIP_SOM_TOML).expect("the bundled demo event is valid TOML")
}

/// How far ahead of "today" the demo event opens, in days: seven weeks,
/// so that registration (which closes two weeks before the opening) has
/// five weeks left. The shift is a whole number of weeks, so the sessions
/// keep their weekdays, and the opening falls 43 to 49 days ahead.
pub const DEMO_LEAD_DAYS: i64 = 49;

/// The demo event moved in the calendar so that `today` is some seven
/// weeks before its opening: registration open, amendments open, every
/// interval of the bundled file kept. The demo server and the browser
/// tests use it, so they work on any date.
#[cfg(any(test, feature = "toml"))]
pub fn islamabad_tip_som_on(today: crate::Date) -> crate::EventConfig {
    let mut event = islamabad_tip_som();
    event.shift_dates(weeks_to_open(&event, today));
    event
}

/// Days, a multiple of seven, by which to move `event` so that it opens
/// between `DEMO_LEAD_DAYS - 6` and `DEMO_LEAD_DAYS` days after `today`.
pub fn weeks_to_open(event: &crate::EventConfig, today: crate::Date) -> i64 {
    let days = event.starts_on.days_until(today.add_days(DEMO_LEAD_DAYS));
    days.div_euclid(7) * 7
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{DelegationKind, HEAD_OF_DELEGATION};

    #[test]
    fn demo_event_loads_without_problems() {
        let event = islamabad_tip_som();
        assert_eq!(event.check(), Vec::<String>::new());
        assert_eq!(event.id, "islamabad-tip-som");
        assert_eq!(event.languages, ["en", "fr", "es", "ru", "zh", "ar"]);
        assert_eq!(event.starts_on.to_string(), "2027-04-20");
        assert_eq!(event.ends_on.to_string(), "2027-04-22");
        assert_eq!(event.registration_closes_on.to_string(), "2027-04-06");
    }

    #[test]
    fn demo_event_invites_the_region_and_the_messengers() {
        let event = islamabad_tip_som();
        assert_eq!(event.invited_countries.len(), 23);
        for code in [
            "PK", "AF", "IR", "TR", "GR", "RU", "CZ", "AE", "IQ", "US", "AU",
        ] {
            assert!(event.is_invited(code), "{code}");
        }
        assert!(!event.is_invited("FR"));
        assert_eq!(
            event.organisation("frontex").unwrap().kind,
            DelegationKind::IntergovernmentalOrganisation
        );
        assert_eq!(
            event.organisation("unodc").unwrap().kind,
            DelegationKind::UnEntity
        );
    }

    #[test]
    fn demo_event_has_the_protocol_categories() {
        let event = islamabad_tip_som();
        let ids: Vec<_> = event.categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                HEAD_OF_DELEGATION,
                "alternate",
                "delegate",
                "adviser",
                "observer",
                "speaker",
                "media",
                "support_staff"
            ]
        );
        let head = event.category(HEAD_OF_DELEGATION).unwrap();
        assert_eq!(head.max_per_delegation, Some(1));
        assert_eq!(head.label.get("fr"), "Chef de délégation");
        assert_eq!(head.label.get("ar"), "رئيس الوفد");
        for id in [
            HEAD_OF_DELEGATION,
            "alternate",
            "delegate",
            "adviser",
            "speaker",
        ] {
            assert!(event.category(id).unwrap().needs_identity_document, "{id}");
        }
        assert_eq!(event.sessions.first().unwrap().id, "opening");
        assert_eq!(event.sessions.last().unwrap().id, "closing");
    }

    #[test]
    fn demo_event_round_trips_through_json() {
        let event = islamabad_tip_som();
        let json = serde_json::to_string(&event).unwrap();
        assert_eq!(crate::EventConfig::from_json_str(&json).unwrap(), event);
    }

    #[test]
    fn demo_event_moves_to_any_today_keeping_its_calendar() {
        let template = islamabad_tip_som();
        // Written by hand: the bundled file's dates, and for three days of
        // the year the opening that seven weeks ahead (rounded down to whole
        // weeks) gives.
        for (today, opening, closes, amendments, last_session) in [
            (
                "2027-03-02",
                "2027-04-20",
                "2027-04-06",
                "2027-04-20",
                "2027-04-22",
            ),
            (
                "2028-06-01",
                "2028-07-18",
                "2028-07-04",
                "2028-07-18",
                "2028-07-20",
            ),
            (
                "2026-12-31",
                "2027-02-16",
                "2027-02-02",
                "2027-02-16",
                "2027-02-18",
            ),
        ] {
            let today = crate::Date::parse(today).unwrap();
            let event = islamabad_tip_som_on(today);
            assert_eq!(event.starts_on.to_string(), opening, "{today}");
            assert_eq!(event.registration_closes_on.to_string(), closes);
            assert_eq!(event.amendments_close_on().to_string(), amendments);
            assert_eq!(
                event.sessions.last().unwrap().date.to_string(),
                last_session
            );
            assert_eq!(event.ends_on.to_string(), last_session);
            assert!(event.is_open(today) && event.amendments_open(today));
            let lead = today.days_until(event.starts_on);
            assert!((43..=49).contains(&lead), "{today}: opens in {lead} days");
            assert_eq!(event.check(), Vec::<String>::new());
            // Everything but the dates is the bundled file.
            let mut back = event.clone();
            back.shift_dates(event.starts_on.days_until(template.starts_on));
            assert_eq!(back, template);
        }
    }
}
