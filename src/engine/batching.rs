//! Pairs to model inputs: tokenized, windowed around the party mention when too long, sorted by
//! length into batches padded to their longest, and run.

use candle_core::{DType, Tensor};

use super::input::{char_to_byte, find_mentions};
use super::{Engine, Mode, Pair};
use crate::error::{Error, Result};

/// One encoded model input and where its scores go.
pub(super) struct Encoded {
    pub(super) ids: Vec<u32>,
    pub(super) type_ids: Vec<u32>,
    pub(super) pair: usize,
    pub(super) slot: usize,
    pub(super) truncated: bool,
}

impl Engine {
    pub(super) fn encode_pair(&self, i: usize, p: &Pair) -> Result<Vec<Encoded>> {
        if p.text.trim().is_empty() {
            return Err(Error::BadPair {
                index: i,
                message: "empty text".into(),
            });
        }
        if p.target.trim().is_empty() {
            return Err(Error::BadPair {
                index: i,
                message: "empty target".into(),
            });
        }
        match self.mode {
            Mode::Direct { .. } => {
                let (a, b, focus) = self.input.segments(p);
                Ok(vec![self.encode(&a, &b, focus, i, 0)?])
            }
            Mode::ZeroShot { .. } => {
                let focus = p
                    .target_spans
                    .first()
                    .map(|&(s, _)| char_to_byte(&p.text, s))
                    .or_else(|| {
                        find_mentions(&p.text, &p.target)
                            .first()
                            .map(|&(s, _)| char_to_byte(&p.text, s))
                    });
                let hyps = self
                    .templates
                    .stance
                    .iter()
                    .chain(&self.templates.sentiment);
                // NLI models read (premise, hypothesis): the window is cut from the premise.
                hyps.enumerate()
                    .map(|(slot, (_, t))| {
                        self.encode_premise(
                            &p.text,
                            &t.replace("{party}", &p.target),
                            focus,
                            i,
                            slot,
                        )
                    })
                    .collect()
            }
        }
    }

    /// Encodes (a, b) where `b` is the long text; if too long, keeps the window of `b` around byte `focus`.
    pub(super) fn encode(
        &self,
        a: &str,
        b: &str,
        focus: Option<usize>,
        pair: usize,
        slot: usize,
    ) -> Result<Encoded> {
        self.encode_windowed(a, b, false, focus, pair, slot)
    }

    /// Encodes (premise, hypothesis) for NLI models: the premise is the long text.
    pub(super) fn encode_premise(
        &self,
        premise: &str,
        hyp: &str,
        focus: Option<usize>,
        pair: usize,
        slot: usize,
    ) -> Result<Encoded> {
        self.encode_windowed(hyp, premise, true, focus, pair, slot)
    }

    /// Encodes `short` with `long` (long first when `long_first`), cutting `long` to a window
    /// around byte `focus` when the pair is over the model's window.
    pub(super) fn encode_windowed(
        &self,
        short: &str,
        long: &str,
        long_first: bool,
        focus: Option<usize>,
        pair: usize,
        slot: usize,
    ) -> Result<Encoded> {
        let terr = |e: tokenizers::Error| Error::Tokenizer(e.to_string());
        let enc_pair = |l: &str| {
            if long_first {
                self.tokenizer.encode((l, short), true)
            } else {
                self.tokenizer.encode((short, l), true)
            }
        };
        let full = enc_pair(long).map_err(terr)?;
        if full.get_ids().len() <= self.max_length {
            return Ok(Encoded {
                ids: full.get_ids().to_vec(),
                type_ids: full.get_type_ids().to_vec(),
                pair,
                slot,
                truncated: false,
            });
        }
        let long_len = self
            .tokenizer
            .encode(long, false)
            .map_err(terr)?
            .get_ids()
            .len();
        let overhead = full.get_ids().len().saturating_sub(long_len);
        let mut budget = self.max_length.saturating_sub(overhead).max(1);
        // Re-tokenising a cut text can merge pieces differently: shrink until it fits.
        for _ in 0..4 {
            let (s, e) = self.window(long, budget, focus)?;
            let enc = enc_pair(&long[s..e]).map_err(terr)?;
            if enc.get_ids().len() <= self.max_length {
                return Ok(Encoded {
                    ids: enc.get_ids().to_vec(),
                    type_ids: enc.get_type_ids().to_vec(),
                    pair,
                    slot,
                    truncated: true,
                });
            }
            budget = budget
                .saturating_sub(enc.get_ids().len() - self.max_length)
                .max(1);
        }
        Err(Error::BadPair {
            index: pair,
            message: format!(
                "the target and holder alone exceed the model window of {} tokens",
                self.max_length
            ),
        })
    }

