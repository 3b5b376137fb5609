//! Bytes → article, as every reader takes them: the first byte picks plain text, HTML (visible
//! text, `<meta>` and `<link>` metadata, entities), a JSON article (body forms, metadata, dates)
//! or a JSON-lines stream (byte-order mark, one entry per line). No input may panic, and a
//! decoded article never holds NUL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stancer::input::{jsonl, Article, InputFormat};

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else { return };
    let check = |a: &stancer::Result<Article>| {
        if let Ok(a) = a {
            assert!(!a.text.contains('\0'), "NUL in decoded text");
        }
        if let Err(e) = a {
            assert_ne!(e.kind(), "internal", "{e}");
        }
    };
    match which % 4 {
        0 => check(&Article::from_bytes("f.txt", bytes, InputFormat::Text)),
        1 => check(&Article::from_bytes("f.html", bytes, InputFormat::Html)),
        2 => check(&Article::from_bytes("f.json", bytes, InputFormat::Json)),
        _ => {
            let lines: Box<dyn std::io::BufRead> = Box::new(std::io::Cursor::new(bytes.to_vec()));
            let reader = jsonl::Reader::from_reader("f.jsonl".as_ref(), lines, None, 1 << 20);
            let blank = (bytes.split(|&b| b == b'\n').enumerate())
                .filter(|(n, l)| jsonl::line_bytes(n + 1, l).is_empty())
                .count();
            let mut n = 0;
            for entry in reader {
                check(&entry.expect("reading memory cannot fail").article);
                n += 1;
            }
            // One entry per non-blank line: nothing is lost.
            assert_eq!(n + blank, bytes.split(|&b| b == b'\n').count());
        }
    }
});
