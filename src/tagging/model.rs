//! The weights of a BIO tagger and how it decodes.
//!
//! Layout: `emit[bucket * L + label]` (one row per feature bucket), `trans[(prev + 1) * L + label]`
//! (row 0 is the sentence start). File: an 8-byte magic naming the tagger, `bits` and `L` as
//! u32 little-endian, then every weight as f16 little-endian.

/// A tagger's weights over the labels it was built with.
#[derive(Clone)]
pub struct Model {
    pub(crate) bits: u32,
    labels: &'static [&'static str],
    /// For each label, the labels that may precede it (`None`: any, the sentence start too).
    continues: Vec<Option<usize>>,
    pub(crate) emit: Vec<f32>,
    pub(crate) trans: Vec<f32>,
}

/// A tagged span: label kind (the name after `B-`/`I-`) over tokens `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Index of the span's `B-` label in the model's labels.
    pub label: usize,
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
}

impl Model {
    /// An all-zero model with `2^bits` feature buckets over `labels` ("O", "B-X", "I-X", …).
    pub fn zeros(labels: &'static [&'static str], bits: u32) -> Self {
        let l = labels.len();
        Model {
            bits,
            labels,
            continues: continuation(labels),
            emit: vec![0.0; (1usize << bits) * l],
            trans: vec![0.0; (l + 1) * l],
        }
    }

    /// The labels, in weight order.
    pub fn labels(&self) -> &'static [&'static str] {
        self.labels
    }

    /// Reads the format `to_bytes` writes; `magic` names the tagger the file must be for.
    pub fn from_bytes(
        b: &[u8],
        magic: &[u8; 8],
        labels: &'static [&'static str],
    ) -> Result<Self, String> {
        if b.len() < 16 || &b[..8] != magic {
            return Err(format!(
                "not a {} file",
                String::from_utf8_lossy(magic).trim_end_matches(char::is_numeric)
            ));
        }
        let bits = u32::from_le_bytes(b[8..12].try_into().unwrap());
        let l = u32::from_le_bytes(b[12..16].try_into().unwrap()) as usize;
        if l != labels.len() || bits > 24 {
            return Err(format!("unexpected tagger shape: {l} labels, {bits} bits"));
        }
        let n = (1usize << bits) * l + (l + 1) * l;
        if b.len() != 16 + 2 * n {
            return Err(format!(
                "tagger file is {} bytes, expected {}",
                b.len(),
                16 + 2 * n
            ));
        }
        let vals: Vec<f32> = b[16..]
            .chunks_exact(2)
            .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect();
        let split = (1usize << bits) * l;
        let mut m = Model::zeros(labels, 0);
        m.bits = bits;
        m.emit = vals[..split].to_vec();
        m.trans = vals[split..].to_vec();
        Ok(m)
    }

    /// f16 little-endian weights behind the header.
    pub fn to_bytes(&self, magic: &[u8; 8]) -> Vec<u8> {
        let mut out = magic.to_vec();
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(self.labels.len() as u32).to_le_bytes());
        for v in self.emit.iter().chain(&self.trans) {
            out.extend_from_slice(&half::f16::from_f32(*v).to_le_bytes());
        }
        out
    }

    pub(crate) fn bucket(&self, feature: u64) -> usize {
        (feature >> (64 - self.bits)) as usize * self.labels.len()
    }

    /// Per-token label scores from the features alone (`emissions[i * L + label]`).
    pub(crate) fn emissions<F: AsRef<[u64]>>(&self, feats: &[F]) -> Vec<f32> {
        let l = self.labels.len();
        let mut out = vec![0f32; feats.len() * l];
        for (i, fs) in feats.iter().enumerate() {
            let s = &mut out[i * l..(i + 1) * l];
            for &f in fs.as_ref() {
                let b = self.bucket(f);
                for (k, v) in s.iter_mut().enumerate() {
                    *v += self.emit[b + k];
                }
            }
        }
        out
    }

    /// The best label sequence (indices into the labels) for one sentence's token features.
    pub fn tag<F: AsRef<[u64]>>(&self, feats: &[F]) -> Vec<u8> {
        self.viterbi(&self.emissions(feats))
    }

    fn allowed(&self, prev: Option<usize>, label: usize) -> bool {
        match self.continues[label] {
            None => true,
            Some(b) => prev.is_some_and(|p| p == label || p == b),
        }
    }

    pub(crate) fn viterbi(&self, em: &[f32]) -> Vec<u8> {
        let l = self.labels.len();
        let n = em.len() / l.max(1);
        if n == 0 {
            return Vec::new();
        }
        let mut score = vec![f32::NEG_INFINITY; n * l];
        let mut back = vec![0u8; n * l];
        for k in 0..l {
            if self.allowed(None, k) {
                score[k] = self.trans[k] + em[k];
            }
        }
        for i in 1..n {
            for k in 0..l {
                let (mut best, mut arg) = (f32::NEG_INFINITY, 0);
                for p in 0..l {
                    if !self.allowed(Some(p), k) {
                        continue;
                    }
                    let s = score[(i - 1) * l + p] + self.trans[(p + 1) * l + k];
                    if s > best {
                        best = s;
                        arg = p;
                    }
                }
                score[i * l + k] = best + em[i * l + k];
                back[i * l + k] = arg as u8;
            }
        }
        let last = &score[(n - 1) * l..];
        let mut k = (0..l)
            .max_by(|&a, &b| last[a].total_cmp(&last[b]))
            .unwrap_or(0);
        let mut out = vec![0u8; n];
        for i in (0..n).rev() {
            out[i] = k as u8;
            k = back[i * l + k] as usize;
        }
        out
    }

    /// The spans of a label sequence: a `B-` opens one, an `I-` of the same kind extends it.
    pub fn spans(&self, tags: &[u8]) -> Vec<Span> {
        let mut out: Vec<Span> = Vec::new();
        for (i, &t) in tags.iter().enumerate() {
            let t = t as usize;
            let name = self.labels[t];
            if name == "O" {
                continue;
            }
            let b = self.continues[t].unwrap_or(t);
            match out.last_mut() {
                Some(s) if self.continues[t].is_some() && s.label == b && s.end == i => {
                    s.end = i + 1
                }
                _ => out.push(Span {
                    label: b,
                    start: i,
                    end: i + 1,
                }),
            }
        }
        out
    }
}

/// For each `I-X`, the index of its `B-X`; `None` for every other label.
fn continuation(labels: &[&str]) -> Vec<Option<usize>> {
    labels
        .iter()
        .map(|l| {
            let kind = l.strip_prefix("I-")?;
            labels
                .iter()
                .position(|b| b.strip_prefix("B-") == Some(kind))
        })
        .collect()
}
