//! The Hugging Face Hub path, offline: a hand-made cache laid out as hf-hub writes it
//! (models--ORG--NAME/refs/main and snapshots/REV/), resolved with local-files-only.
#![cfg(feature = "hub")]

use std::path::Path;

use stancer::engine::{Engine, EngineConfig, HubOptions, ModelSource};
use stancer::Error;

const REV: &str = "0123456789abcdef0123456789abcdef01234567";

fn make_cache(root: &Path) {
    let repo = root.join("models--stancer-tests--tiny-bert");
    let snap = repo.join("snapshots").join(REV);
    std::fs::create_dir_all(&snap).unwrap();
    std::fs::create_dir_all(repo.join("refs")).unwrap();
    std::fs::write(repo.join("refs/main"), REV).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/models/bert");
    for f in ["config.json", "tokenizer.json", "model.safetensors"] {
        std::fs::copy(src.join(f), snap.join(f)).unwrap();
    }
}

fn config(cache: &Path) -> EngineConfig {
    EngineConfig {
        hub: HubOptions {
            offline: true,
            cache_dir: Some(cache.to_path_buf()),
            ..HubOptions::default()
        },
        ..EngineConfig::default()
    }
}

#[test]
fn loads_a_cached_hub_model_offline() {
    let dir = tempfile::tempdir().unwrap();
    make_cache(dir.path());
    let source = ModelSource::parse("stancer-tests/tiny-bert@main");
    assert_eq!(
        source,
        ModelSource::Hub {
            repo: "stancer-tests/tiny-bert".into(),
            revision: "main".into()
        }
    );
    let engine = Engine::load(&source, &config(dir.path())).unwrap();
    // the snapshot folder's commit is reported as the revision
    assert_eq!(engine.info.revision.as_deref(), Some(REV));
    assert_eq!(engine.info.mode, "zero-shot");
    let s = engine
        .score(&[stancer::Pair {
            text: "Lavrov said Russia is ready to talk.".into(),
            target: "Russia".into(),
            ..Default::default()
        }])
        .unwrap();
    assert!((s[0].stance.scores.values().sum::<f32>() - 1.0).abs() < 1e-4);
    // by commit hash too
    let by_rev = ModelSource::Hub {
        repo: "stancer-tests/tiny-bert".into(),
        revision: REV.into(),
    };
    assert!(Engine::load(&by_rev, &config(dir.path())).is_ok());
}

#[test]
fn offline_miss_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    make_cache(dir.path());
    let e = Engine::load(
        &ModelSource::parse("stancer-tests/not-cached"),
        &config(dir.path()),
    )
    .err()
    .expect("must fail");
    let msg = e.to_string();
    assert!(matches!(e, Error::ModelFileMissing { .. }), "{msg}");
    assert!(
        msg.contains("stancer-tests/not-cached")
            && msg.contains("config.json")
            && msg.contains("offline"),
        "{msg}"
    );
}

/// A server that accepts connections and never answers (a stalled proxy): the load must fail
/// with a clear error after the stall timeout, not hang.
#[test]
fn a_stalled_hub_gives_an_error_instead_of_hanging() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in listener.incoming().flatten() {
            held.push(c); // keep it open, say nothing
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = EngineConfig {
        hub: HubOptions {
            offline: false,
            cache_dir: Some(dir.path().to_path_buf()),
            endpoint: Some(format!("http://127.0.0.1:{port}")),
            stall_timeout: std::time::Duration::from_secs(2),
        },
        ..EngineConfig::default()
    };
    let started = std::time::Instant::now();
    let err = Engine::load(&ModelSource::parse("stancer-tests/never@main"), &cfg)
        .err()
        .expect("a silent server cannot give a model");
    let msg = err.to_string();
    assert!(msg.contains("no progress from the Hub"), "{msg}");
    assert!(msg.contains(&format!("127.0.0.1:{port}")), "{msg}");
    // Generous bound: the point is that it ends at all (it used to wait forever).
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}