    /// The byte range of `text` holding at most `budget` tokens, centred on byte `focus`.
    pub(super) fn window(
        &self,
        text: &str,
        budget: usize,
        focus: Option<usize>,
    ) -> Result<(usize, usize)> {
        let enc = self
            .tokenizer
            .encode(text, false)
            .map_err(|e| Error::Tokenizer(e.to_string()))?;
        let offs = enc.get_offsets();
        let n = offs.len();
        let budget = budget.max(1).min(n.max(1));
        if n == 0 {
            return Ok((0, text.len()));
        }
        let center = focus
            .and_then(|f| offs.iter().position(|o| o.0 >= f))
            .unwrap_or(0);
        let start = center.saturating_sub(budget / 2).min(n - budget);
        let end = start + budget;
        // Offsets are byte offsets into `text` for byte-level and WordPiece tokenizers alike.
        let s = offs[start].0.min(text.len());
        let e = offs[end - 1].1.min(text.len()).max(s);
        let s = (0..=s)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let e = (e..=text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        Ok((s, e))
    }

    /// Runs encoded inputs in length-sorted batches; returns logits per input and head.
    pub(super) fn run(&self, enc: &[Encoded]) -> Result<Vec<Vec<Vec<f32>>>> {
        let mut order: Vec<usize> = (0..enc.len()).collect();
        order.sort_by_key(|&i| enc[i].ids.len());
        let mut out: Vec<Vec<Vec<f32>>> = vec![Vec::new(); enc.len()];
        for chunk in order.chunks(self.batch_size) {
            let len = chunk.iter().map(|&i| enc[i].ids.len()).max().unwrap_or(0);
            let mut ids = Vec::with_capacity(chunk.len() * len);
            let mut types = Vec::with_capacity(chunk.len() * len);
            let mut mask = Vec::with_capacity(chunk.len() * len);
            for &i in chunk {
                let e = &enc[i];
                let pad = len - e.ids.len();
                ids.extend(
                    e.ids
                        .iter()
                        .copied()
                        .chain(std::iter::repeat_n(self.pad_id, pad)),
                );
                let use_types = self.model.uses_type_ids();
                types.extend(
                    e.type_ids
                        .iter()
                        .map(|&t| if use_types { t } else { 0 })
                        .chain(std::iter::repeat_n(0, pad)),
                );
                mask.extend(
                    std::iter::repeat_n(1u32, e.ids.len()).chain(std::iter::repeat_n(0, pad)),
                );
            }
            let shape = (chunk.len(), len);
            let ids = Tensor::from_vec(ids, shape, &self.device)?;
            let types = Tensor::from_vec(types, shape, &self.device)?;
            let mask = Tensor::from_vec(mask, shape, &self.device)?;
            let heads = self.model.forward(&ids, &types, &mask)?;
            let heads: Vec<Vec<Vec<f32>>> = heads
                .iter()
                .map(|h| h.to_dtype(DType::F32)?.to_vec2::<f32>())
                .collect::<candle_core::Result<_>>()?;
            for (row, &i) in chunk.iter().enumerate() {
                out[i] = heads.iter().map(|h| h[row].clone()).collect();
            }
        }
        Ok(out)
    }
}
