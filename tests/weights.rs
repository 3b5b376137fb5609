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

fn edit_config(dir: &std::path::Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join("config.json");
    let mut c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut c);
    std::fs::write(&path, c.to_string()).unwrap();
}

#[test]
fn a_config_that_breaks_the_heads_is_refused_with_the_field() {
    for (edit, field) in [
        (
            (|c: &mut serde_json::Value| c["stancer"]["heads"] = serde_json::json!({}))
                as fn(&mut serde_json::Value),
            "stancer.heads is empty",
        ),
        (
            |c| c["stancer"]["heads"]["stance"]["temperature"] = serde_json::json!(1e-45),
            "stancer.heads.stance.temperature",
        ),
        (
            |c| {
                c["stancer"]["heads"]["sentiment"]["labels"] =
                    serde_json::json!(["negative", "negative", "positive"])
            },
            "stancer.heads.sentiment.labels",
        ),
        (
            |c| c["stancer"]["heads"]["stance"]["bias"] = serde_json::json!([0.0, 1e30, 0.0]),
            "stancer.heads.stance.bias",
        ),
    ] {
        let dir = copy_model();
        edit_config(dir.path(), edit);
        let err = load(dir.path())
            .err()
            .expect("a broken config must not load");
        assert_eq!(err.kind(), "model");
        assert!(err.to_string().contains(field), "{err}");
    }
}

/// The byte range of tensor `name` in a safetensors file.
fn tensor_bytes(bytes: &[u8], name: &str) -> std::ops::Range<usize> {
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(&bytes[8..8 + n]).unwrap();
    let t = &header[name];
    assert_eq!(t["dtype"], "F16", "{name}: {t}");
    let o = &t["data_offsets"];
    8 + n + o[0].as_u64().unwrap() as usize..8 + n + o[1].as_u64().unwrap() as usize
}

#[test]
fn weights_that_give_nan_are_an_error_naming_the_model_not_a_null_score() {
    let dir = copy_model();
    // Without a declared hash the damage is not caught at load; the hash is still computed
    // and reported.
    edit_config(dir.path(), |c| {
        c["stancer"]["weights"]
            .as_object_mut()
            .unwrap()
            .remove("sha256");
    });
    let path = dir.path().join("model.safetensors");
    let mut bytes = std::fs::read(&path).unwrap();
    let range = tensor_bytes(&bytes, "stance_head.weight");
    for w in bytes[range].chunks_mut(2) {
        w.copy_from_slice(&[0x00, 0x7e]); // f16 NaN, little-endian
    }
    std::fs::write(&path, &bytes).unwrap();
    let engine = load(dir.path()).expect("loads: nothing declares what the bytes should be");
    let want: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(engine.info.sha256.as_deref(), Some(want.as_str()));
    let pair = stancer::Pair {
        text: "Peskov said the United States had destroyed all trust.".into(),
        target: "United States".into(),
        holder: Some("Peskov".into()),
        target_spans: vec![],
        holder_spans: vec![],
    };
    let err = engine
        .score(&[pair])
        .expect_err("NaN scores must not be returned");
    assert_eq!(err.kind(), "model");
    assert!(err.to_string().contains("not a number"), "{err}");
}

/// The tokenizer is read while the weights load (`Engine::from_files`): a damaged tokenizer is
/// still refused naming its file, and with damaged weights too, the weights' error comes first,
/// as when the two were read one after the other.
#[test]
fn a_damaged_tokenizer_is_refused_and_the_weights_error_comes_first() {
    let dir = copy_model();
    std::fs::write(dir.path().join("tokenizer.json"), "{\"model\": ").unwrap();
    let err = load(dir.path())
        .err()
        .expect("a damaged tokenizer must not load");
    assert_eq!(err.kind(), "model");
    assert!(err.to_string().contains("tokenizer.json"), "{err}");

    let path = dir.path().join("model.safetensors");
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x40;
    std::fs::write(&path, &bytes).unwrap();
    let err = load(dir.path())
        .err()
        .expect("damaged weights must not load");
    let msg = err.to_string();
    assert!(
        msg.contains("model.safetensors") && !msg.contains("tokenizer.json"),
        "{msg}"
    );
}
