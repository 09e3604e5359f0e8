//! Loading event configurations: one file, a folder of files, or the demo.

use accredit_model::EventConfig;
use std::collections::BTreeMap;
use std::path::Path;

pub type Events = BTreeMap<String, EventConfig>;

/// The demo event shipped with the model (`islamabad-tip-som`), with the
/// dates of its file (April 2027).
pub fn demo() -> Events {
    one(accredit_model::demo::islamabad_tip_som())
}

/// The demo event moved so that it opens about seven weeks after `today`:
/// what the server runs without `--config`, so that the demo is open
/// whatever the date.
pub fn demo_on(today: accredit_model::Date) -> Events {
    one(accredit_model::demo::islamabad_tip_som_on(today))
}

fn one(event: EventConfig) -> Events {
    BTreeMap::from([(event.id.clone(), event)])
}

/// Loads one `.toml`/`.json` event file, or every such file in a folder.
/// A configuration mistake stops the server with every problem listed.
pub fn load_path(path: &Path) -> Result<Events, String> {
    let files: Vec<_> = if path.is_dir() {
        let mut v: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml" || x == "json"))
            .collect();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    };
    let mut events = Events::new();
    for file in files {
        let event = load_file(&file)?;
        if events.contains_key(&event.id) {
            return Err(format!(
                "{}: event id {} is used twice",
                file.display(),
                event.id
            ));
        }
        events.insert(event.id.clone(), event);
    }
    if events.is_empty() {
        return Err(format!(
            "no event files (.toml or .json) in {}",
            path.display()
        ));
    }
    Ok(events)
}

fn load_file(file: &Path) -> Result<EventConfig, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let event = if file.extension().is_some_and(|x| x == "json") {
        EventConfig::from_json_str(&text).map_err(|e| e.to_string())
    } else {
        EventConfig::from_toml_str(&text).map_err(|e| e.to_string())
    }
    .map_err(|e| format!("{}: {e}", file.display()))?;
    let problems = event.check();
    if !problems.is_empty() {
        return Err(format!(
            "{}:\n  - {}",
            file.display(),
            problems.join("\n  - ")
        ));
    }
    Ok(event)
}
