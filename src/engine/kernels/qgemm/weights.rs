//! W quantized per output channel and packed once, at model load.

use rayon::prelude::*;

use super::rows::abs_max;
use super::{K_TILE, LANES};

/// W quantized per output channel and packed for the kernels: for each block of 16 outputs and
/// each group of 4 inputs, 64 bytes (output-major, 4 inputs each) — one row of an AMX B tile.
#[derive(Debug, Clone)]
pub struct QWeights {
    pub(super) packed: Vec<i8>,
    pub(super) scales: Vec<f32>,
    /// The largest weight magnitude: 127 (8 bits), or 63 (7 bits) for the AVX2 kernel, whose
    /// `vpmaddubsw` would saturate on 8 (`avx2.rs`).
    pub(super) levels: i32,
    /// −zero · Σ_k w per column, for an even number of blocks: what every kernel adds to
    /// Σ_k u · w to get Σ_k q · w (AMX starts its accumulators from it).
    pub(super) offsets: Vec<i32>,
    /// What u is for x = 0 with `Inputs::Any` (128), or 0 with `Inputs::AtLeast`.
    pub(super) zero: i32,
    /// Added to x before it is quantized (`Inputs::AtLeast(-shift)`), else 0.
    pub(super) shift: f32,
    /// −shift · s_w · Σ_k w per column: takes the shift off again on the way out.
    pub(super) correction: Vec<f32>,
    pub(super) k: usize,
    pub(super) n: usize,
    pub(super) groups: usize,
    pub(super) blocks: usize,
}

impl QWeights {
    /// Quantizes W, row-major `n × k` (outputs × inputs, as checkpoints store a linear layer),
    /// for inputs of any sign. See `quantize_for`.
    pub fn quantize(w: &[f32], n: usize, k: usize) -> Self {
        Self::quantize_for(w, n, k, Inputs::Any)
    }

    /// Quantizes W for the inputs it will see and for the kernel this CPU runs (7 bits for AVX2,
    /// else 8: `Kernel::weight_levels`). Each output's weights are one contiguous row, so no
    /// transposed copy is made. Blocks of 16 outputs are packed in parallel; this is part of
    /// model load time.
    pub fn quantize_for(w: &[f32], n: usize, k: usize, inputs: Inputs) -> Self {
        Self::quantize_levels(w, n, k, inputs, super::Kernel::detect().weight_levels())
    }

    /// `quantize_for` with each output's weights in [−levels, levels] (127 or 63).
    pub fn quantize_levels(w: &[f32], n: usize, k: usize, inputs: Inputs, levels: i32) -> Self {
        assert_eq!(w.len(), n * k, "weights must be n × k");
        assert!((1..=127).contains(&levels), "weights are 8 bits at most");
        let top = levels as f32;
        // Padded for the AMX kernel: whole tiles of 64 inputs (zero weights add nothing), and an
        // even number of blocks (it computes two at a time; the last may be all zeros).
        let groups = k.div_ceil(K_TILE) * (K_TILE / 4);
        let blocks = n.div_ceil(LANES);
        let mut packed = vec![0i8; blocks.next_multiple_of(2) * groups * LANES * 4];
        let mut scales = vec![1f32; blocks * LANES];
        let mut col_sums = vec![0i32; blocks * LANES];
        packed
            .par_chunks_mut(groups * LANES * 4)
            .zip(scales.par_chunks_mut(LANES))
            .zip(col_sums.par_chunks_mut(LANES))
            .enumerate()
            .for_each(|(b, ((pb, sb), cb))| {
                let cols = (n - b * LANES).min(LANES);
                for l in 0..cols {
                    let row = &w[(b * LANES + l) * k..][..k];
                    let amax = abs_max(row);
                    if amax > 0.0 {
                        sb[l] = amax / top;
                    }
                    let inv = 1.0 / sb[l];
                    for (i, v) in row.iter().enumerate() {
                        let q = round_to_i8(v * inv).clamp(-levels as i8, levels as i8);
                        pb[((i / 4) * LANES + l) * 4 + i % 4] = q;
                        cb[l] += q as i32;
                    }
                }
            });
        scales.truncate(n);
        let (zero, shift) = match inputs {
            Inputs::Any => (128, 0.0),
            Inputs::AtLeast(floor) => (0, (-floor).max(0.0)),
        };
        let mut offsets: Vec<i32> = col_sums.iter().map(|s| -zero * s).collect();
        offsets.resize(blocks.next_multiple_of(2) * LANES, 0);
        let correction = (0..n)
            .map(|j| -shift * (scales[j] * col_sums[j] as f32))
            .collect();
        QWeights {
            packed,
            scales,
            levels,
            offsets,
            zero,
            shift,
            correction,
            k,
            n,
            groups,
            blocks,
        }
    }

    /// Inputs (rows of Wᵀ).
    pub fn k(&self) -> usize {
        self.k
    }

    /// Outputs (columns of Wᵀ).
    pub fn n(&self) -> usize {
        self.n
    }

    /// The dequantized Wᵀ, for tests and error bounds.
    pub fn dequantize(&self) -> Vec<f32> {
        let mut out = vec![0f32; self.k * self.n];
        for i in 0..self.k {
            for j in 0..self.n {
                let (b, l) = (j / LANES, j % LANES);
                let q = self.packed[((b * self.groups + i / 4) * LANES + l) * 4 + i % 4];
                out[i * self.n + j] = q as f32 * self.scales[j];
            }
        }
        out
    }
}

/// `v` (within ±127 up to rounding) to the nearest integer, ties to even: adding 1.5 · 2²³ leaves
/// no fraction bits. `f32::round` is a libm call per weight on baseline x86-64 (4% of the int8
/// model's load in `perf`).
#[inline(always)]
pub(super) fn round_to_i8(v: f32) -> i8 {
    const MAGIC: f32 = 12_582_912.0;
    ((v + MAGIC) - MAGIC).clamp(-127.0, 127.0) as i8
}

/// What a layer's inputs can be, which decides how its rows are quantized.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Inputs {
    /// Any sign: symmetric, x ≈ s · q with q in [−127, 127], stored as u = q + 128.
    Any,
    /// Never below this (≤ 0): x − floor ≈ s · u with u in [0, 255], one bit finer. GELU's
    /// outputs (≥ −0.17) are what the feed-forward output layer reads: quantized symmetrically,
    /// half the codes went unused, and that layer's inputs cost most of int8's loss on
    /// `scripts/eval-stance` (README, Performance).
    AtLeast(f32),
}
