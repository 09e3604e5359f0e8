//! Deadlines on the server's clock: the last day each thing is allowed,
//! and the day after. The demo file's calendar (written by hand here):
//! registration closes 2027-04-06, amendments close on the opening day
//! 2027-04-20, the event ends 2027-04-22 and its personal data is deleted
//! 90 days later, on 2027-07-21.

use super::common::*;
use super::manage::{code, delete_mine, get_mine, put_mine, submit};
use accredit_model::api::MyRegistration;
use accredit_server::storage::Storage;

#[tokio::test]
async fn registration_is_accepted_on_its_closing_day_and_refused_the_day_after() {
    let server = TestServer::start().await;
    server.clock.set_today(date("2027-04-06"));
    assert_eq!(server.upload(pdf()).await.status(), 201);
    assert_eq!(server.register(&registration()).await.status(), 201);

    server.clock.set_today(date("2027-04-07"));
    let body = problem(
        server.register(&registration()).await,
        409,
        "registration.closed",
    )
    .await;
    assert!(
        body["detail"].as_str().unwrap().contains("2027-04-06"),
        "{body}"
    );
    problem(server.upload(pdf()).await, 409, "registration.closed").await;
    assert_eq!(server.storage().registrations(EVENT).unwrap().len(), 1);
}

#[tokio::test]
async fn amendments_are_accepted_through_the_opening_day_and_withdrawal_through_the_last() {
    let server = TestServer::start().await;
    let token = submit(&server, &registration()).await.manage_token.unwrap();

    server.clock.set_today(date("2027-04-20"));
    let mine: MyRegistration = get_mine(&server, &token).await.json().await.unwrap();
    assert!(mine.amendable);
    let mut amended = serde_json::to_value(&mine.registration).unwrap();
    amended["members"][0]["function"] = "Director General".into();
    let response = put_mine(&server, &token, Some("\"1\""), Some(&new_key()), &amended).await;
    assert_eq!(response.status(), 200);

    server.clock.set_today(date("2027-04-21"));
    let mine: MyRegistration = get_mine(&server, &token).await.json().await.unwrap();
    assert!(!mine.amendable);
    let (status, problem) =
        code(put_mine(&server, &token, Some("\"2\""), Some(&new_key()), &amended).await).await;
    assert_eq!((status, problem.as_str()), (409, "amendments.closed"));

    // Withdrawal stays possible until the event's last day: a delegation
    // that cannot come says so, even during the conference.
    server.clock.set_today(date("2027-04-23"));
    let (status, problem) = code(delete_mine(&server, &token).await).await;
    assert_eq!((status, problem.as_str()), (409, "amendments.closed"));
    server.clock.set_today(date("2027-04-22"));
    assert_eq!(delete_mine(&server, &token).await.status(), 200);
}

/// `accredit-server purge` on the demo file's calendar, run as if on the
/// day before the deletion date and on that date.
#[tokio::test]
async fn the_purge_command_keeps_personal_data_until_the_deletion_date() {
    let server = TestServer::start().await;
    assert_eq!(server.register(&registration()).await.status(), 201);
    let config = server.data_dir.path().join("islamabad-tip-som.toml");
    std::fs::write(&config, accredit_model::demo::ISLAMABAD_TIP_SOM_TOML).unwrap();
    let purge = |today: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_accredit-server"))
            .args(["purge", "--today", today, "--config"])
            .arg(&config)
            .arg("--data-dir")
            .arg(server.data_dir.path())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };

    let before = purge("2027-07-20");
    assert!(
        before.contains("islamabad-tip-som: personal data will be deleted on 2027-07-21"),
        "{before}"
    );
    assert!(!before.contains("retention period over"), "{before}");
    assert_eq!(server.storage().registrations(EVENT).unwrap().len(), 1);

    let on = purge("2027-07-21");
    assert!(
        on.contains(
            "islamabad-tip-som: retention period over; deleted 1 registrations, 0 attachments and 0 organiser tokens"
        ),
        "{on}"
    );
    assert!(!on.contains("will be deleted"), "{on}");
    assert!(server.storage().registrations(EVENT).unwrap().is_empty());
}

/// Without `--config` the server runs the demo event moved to open about
/// seven weeks after today, so a newcomer always finds it open.
#[test]
fn the_default_demo_event_follows_the_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_accredit-server"))
        .args(["purge", "--today", "2028-06-01", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    // 2028-06-01 + 49 days is Thursday 2028-07-20; whole weeks from the
    // file's Tuesday opening give Tuesday 2028-07-18, so the event ends on
    // 2028-07-20 and its data goes 90 days later.
    assert!(
        text.contains("islamabad-tip-som: personal data will be deleted on 2028-10-18"),
        "{text}"
    );
}
