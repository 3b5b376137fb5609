//! Weights you can trust: a damaged model file is refused at load, naming the file and the
//! problem, and a report's `model.sha256` is the hash of the bytes that were loaded.

use sha2::{Digest, Sha256};
use stancer::engine::{default_model_dir, Engine, EngineConfig, ModelSource};

fn copy_model() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["config.json", "tokenizer.json", "model.safetensors"] {
        std::fs::copy(default_model_dir().join(f), dir.path().join(f)).unwrap();
    }
    dir
}

fn load(dir: &std::path::Path) -> stancer::Result<Engine> {
    Engine::load(
        &ModelSource::Local(dir.to_path_buf()),
        &EngineConfig::default(),
    )
}

#[test]
fn a_flipped_byte_inside_the_weights_is_refused() {
    let dir = copy_model();
    let path = dir.path().join("model.safetensors");
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.len() / 2; // inside some tensor's data: the file still parses
    bytes[at] ^= 0x40;
    std::fs::write(&path, &bytes).unwrap();
    let err = load(dir.path())
        .err()
        .expect("a corrupted file must not load");
    assert_eq!(err.kind(), "model");
    let msg = err.to_string();
    assert!(
        msg.contains("model.safetensors") && msg.contains("corrupted"),
        "{msg}"
    );

    // A cut file is refused too.
    std::fs::write(&path, &bytes[..bytes.len() - 1000]).unwrap();
    assert_eq!(load(dir.path()).err().expect("cut").kind(), "model");
}

#[test]
fn the_reported_hash_is_the_hash_of_the_loaded_bytes() {
    let dir = copy_model();
    let engine = load(dir.path()).unwrap();
    let bytes = std::fs::read(dir.path().join("model.safetensors")).unwrap();
    let want: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(engine.info.sha256.as_deref(), Some(want.as_str()));
}
