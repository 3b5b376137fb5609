//! The BERT encoder's forward pass on plain f32 buffers, used whenever the model runs on the CPU.
//!
//! Why not candle ops: on the CPU every candle op allocates its output, and the elementwise
//! ops between the matmuls (bias, residual, layer norm, GELU, the head split and merge of
//! attention) cost a third of the time on MiniLM. Here each layer works on three buffers
//! allocated once per batch: linear layers accumulate into the residual stream in place, the
//! bias is folded into the layer norm pass, attention reads Q, K and V out of the fused QKV
//! buffer by stride and writes each head's output into its columns, and keys past a
//! sequence's last real token are skipped (their softmax weight is exactly 0 in the
//! reference too). With int8 weights a batch's layers run a sequence per task instead
//! (`layer_by_sequence`), each sequence's buffers staying in its core's cache. The same weights
//! as the tensor path, checked against it and against PyTorch by `tests/engine_parity.rs`.

use std::cell::Cell;

use candle_core::{DType, Result, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{Config, HiddenAct};
use half::slice::HalfFloatSliceExt;
use rayon::prelude::*;

use crate::engine::kernels::qgemm::{self, Inputs, QWeights};
use crate::engine::kernels::sgemm::{sgemm, Mat};
use crate::engine::kernels::vecmath::{gelu_slice, layer_norm_rows, masked_softmax_rows};
use crate::engine::Precision;

/// An activation applied in place to some rows of a layer's output.
type Activation = fn(&mut [f32]);

fn to_vec(t: Tensor) -> Result<Vec<f32>> {
    with_slice(&t, <[f32]>::to_vec)
}

/// Runs `f` on a CPU tensor's f32 data in place (no copy when it is contiguous).
fn with_slice<R>(t: &Tensor, f: impl FnOnce(&[f32]) -> R) -> Result<R> {
    with_data(&t.to_dtype(DType::F32)?.contiguous()?, f)
}

/// Runs `f` on a contiguous CPU tensor's data in place.
fn with_data<T: candle_core::WithDType, R>(t: &Tensor, f: impl FnOnce(&[T]) -> R) -> Result<R> {
    let (storage, layout) = t.storage_and_layout();
    let (start, end) = layout
        .contiguous_offsets()
        .ok_or_else(|| candle_core::Error::Msg("weights not contiguous".into()))?;
    match &*storage {
        candle_core::Storage::Cpu(cpu) => Ok(f(&cpu.as_slice::<T>()?[start..end])),
        _ => candle_core::bail!("the CPU encoder needs CPU weights"),
    }
}

/// The word table's type: f16 with int8 weights. From an f16 checkpoint (the shipped model) that
/// is the table as stored: not widened at load, half the memory. With the tokenizer read beside
/// the weights (`Engine::from_files`), a one-pair `classify` went from 122 to 87 ms and from 140
/// to 103 MB at peak (Intel Xeon, 15 interleaved runs). An f32 or bf16 table rounded to f16 moves
/// a value by a relative 5e-4 at most, far inside int8's own error (the tiny f32 fixture's int8
/// hidden states: relative error 0.00033 either way); f32 precision keeps the table exact.
fn word_table_dtype(precision: Precision) -> DType {
    match precision {
        Precision::Int8 => DType::F16,
        _ => DType::F32,
    }
}

/// `rows × cols` row-major → its transpose, in cache-sized tiles (candle's strided copy of a
/// transposed view was a third of the model's load time).
fn transpose(v: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    const TILE: usize = 32;
    let mut t = vec![0f32; v.len()];
    for r0 in (0..rows).step_by(TILE) {
        for c0 in (0..cols).step_by(TILE) {
            for r in r0..(r0 + TILE).min(rows) {
                for c in c0..(c0 + TILE).min(cols) {
                    t[c * rows + r] = v[r * cols + c];
                }
            }
        }
    }
    t
}

/// The least value the activation gives (GELU's minimum is −0.16997, at x ≈ −0.752): the
/// feed-forward output layer's int8 inputs are quantized from there up (`Inputs::AtLeast`).
fn activation_floor(act: HiddenAct) -> f32 {
    match act {
        HiddenAct::Gelu | HiddenAct::GeluApproximate => -0.17,
        HiddenAct::Relu => 0.0,
    }
}

/// Rows handed to one task in the row-wise passes: small enough to split a batch over the
/// threads, large enough that scheduling is negligible.
const ROWS_PER_TASK: usize = 16;

struct Dense {
    weights: Weights,
    bias: Vec<f32>,
    inp: usize,
    out: usize,
}

/// A linear layer's weights as its precision computes with them.
enum Weights {
    /// Wᵀ, `inp × out`, row-major: gemm's small-batch kernels are twice as fast on it as on
    /// W used as a transposed operand (measured at batch 1 with `scripts/bench`).
    F32(Vec<f32>),
    /// Wᵀ quantized per output channel, packed for the int8 kernel.
    Int8(QWeights),
}

impl Dense {
    /// A linear layer from its weights (`precision` already resolved: f32 or int8); int8 weights
    /// are quantized for the `inputs` it reads.
    fn from_parts(
        weight: Tensor,
        bias: Tensor,
        precision: Precision,
        inputs: Inputs,
    ) -> Result<Self> {
        let (out, inp) = weight.dims2()?;
        Ok(Dense {
            weights: match precision {
                Precision::Int8 => Weights::Int8(with_slice(&weight, |w| {
                    QWeights::quantize_for(w, out, inp, inputs)
                })?),
                _ => Weights::F32(with_slice(&weight, |w| transpose(w, out, inp))?),
            },
            bias: to_vec(bias)?,
            inp,
            out,
        })
    }

    fn load(
        vb: VarBuilder,
        inp: usize,
        out: usize,
        precision: Precision,
        inputs: Inputs,
    ) -> Result<Self> {
        Self::from_parts(
            vb.get((out, inp), "weight")?,
            vb.get(out, "bias")?,
            precision,
            inputs,
        )
    }

    /// `y += x · Wᵀ` over `rows` rows (the bias is left to the caller, see `with_bias`), on all
    /// threads or (`parallel` false) on the calling one.
    fn accumulate(&self, x: &[f32], rows: usize, y: &mut [f32], parallel: bool) {
        match (&self.weights, parallel) {
            (Weights::F32(w), _) => sgemm(
                Mat::new(x, 0, rows, self.inp, self.inp),
                Mat::new(w, 0, self.inp, self.out, self.out),
                false,
                y,
                self.out,
                1.0,
                true,
                parallel,
            ),
            (Weights::Int8(w), true) => qgemm::linear(x, rows, w, y, Default::default()),
            (Weights::Int8(w), false) => qgemm::linear_here(x, rows, w, y, Default::default()),
        }
    }

    /// `y = act(x · Wᵀ + b)`, on all threads or (`parallel` false, `layer_by_sequence`) on the
    /// calling one; the int8 product applies the bias and `act` to each task's rows while they
    /// are in cache (`qgemm::Epilogue`).
    fn with_bias(
        &self,
        x: &[f32],
        rows: usize,
        y: &mut [f32],
        act: Option<Activation>,
        parallel: bool,
    ) {
        let y = &mut y[..rows * self.out];
        if let Weights::Int8(w) = &self.weights {
            let epilogue = qgemm::Epilogue {
                bias: Some(&self.bias),
                then: act.as_ref().map(|f| f as &qgemm::RowsFn),
            };
            return match parallel {
                true => qgemm::linear(x, rows, w, y, epilogue),
                false => qgemm::linear_here(x, rows, w, y, epilogue),
            };
        }
        let fill = |c: &mut [f32]| {
            c.chunks_exact_mut(self.out)
                .for_each(|r| r.copy_from_slice(&self.bias))
        };
        match parallel {
            true => y.par_chunks_mut(self.out * ROWS_PER_TASK).for_each(fill),
            false => fill(y),
        }
        self.accumulate(x, rows, y, parallel);
        match (act, parallel) {
            (Some(f), true) => y.par_chunks_mut(16 * 1024).for_each(f),
            (Some(f), false) => f(y),
            (None, _) => {}
        }
    }
}

struct Norm {
    gamma: Vec<f32>,
    beta: Vec<f32>,
    eps: f32,
}

impl Norm {
    fn load(vb: VarBuilder, h: usize, eps: f64) -> Result<Self> {
        Ok(Norm {
            gamma: to_vec(vb.get(h, "weight")?)?,
            beta: to_vec(vb.get(h, "bias")?)?,
            eps: eps as f32,
        })
    }

    /// Adds `bias` (when given) to every row of `x`, then normalises the rows, on all threads.
    fn apply(&self, x: &mut [f32], bias: Option<&[f32]>) {
        let h = self.gamma.len();
        x.par_chunks_mut(h * ROWS_PER_TASK)
            .for_each(|c| self.apply_here(c, bias));
    }

    /// The same on the calling thread.
    fn apply_here(&self, x: &mut [f32], bias: Option<&[f32]>) {
        layer_norm_rows(x, bias, &self.gamma, &self.beta, self.eps);
    }
}

struct Layer {
    qkv: Dense,
    attn_out: Dense,
    attn_norm: Norm,
    intermediate: Dense,
    output: Dense,
    out_norm: Norm,
}

/// A BERT encoder whose weights are plain f32 vectors.
pub struct CpuEncoder {
    /// The word embeddings stay in candle's tensor and are read in place: copied out, this
    /// 30,522 × 384 table (47 MB as f32) took 15% of the model's load time in `perf`; kept, a
    /// one-pair `classify` loads in 0.145 s instead of 0.175 s and peaks at 140 MB, not 163 MB.
    /// With int8 weights the table is f16 (`word_table_dtype`), each row widened as it is read.
    word: Tensor,
    position: Vec<f32>,
    token_type: Vec<f32>,
    vocab: usize,
    max_positions: usize,
    type_vocab: usize,
    emb_norm: Norm,
    layers: Vec<Layer>,
    heads: usize,
    hidden: usize,
    act: HiddenAct,
    /// Whether the linear layers are int8 (`layer_by_sequence` runs then).
    int8: bool,
}

impl CpuEncoder {
    /// Loads weights named as in Hugging Face checkpoints (`vb` already inside any `bert.` prefix).
    pub fn load(vb: VarBuilder, cfg: &Config, precision: Precision) -> Result<Self> {
        let precision = precision.for_bert(true); // `Auto` resolved once, for every layer
        let h = cfg.hidden_size;
        if cfg.num_attention_heads == 0 || !h.is_multiple_of(cfg.num_attention_heads) {
            candle_core::bail!(
                "hidden_size {h} is not a multiple of num_attention_heads {}",
                cfg.num_attention_heads
            );
        }
        let e = vb.pp("embeddings");
        let layers = (0..cfg.num_hidden_layers)
            .map(|i| {
                let vb = vb.pp(format!("encoder.layer.{i}"));
                let sa = vb.pp("attention.self");
                let part = |n: &str| sa.get((h, h), &format!("{n}.weight"));
                let bias = |n: &str| sa.get(h, &format!("{n}.bias"));
                Ok(Layer {
                    qkv: Dense::from_parts(
                        Tensor::cat(&[part("query")?, part("key")?, part("value")?], 0)?,
                        Tensor::cat(&[bias("query")?, bias("key")?, bias("value")?], 0)?,
                        precision,
                        Inputs::Any,
                    )?,
                    attn_out: Dense::load(
                        vb.pp("attention.output.dense"),
                        h,
                        h,
                        precision,
                        Inputs::Any,
                    )?,
                    attn_norm: Norm::load(
                        vb.pp("attention.output.LayerNorm"),
                        h,
                        cfg.layer_norm_eps,
                    )?,
                    intermediate: Dense::load(
                        vb.pp("intermediate.dense"),
                        h,
                        cfg.intermediate_size,
                        precision,
                        Inputs::Any,
                    )?,
                    output: Dense::load(
                        vb.pp("output.dense"),
                        cfg.intermediate_size,
                        h,
                        precision,
                        Inputs::AtLeast(activation_floor(cfg.hidden_act)),
                    )?,
                    out_norm: Norm::load(vb.pp("output.LayerNorm"), h, cfg.layer_norm_eps)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(CpuEncoder {
            word: e
                .get_with_hints_dtype(
                    (cfg.vocab_size, h),
                    "word_embeddings.weight",
                    Default::default(),
                    word_table_dtype(precision),
                )?
                .contiguous()?,
            position: to_vec(e.get(
                (cfg.max_position_embeddings, h),
                "position_embeddings.weight",
            )?)?,
            token_type: to_vec(e.get((cfg.type_vocab_size, h), "token_type_embeddings.weight")?)?,
            vocab: cfg.vocab_size,
            max_positions: cfg.max_position_embeddings,
            type_vocab: cfg.type_vocab_size,
            emb_norm: Norm::load(e.pp("LayerNorm"), h, cfg.layer_norm_eps)?,
            layers,
            heads: cfg.num_attention_heads,
            hidden: h,
            act: cfg.hidden_act,
            int8: precision == Precision::Int8,
        })
    }

    /// Width of the hidden states.
    pub fn hidden_size(&self) -> usize {
        self.hidden
    }

    /// Last hidden states, `b × n × hidden` row-major. `mask` is 1 for tokens, 0 for padding.
    pub fn forward(
        &self,
        ids: &[u32],
        type_ids: &[u32],
        mask: &[u32],
        b: usize,
        n: usize,
    ) -> Result<Vec<f32>> {
        let h = self.hidden;
        let rows = b * n;
        if ids.len() != rows || type_ids.len() != rows || mask.len() != rows {
            candle_core::bail!("encoder inputs must all be {b} × {n}");
        }
        if rows == 0 {
            return Ok(Vec::new()); // the per-sequence chunking below needs n > 0
        }
        if n > self.max_positions {
            candle_core::bail!(
                "{n} tokens is more than the model's {} positions",
                self.max_positions
            );
        }
        if let Some(id) = ids.iter().find(|&&i| i as usize >= self.vocab) {
            candle_core::bail!("token id {id} is outside the vocabulary ({})", self.vocab);
        }
        if let Some(t) = type_ids.iter().find(|&&t| t as usize >= self.type_vocab) {
            candle_core::bail!("token type {t} is outside the model's {}", self.type_vocab);
        }

        let mut x = self.embed(ids, type_ids, n)?;
        self.emb_norm.apply(&mut x, None);

        // The reference adds (1 - mask) · f32::MIN to the scores: 0 for tokens.
        let additive: Vec<f32> = mask
            .iter()
            .map(|&m| if m == 0 { f32::MIN } else { 0.0 })
            .collect();
        // Keys after the last real token get weight exactly 0 in the reference: skip them.
        let keys: Vec<usize> = mask
            .chunks(n.max(1))
            .map(|m| match m.iter().rposition(|&v| v != 0) {
                Some(last) => last + 1,
                None => n,
            })
            .collect();

        if self.int8 && b >= 2 * rayon::current_num_threads() {
            for l in &self.layers {
                self.layer_by_sequence(l, &mut x, &additive, &keys, n);
            }
            return Ok(x);
        }
        let inter = self.layers.first().map_or(0, |l| l.intermediate.out);
        let mut qkv = vec![0f32; rows * 3 * h];
        let mut ctx = vec![0f32; rows * h];
        let mut mid = vec![0f32; rows * inter];
        for l in &self.layers {
            l.qkv.with_bias(&x, rows, &mut qkv, None, true);
            self.attention(&qkv, &additive, &keys, n, &mut ctx);
            // x ← LayerNorm(x + ctx·Wᵀ + b): the residual stream is the accumulator.
            l.attn_out.accumulate(&ctx, rows, &mut x, true);
            l.attn_norm.apply(&mut x, Some(&l.attn_out.bias));
            l.intermediate
                .with_bias(&x, rows, &mut mid, Some(self.activation()), true);
            l.output.accumulate(&mid, rows, &mut x, true);
            l.out_norm.apply(&mut x, Some(&l.output.bias));
        }
        Ok(x)
    }

    /// The embeddings of `ids` (rows of `n` tokens): word + position + token type, before
    /// their layer norm.
    fn embed(&self, ids: &[u32], type_ids: &[u32], n: usize) -> Result<Vec<f32>> {
        let h = self.hidden;
        let mut x = vec![0f32; ids.len() * h];
        // Slices, not indices: the sum vectorises (indexed, it was a scalar loop in `perf`).
        let add = |r: usize, row: &mut [f32], w: &[f32]| {
            let p = &self.position[(r % n) * h..][..h];
            let t = &self.token_type[type_ids[r] as usize * h..][..h];
            for (((v, a), b), c) in row.iter_mut().zip(w).zip(p).zip(t) {
                *v = a + b + c;
            }
        };
        let rows = x.par_chunks_mut(h).enumerate();
        if self.word.dtype() == DType::F16 {
            return with_data::<half::f16, _>(&self.word, |words| {
                rows.for_each_init(
                    || vec![0f32; h],
                    |w, (r, row)| {
                        // f16 → f32 is exact, so the sum is the f32 table's.
                        words[ids[r] as usize * h..][..h].convert_to_f32_slice(w);
                        add(r, row, w)
                    },
                )
            })
            .map(|()| x);
        }
        with_slice(&self.word, |words| {
            rows.for_each(|(r, row)| add(r, row, &words[ids[r] as usize * h..][..h]))
        })?;
        Ok(x)
    }

    /// The activation, on a slice and the calling thread.
    fn activation(&self) -> Activation {
        match self.act {
            HiddenAct::Gelu => gelu_slice,
            HiddenAct::GeluApproximate => |c: &mut [f32]| {
                for x in c {
                    let x3 = *x * *x * *x;
                    *x = 0.5 * *x * (1.0 + (0.797_884_6 * (*x + 0.044_715 * x3)).tanh());
                }
            },
            HiddenAct::Relu => |c: &mut [f32]| c.iter_mut().for_each(|x| *x = x.max(0.0)),
        }
    }

    /// One int8 layer, a sequence per task from start to end: its QKV, attention, output
    /// projection, feed-forward block and norms, on buffers of one sequence's rows that stay in
    /// the core's cache. Done op by op over the whole batch instead, each op's output (12 MB for
    /// the intermediate layer at batch 32) went through memory between the ops: this took
    /// `stancer classify --precision int8` on 785 NewsMTSC pairs from 485–513 to 569–590 pairs/s.
    /// Used when there are at least two sequences per thread, so that every core has work.
    /// Rows after a sequence's last real token (its padding to the batch's longest) are not
    /// computed: no real token attends to them, the pooling masks them out, and they keep their
    /// finite embeddings. `stancer batch` over the 324 shared articles went from 14.1 to 16.8
    /// articles/s on AMX; and a pair scores the same bytes in any batch as alone (computed over
    /// the padding, gemm's attention products rounded differently: up to 0.016 after int8).
    fn layer_by_sequence(
        &self,
        l: &Layer,
        x: &mut [f32],
        additive: &[f32],
        keys: &[usize],
        n: usize,
    ) {
        let h = self.hidden;
        let act = self.activation();
        x.par_chunks_mut(n * h).enumerate().for_each(|(bi, xs)| {
            let m = keys[bi];
            let xs = &mut xs[..m * h];
            let mut s = SCRATCH.take();
            let qkv = sized(&mut s.qkv, m * 3 * h);
            l.qkv.with_bias(xs, m, qkv, None, false);
            let ctx = sized(&mut s.ctx, m * h);
            let mask = &additive[bi * n..][..m];
            self.attend(qkv, mask, m, ctx, sized(&mut s.scores, m * m));
            l.attn_out.accumulate(ctx, m, xs, false);
            l.attn_norm.apply_here(xs, Some(&l.attn_out.bias));
            let mid = sized(&mut s.mid, m * l.intermediate.out);
            l.intermediate.with_bias(xs, m, mid, Some(act), false);
            l.output.accumulate(mid, m, xs, false);
            l.out_norm.apply_here(xs, Some(&l.output.bias));
            SCRATCH.set(s);
        });
    }

    /// Multi-head self-attention of every sequence, one sequence per task.
    fn attention(&self, qkv: &[f32], additive: &[f32], keys: &[usize], n: usize, ctx: &mut [f32]) {
        let h = self.hidden;
        ctx.par_chunks_mut(n * h).enumerate().for_each(|(bi, out)| {
            let qkv = &qkv[bi * n * 3 * h..][..n * 3 * h];
            let mut s = SCRATCH.take();
            let scores = sized(&mut s.scores, n * keys[bi]);
            self.attend(qkv, &additive[bi * n..][..keys[bi]], n, out, scores);
            SCRATCH.set(s);
        });
    }

    /// Self-attention of one sequence of `n` rows of fused QKV into `out` (`n × hidden`); `mask`
    /// holds the additive mask of the keys that are read (those up to the last real token);
    /// `scores` (`n × keys`) is scratch.
    fn attend(&self, qkv: &[f32], mask: &[f32], n: usize, out: &mut [f32], scores: &mut [f32]) {
        let h = self.hidden;
        let d = h / self.heads;
        let h3 = 3 * h;
        let scale = 1.0 / (d as f32).sqrt();
        let kn = mask.len();
        for head in 0..self.heads {
            let q = Mat::new(qkv, head * d, n, d, h3);
            let k = Mat::new(qkv, h + head * d, kn, d, h3);
            let v = Mat::new(qkv, 2 * h + head * d, kn, d, h3);
            sgemm(q, k, true, scores, kn, scale, false, false);
            masked_softmax_rows(scores, kn, mask);
            let p = Mat::new(scores, 0, n, kn, kn);
            sgemm(p, v, false, &mut out[head * d..], h, 1.0, false, false);
        }
    }
}

thread_local! {
    /// This thread's buffers for a sequence's layer (`layer_by_sequence`, `attention`), taken
    /// and put back by each task (a task that finds them taken starts empty ones). Allocated per
    /// sequence and layer they were zeroed each time, though every op writes them whole before
    /// reading: `memset` was 4–5% of `stancer classify` and `batch` runs in `perf`. Each thread
    /// keeps them between calls: one sequence's layer at the longest length it has seen (7 MB
    /// at 512 tokens on MiniLM), which every thread held at once during a run anyway.
    static SCRATCH: Cell<Scratch> = const { Cell::new(Scratch::new()) };
}

/// A sequence's layer buffers (see `SCRATCH`).
#[derive(Default)]
struct Scratch {
    qkv: Vec<f32>,
    ctx: Vec<f32>,
    mid: Vec<f32>,
    scores: Vec<f32>,
}

impl Scratch {
    const fn new() -> Self {
        Scratch {
            qkv: Vec::new(),
            ctx: Vec::new(),
            mid: Vec::new(),
            scores: Vec::new(),
        }
    }
}

/// `buf`'s first `len` values, for a caller that overwrites them before reading: grown (and
/// zeroed) only when shorter.
fn sized(buf: &mut Vec<f32>, len: usize) -> &mut [f32] {
    if buf.len() < len {
        buf.resize(len, 0.0);
    }
    &mut buf[..len]
}
