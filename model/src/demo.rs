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
}
