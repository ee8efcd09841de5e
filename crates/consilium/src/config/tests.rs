//! Layering and validation of the configuration.
use super::*;

#[test]
fn flags_beat_file_which_beats_defaults() {
    let dir = tempfile_dir();
    let file = dir.join("consilium.toml");
    std::fs::write(
        &file,
        "listen = \"127.0.0.1:9000\"\nrequest_timeout = \"45s\"\ndata_dir = \"/from/file\"\n",
    )
    .unwrap();
    let storage = StorageArgs {
        config: Some(file),
        data_dir: Some(PathBuf::from("/from/flag")),
        database_url: None,
        blob_url: None,
    };
    let config = Config::load(&storage, None).unwrap();
    assert_eq!(config.data_dir, PathBuf::from("/from/flag"));
    assert_eq!(config.listen, "127.0.0.1:9000");
    assert_eq!(config.request_timeout.0, Duration::from_secs(45));
    assert_eq!(config.public_url(), "http://127.0.0.1:9000");
}

#[test]
fn bad_values_are_named() {
    let bad = Config {
        listen: "nowhere".into(),
        ..Config::default()
    };
    assert!(bad.validate().unwrap_err().to_string().contains("nowhere"));
    let bad = Config {
        database_url: Some("mysql://x".into()),
        ..Config::default()
    };
    assert!(
        bad.validate()
            .unwrap_err()
            .to_string()
            .contains("postgres://")
    );
    let missing = StorageArgs {
        config: Some(PathBuf::from("/no/such.toml")),
        ..StorageArgs::default()
    };
    assert!(
        Config::load(&missing, None)
            .unwrap_err()
            .to_string()
            .contains("/no/such.toml")
    );
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("consilium-config-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
