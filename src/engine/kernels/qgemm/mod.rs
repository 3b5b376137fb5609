//! int8 matrix products for quantized linear layers: `y += x · Wᵀ` with W quantized once per
//! output channel (symmetric int8) and x per row at run time, accumulated in i32.
//!
//! x is quantized symmetrically, x ≈ s_x · q with q in [−127, 127], and stored as u = q + 128
//! (u8), because AVX512-VNNI's `vpdpbusd` multiplies unsigned by signed bytes; the 128 · Σ_k w
//! this adds is taken off again with each column's weight sum. So
//!
//!   y[r][j] += s_x[r] · s_w[j] · (Σ_k u[r][k] · w[k][j] − 128 · Σ_k w[k][j]).
//!
//! AMX's `tdpbusd` and AVX512-VNNI's `vpdpbusd` take the same operands (u8 × i8 in groups of 4
//! into i32), so one packing of W serves both. The kernel is chosen at run time: AMX-INT8 where
//! the CPU has it and Linux grants the tile data (`amx.rs`), else AVX512-VNNI (`vnni.rs`), else
//! AVX2 (`avx2.rs`), else a portable loop; all compute the same integers and, rounding the same
//! way on the way out, the same floats (`stancer classify --precision int8` output is byte-identical across
//! them on the 785 NewsMTSC dev pairs).
//!
//! On the MiniLM encoder at batch 32 (2 threads, 785 NewsMTSC dev pairs) the AMX kernel took the
//! forward pass from 360 (VNNI) to 547 pairs/s (`cargo bench --bench engine`); with the callers'
//! fusion around it (`Epilogue`, `linear_here`) `stancer classify --precision int8` as a whole
//! runs at 770 (README, Performance).

use rayon::prelude::*;

/// Output columns per packed block (one 512-bit register of i32 lanes).
const LANES: usize = 16;
/// Rows and column blocks of the VNNI micro-kernel: 4 × 4 accumulators of 16 lanes.
const MR: usize = 4;
const NB: usize = 4;
/// Inputs per AMX tile row (64 bytes); `QWeights` and `QRows` are padded to whole tiles.
const K_TILE: usize = 64;
/// Rows of x per AMX step (two tiles of 16), to which `QRows` is padded.
const ROW_TILES: usize = 32;
/// Rows per parallel task at most (a batch of 32 inputs of 60 tokens is about 2,000 rows).
const ROWS_PER_TASK: usize = 64;

/// Rows per task for `rows` rows: whole tiles, and at least four tasks per thread, so that one
/// input of 40 tokens (batch 1) still keeps every core busy.
fn rows_per_task(rows: usize) -> usize {
    let per = rows.div_ceil(4 * rayon::current_num_threads().max(1));
    per.div_ceil(MR)
        .max(1)
        .saturating_mul(MR)
        .min(ROWS_PER_TASK)
}

/// W quantized per output channel and packed for the kernels: for each block of 16 outputs and
/// each group of 4 inputs, 64 bytes (output-major, 4 inputs each) — one row of an AMX B tile.
#[derive(Debug, Clone)]
pub struct QWeights {
    packed: Vec<i8>,
    scales: Vec<f32>,
    col_sums: Vec<i32>,
    /// −zero · Σ_k w per column, for an even number of blocks: what the AMX kernel starts its
    /// accumulators from, so that its way out only scales.
    offsets: Vec<i32>,
    /// What u is for x = 0 with `Inputs::Any` (128), or 0 with `Inputs::AtLeast`.
    zero: i32,
    /// Added to x before it is quantized (`Inputs::AtLeast(-shift)`), else 0.
    shift: f32,
    /// −shift · s_w · Σ_k w per column: takes the shift off again on the way out.
    correction: Vec<f32>,
    k: usize,
    n: usize,
    groups: usize,
    blocks: usize,
}

impl QWeights {
    /// Quantizes W, row-major `n × k` (outputs × inputs, as checkpoints store a linear layer),
    /// for inputs of any sign. See `quantize_for`.
    pub fn quantize(w: &[f32], n: usize, k: usize) -> Self {
        Self::quantize_for(w, n, k, Inputs::Any)
    }

    /// Quantizes W for the inputs it will see: each output's weights are one contiguous row,
    /// so no transposed copy is made. Blocks of 16 outputs are packed in parallel; this is part
    /// of model load time.
    pub fn quantize_for(w: &[f32], n: usize, k: usize, inputs: Inputs) -> Self {
        assert_eq!(w.len(), n * k, "weights must be n × k");
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
                        sb[l] = amax / 127.0;
                    }
                    let inv = 1.0 / sb[l];
                    for (i, v) in row.iter().enumerate() {
                        let q = round_to_i8(v * inv);
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
            col_sums,
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
fn round_to_i8(v: f32) -> i8 {
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

/// Rows of x quantized to u8 (q + zero), padded to whole groups of 4, with their scales.
struct QRows {
    data: Vec<u8>,
    scales: Vec<f32>,
    stride: usize,
}

/// x's rows quantized, in parallel tasks or (`parallel` false, for callers that already split
/// the work) on the calling thread.
fn quantize_rows(x: &[f32], rows: usize, w: &QWeights, parallel: bool) -> QRows {
    let (k, stride) = (w.k, w.groups * 4);
    let mut data = vec![128u8; rows.next_multiple_of(ROW_TILES) * stride];
    let mut scales = vec![0f32; rows];
    let task = |t: usize, d: &mut [u8], s: &mut [f32]| {
        for (i, (row, scale)) in d.chunks_exact_mut(stride).zip(s.iter_mut()).enumerate() {
            let src = &x[(t * ROWS_PER_TASK + i) * k..][..k];
            *scale = match w.zero {
                0 => quantize_row_unsigned(src, w.shift, row),
                _ => quantize_row(src, row),
            };
        }
    };
    let (d, s) = (
        data.chunks_mut(stride * ROWS_PER_TASK),
        scales.chunks_mut(ROWS_PER_TASK),
    );
    if parallel {
        let (d, s) = (
            data.par_chunks_mut(stride * ROWS_PER_TASK),
            scales.par_chunks_mut(ROWS_PER_TASK),
        );
        d.zip(s).enumerate().for_each(|(t, (d, s))| task(t, d, s));
    } else {
        d.zip(s).enumerate().for_each(|(t, (d, s))| task(t, d, s));
    }
    QRows {
        data,
        scales,
        stride,
    }
}

/// Quantizes one row into `row` (u = q + 128) and returns its scale; the AVX-512 build of the
/// same code where the CPU has it (the crate is compiled for baseline x86-64, where these loops
/// only get SSE: 17% of an int8 run in `perf`).
fn quantize_row(src: &[f32], row: &mut [u8]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512bw") {
        // SAFETY: the features were just detected.
        return unsafe { quantize_row_avx512(src, row) };
    }
    quantize_row_any(src, row)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn quantize_row_avx512(src: &[f32], row: &mut [u8]) -> f32 {
    use std::arch::x86_64::*;
    let n16 = src.len() / 16 * 16;
    let sign = _mm512_set1_ps(-0.0);
    let mut m = _mm512_setzero_ps();
    let mut nan: __mmask16 = 0;
    for i in (0..n16).step_by(16) {
        let v = _mm512_loadu_ps(src.as_ptr().add(i));
        nan |= _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(v, v);
        m = _mm512_max_ps(m, _mm512_andnot_ps(sign, v));
    }
    let tail = &src[n16..];
    let amax = tail
        .iter()
        .fold(_mm512_reduce_max_ps(m), |a, x| a.max(x.abs()));
    if nan != 0 || tail.iter().any(|x| x.is_nan()) || !amax.is_finite() {
        return f32::NAN;
    }
    if amax == 0.0 {
        return 0.0;
    }
    let inv = 127.0 / amax;
    let (vinv, half) = (_mm512_set1_ps(inv), _mm512_set1_ps(128.5));
    for i in (0..n16).step_by(16) {
        let v = _mm512_fmadd_ps(_mm512_loadu_ps(src.as_ptr().add(i)), vinv, half);
        let bytes = _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(v));
        _mm_storeu_si128(row.as_mut_ptr().add(i) as *mut __m128i, bytes);
    }
    for (u, v) in row[n16..].iter_mut().zip(tail) {
        *u = (v * inv + 128.5) as i32 as u8;
    }
    amax / 127.0
}

#[inline(always)]
fn quantize_row_any(src: &[f32], row: &mut [u8]) -> f32 {
    let amax = abs_max(src);
    if amax == 0.0 || !amax.is_finite() {
        return if amax.is_finite() { 0.0 } else { f32::NAN };
    }
    let inv = 127.0 / amax;
    // q + 128 rounded half up, as one cast: `f32::round` is a libm call per element, and
    // quantizing took 32% of an int8 run in `perf` with it.
    for (u, v) in row.iter_mut().zip(src) {
        *u = (v * inv + 128.5) as i32 as u8; // in [0.5, 255.5]: i32 is exact
    }
    amax / 127.0
}

/// Quantizes `src + shift` (≥ 0) into `row` as u in [0, 255] and returns its scale; on
/// AVX-512 where the CPU has it (as plain loops the float-to-byte casts did not vectorise: 22%
/// of an int8 run in `perf`).
fn quantize_row_unsigned(src: &[f32], shift: f32, row: &mut [u8]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512bw") {
        // SAFETY: the features were just detected.
        return unsafe { quantize_row_unsigned_avx512(src, shift, row) };
    }
    quantize_row_unsigned_any(src, shift, row)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn quantize_row_unsigned_avx512(src: &[f32], shift: f32, row: &mut [u8]) -> f32 {
    use std::arch::x86_64::*;
    let n16 = src.len() / 16 * 16;
    let mut m = _mm512_set1_ps(f32::NEG_INFINITY);
    let mut nan: __mmask16 = 0;
    for i in (0..n16).step_by(16) {
        let v = _mm512_loadu_ps(src.as_ptr().add(i));
        nan |= _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(v, v);
        m = _mm512_max_ps(m, v);
    }
    let tail = &src[n16..];
    let top = tail.iter().fold(_mm512_reduce_max_ps(m), |a, x| a.max(*x));
    let max = top + shift;
    if nan != 0 || tail.iter().any(|x| x.is_nan()) || max == f32::INFINITY {
        return f32::NAN;
    }
    if max <= 0.0 {
        row[..src.len()].fill(0);
        return 0.0;
    }
    let inv = 255.0 / max;
    let (vinv, vshift, half) = (
        _mm512_set1_ps(inv),
        _mm512_set1_ps(shift),
        _mm512_set1_ps(0.5),
    );
    let (lo, hi) = (_mm512_setzero_ps(), _mm512_set1_ps(255.0));
    for i in (0..n16).step_by(16) {
        let v = _mm512_add_ps(_mm512_loadu_ps(src.as_ptr().add(i)), vshift);
        let v = _mm512_min_ps(_mm512_max_ps(_mm512_fmadd_ps(v, vinv, half), lo), hi);
        let bytes = _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(v));
        _mm_storeu_si128(row.as_mut_ptr().add(i) as *mut __m128i, bytes);
    }
    for (u, v) in row[n16..].iter_mut().zip(tail) {
        *u = ((v + shift) * inv + 0.5).clamp(0.0, 255.0) as u8;
    }
    max / 255.0
}

#[inline(always)]
fn quantize_row_unsigned_any(src: &[f32], shift: f32, row: &mut [u8]) -> f32 {
    // The largest x, in 16 lanes so that it vectorises (an empty row gives −∞: scale 0).
    let mut lanes = [f32::NEG_INFINITY; 16];
    let mut nan = false;
    let chunks = src.chunks_exact(16);
    let tail = chunks.remainder();
    for c in chunks {
        for (m, x) in lanes.iter_mut().zip(c) {
            nan |= x.is_nan();
            *m = if *x > *m { *x } else { *m };
        }
    }
    let max = tail
        .iter()
        .chain(&lanes)
        .fold(f32::NEG_INFINITY, |m, x| m.max(*x))
        + shift;
    if nan || tail.iter().any(|x| x.is_nan()) || max == f32::INFINITY {
        return f32::NAN;
    }
    if max <= 0.0 {
        row[..src.len()].fill(0);
        return 0.0;
    }
    let inv = 255.0 / max;
    for (u, v) in row.iter_mut().zip(src) {
        // in [0, 255.5] after the clamp: the cast is exact and rounds half up.
        *u = ((v + shift) * inv + 0.5).clamp(0.0, 255.0) as u8;
    }
    max / 255.0
}

/// The largest |v| (NaN when some v is NaN), in 16 lanes so that it vectorises.
#[inline(always)]
fn abs_max(v: &[f32]) -> f32 {
    let mut lanes = [0f32; 16];
    let mut nan = false;
    let chunks = v.chunks_exact(16);
    let tail = chunks.remainder();
    for c in chunks {
        for (m, x) in lanes.iter_mut().zip(c) {
            let a = x.abs();
            nan |= a.is_nan();
            *m = if a > *m { a } else { *m };
        }
    }
    let m = tail.iter().chain(&lanes).fold(0f32, |m, x| m.max(x.abs()));
    if nan || tail.iter().any(|x| x.is_nan()) {
        f32::NAN
    } else {
        m
    }
}

/// The kernels, fastest first; each computes the same integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// AMX-INT8 tiles (`amx.rs`).
    Amx,
    /// AVX512-VNNI `vpdpbusd` (`vnni.rs`).
    Vnni,
    /// AVX2 `vpmaddwd` on widened bytes (`avx2.rs`).
    Avx2,
    /// Plain Rust, one output at a time.
    Portable,
}

impl Kernel {
    const ALL: [Kernel; 4] = [Kernel::Amx, Kernel::Vnni, Kernel::Avx2, Kernel::Portable];

    /// The fastest kernel this CPU (and, for AMX, the OS) allows; `STANCER_INT8_KERNEL=vnni`,
    /// `avx2` or `portable` asks for a slower one, for comparisons.
    pub fn detect() -> Kernel {
        static KERNEL: std::sync::OnceLock<Kernel> = std::sync::OnceLock::new();
        *KERNEL.get_or_init(|| {
            let asked = match std::env::var("STANCER_INT8_KERNEL").as_deref() {
                Ok("vnni") => Kernel::Vnni,
                Ok("avx2") => Kernel::Avx2,
                Ok("portable") => Kernel::Portable,
                _ => Kernel::Amx,
            };
            asked.or_next()
        })
    }

    /// Whether this CPU (and, for AMX, the OS) runs this kernel.
    pub fn available(self) -> bool {
        #[cfg(target_arch = "x86_64")]
        let avx512 = || {
            std::is_x86_feature_detected!("avx512f")
                && std::is_x86_feature_detected!("avx512bw")
                && std::is_x86_feature_detected!("avx512vnni")
        };
        match self {
            #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
            Kernel::Amx => amx::available(),
            #[cfg(target_arch = "x86_64")]
            Kernel::Vnni => avx512(),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => std::is_x86_feature_detected!("avx2"),
            Kernel::Portable => true,
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }

    /// This kernel if it is available, else the next one that is.
    fn or_next(self) -> Kernel {
        Kernel::ALL
            .into_iter()
            .skip_while(|k| *k != self)
            .find(|k| k.available())
            .unwrap_or(Kernel::Portable)
    }

    /// The kernel that runs for `w` when this one is asked for.
    fn usable_for(self, w: &QWeights) -> Kernel {
        if w.groups == 0 {
            return Kernel::Portable; // k = 0: nothing to multiply
        }
        self.or_next()
    }

    /// Rows per parallel task: AMX works on whole pairs of row tiles.
    fn rows_per_task(self, rows: usize) -> usize {
        match self {
            Kernel::Amx => {
                let per = rows.div_ceil(2 * rayon::current_num_threads().max(1));
                per.next_multiple_of(ROW_TILES).min(2 * ROW_TILES)
            }
            _ => rows_per_task(rows),
        }
    }
}

/// Something done in place to some whole rows of a product's output (an activation).
pub type RowsFn = dyn Fn(&mut [f32]) + Sync;

/// What a product does with `y`'s rows around `x · Wᵀ`: done by each parallel task on its own
/// rows while they are in cache. As separate passes over the whole buffer (fill with the bias,
/// then GELU), the intermediate layer's 12 MB output was read and written three more times, and
/// those passes took a fifth of an int8 run in `perf` once AMX made the products fast.
#[derive(Clone, Copy, Default)]
pub struct Epilogue<'a> {
    /// `y` starts as this row (a bias) instead of adding to what it holds.
    pub bias: Option<&'a [f32]>,
    /// Applied to the finished rows (an activation), a task's rows at a time.
    pub then: Option<&'a RowsFn>,
}

/// `y += x · Wᵀ` for `rows` rows of `x` (`rows × w.k()`), `y` being `rows × w.n()`, on the
/// fastest kernel this CPU has.
pub fn accumulate(x: &[f32], rows: usize, w: &QWeights, y: &mut [f32]) {
    product(Kernel::detect(), x, rows, w, y, Epilogue::default())
}

/// `y = then(bias + x · Wᵀ)` (or `y += x · Wᵀ`, then `then`, without a bias) on the fastest kernel.
pub fn linear(x: &[f32], rows: usize, w: &QWeights, y: &mut [f32], epilogue: Epilogue) {
    product(Kernel::detect(), x, rows, w, y, epilogue)
}

/// The product on a chosen kernel (one the CPU lacks falls back to the next), split over the
/// threads by rows.
pub fn product(
    kernel: Kernel,
    x: &[f32],
    rows: usize,
    w: &QWeights,
    y: &mut [f32],
    epilogue: Epilogue,
) {
    check(x, rows, w, y, epilogue);
    if rows == 0 {
        return;
    }
    let kernel = kernel.usable_for(w);
    let q = quantize_rows(x, rows, w, true);
    let per = kernel.rows_per_task(rows);
    y[..rows * w.n]
        .par_chunks_mut(w.n * per)
        .enumerate()
        .for_each(|(t, yc)| run(kernel, &q, t * per, w, yc, epilogue));
}

/// `linear` on the calling thread, for callers that already split the work over the threads
/// (a sequence per task, so that a layer's buffers stay in the core's cache).
pub fn linear_here(x: &[f32], rows: usize, w: &QWeights, y: &mut [f32], epilogue: Epilogue) {
    check(x, rows, w, y, epilogue);
    if rows == 0 {
        return;
    }
    let kernel = Kernel::detect().usable_for(w);
    let q = quantize_rows(x, rows, w, false);
    run(kernel, &q, 0, w, &mut y[..rows * w.n], epilogue);
}

fn check(x: &[f32], rows: usize, w: &QWeights, y: &[f32], epilogue: Epilogue) {
    assert!(x.len() >= rows * w.k && y.len() >= rows * w.n, "shapes");
    if let Some(b) = epilogue.bias {
        assert_eq!(b.len(), w.n, "one bias per output");
    }
}

/// Rows `r0 ..` of the product into `yc` (whole rows of `y`, those rows only), with the epilogue.
fn run(kernel: Kernel, q: &QRows, r0: usize, w: &QWeights, yc: &mut [f32], epilogue: Epilogue) {
    let n_rows = yc.len() / w.n;
    if let (Some(b), false) = (epilogue.bias, kernel == Kernel::Amx) {
        yc.chunks_exact_mut(w.n).for_each(|r| r.copy_from_slice(b));
    }
    // SAFETY (both): the kernel's CPU features were detected (and AMX's tile data permitted) by
    // `Kernel::available`; every index is within the buffers by construction of `QRows` and
    // `QWeights`, which are padded to the tiles the kernels read; r0 is a multiple of the
    // kernel's rows per task.
    match kernel {
        #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
        Kernel::Amx => unsafe { amx::rows(q, r0, n_rows, w, yc, epilogue.bias) },
        #[cfg(target_arch = "x86_64")]
        Kernel::Vnni => unsafe { vnni::rows(q, r0, n_rows, w, yc) },
        #[cfg(target_arch = "x86_64")]
        Kernel::Avx2 => unsafe { avx2::rows(q, r0, n_rows, w, yc) },
        _ => portable_rows(q, r0, n_rows, w, yc),
    }
    if let Some(f) = epilogue.then {
        f(yc);
    }
}

/// The same integers as the VNNI kernel, one output at a time.
fn portable_rows(q: &QRows, r0: usize, n_rows: usize, w: &QWeights, y: &mut [f32]) {
    for i in 0..n_rows {
        let u = &q.data[(r0 + i) * q.stride..][..q.stride];
        let sx = q.scales[r0 + i];
        for j in 0..w.n {
            let (b, l) = (j / LANES, j % LANES);
            let mut acc = 0i32;
            for g in 0..w.groups {
                let wq = &w.packed[((b * w.groups + g) * LANES + l) * 4..][..4];
                for t in 0..4 {
                    acc += u[g * 4 + t] as i32 * wq[t] as i32;
                }
            }
            let exact = (acc - w.zero * w.col_sums[j]) as f32;
            y[i * w.n + j] += exact * (sx * w.scales[j]) + w.correction[j];
        }
    }
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod amx;
#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod vnni;

#[cfg(test)]
mod tests {
    use super::*;

    fn data(len: usize, seed: u32) -> Vec<f32> {
        let mut s = seed;
        (0..len)
            .map(|_| {
                s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (s >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0
            })
            .collect()
    }

    /// `k × n` → `n × k`.
    fn transposed(wt: &[f32], k: usize, n: usize) -> Vec<f32> {
        (0..n * k).map(|e| wt[(e % k) * n + e / k]).collect()
    }

    /// Every kernel gives the integers the definition gives (they must agree exactly), and the
    /// product is within the error int8 rounding allows of the f32 product.
    #[test]
    fn kernels_match_the_definition_and_f32_within_rounding() {
        let shapes = [
            (1, 384, 384),
            (7, 384, 1152),
            (70, 130, 37),
            (5, 3, 16),
            (97, 1536, 384),
            (33, 64, 48),
        ];
        for (rows, k, n) in shapes {
            let x = data(rows * k, 1);
            let wt = data(k * n, 2);
            let w = QWeights::quantize(&transposed(&wt, k, n), n, k);
            let bias = data(rows * n, 3);
            let q = quantize_rows(&x, rows, &w, false);
            let mut slow = bias.clone();
            portable_rows(&q, 0, rows, &w, &mut slow);
            let mut fast = bias.clone();
            for kernel in Kernel::ALL {
                fast.copy_from_slice(&bias);
                product(kernel, &x, rows, &w, &mut fast, Epilogue::default());
                for (a, b) in fast.iter().zip(&slow) {
                    assert!(
                        (a - b).abs() <= 1e-4 * b.abs().max(1.0),
                        "{kernel:?}: {a} vs {b} ({rows}×{k}×{n})"
                    );
                }
            }
            // Against f32: each product term is off by at most half a step of each factor.
            let wd = w.dequantize();
            for r in 0..rows {
                let xr = &x[r * k..][..k];
                let amax = xr.iter().fold(0f32, |m, v| m.max(v.abs()));
                for j in 0..n {
                    let exact: f32 =
                        bias[r * n + j] + (0..k).map(|i| xr[i] * wt[i * n + j]).sum::<f32>();
                    let bound = (0..k)
                        .map(|i| {
                            (amax / 254.0) * wd[i * n + j].abs() + xr[i].abs() * w.scales[j] / 2.0
                        })
                        .sum::<f32>();
                    let got = fast[r * n + j];
                    assert!(
                        (got - exact).abs() <= bound + 1e-4,
                        "{got} vs {exact} (bound {bound})"
                    );
                }
            }
        }
    }

    /// With a bias and an activation, every kernel gives `act(b + x · Wᵀ)`, and the same floats,
    /// split over the threads or on the calling thread (`linear_here`, the by-sequence path).
    #[test]
    fn bias_and_activation_are_applied_by_every_kernel() {
        let (rows, k, n) = (45, 128, 48);
        let x = data(rows * k, 8);
        let w = QWeights::quantize(&data(n * k, 9), n, k);
        let bias = data(n, 10);
        let relu = |c: &mut [f32]| c.iter_mut().for_each(|v| *v = v.max(0.0));
        let epilogue = Epilogue {
            bias: Some(&bias),
            then: Some(&relu),
        };
        let mut want = vec![0f32; rows * n];
        accumulate_with_portable(&x, rows, &w, &mut want);
        for (i, v) in want.iter_mut().enumerate() {
            *v = (*v + bias[i % n]).max(0.0);
        }
        for kernel in Kernel::ALL {
            let mut got = vec![f32::NAN; rows * n];
            product(kernel, &x, rows, &w, &mut got, epilogue);
            let mut here = vec![f32::NAN; rows * n];
            linear_here(&x, rows, &w, &mut here, epilogue);
            assert_eq!(got, here, "{kernel:?}");
            for (a, b) in got.iter().zip(&want) {
                assert!(
                    (a - b).abs() <= 1e-4 * b.abs().max(1.0),
                    "{kernel:?}: {a} vs {b}"
                );
            }
        }
        assert!(want.contains(&0.0) && want.iter().any(|v| *v > 0.0));
    }

    /// Inputs known to be ≥ −0.17 (GELU's outputs) quantized from there up: every kernel gives
    /// the same result, and it is closer to f32 than the symmetric quantization of the same
    /// inputs (one more bit).
    #[test]
    fn inputs_with_a_floor_use_the_unsigned_range() {
        let (rows, k, n) = (37, 256, 40);
        // GELU-like rows: mostly small, down to −0.17, a few large.
        let x: Vec<f32> = data(rows * k, 11)
            .iter()
            .map(|v| if *v > 0.8 { (v - 0.8) * 20.0 } else { v * 0.17 })
            .collect();
        assert!(x.iter().all(|v| *v >= -0.17) && x.iter().any(|v| *v > 1.0));
        let w = data(n * k, 12);
        let exact: Vec<f32> = (0..rows * n)
            .map(|e| {
                let (r, j) = (e / n, e % n);
                (0..k).map(|i| x[r * k + i] * w[j * k + i]).sum()
            })
            .collect();
        let error = |inputs: Inputs| {
            let q = QWeights::quantize_for(&w, n, k, inputs);
            let mut want = vec![0f32; rows * n];
            accumulate_with_portable(&x, rows, &q, &mut want);
            for kernel in Kernel::ALL {
                let mut got = vec![0f32; rows * n];
                product(kernel, &x, rows, &q, &mut got, Epilogue::default());
                assert_eq!(got, want, "{kernel:?} {inputs:?}");
            }
            want.iter()
                .zip(&exact)
                .map(|(a, b)| (a - b).abs())
                .sum::<f32>()
                / exact.len() as f32
        };
        let (signed, unsigned) = (error(Inputs::Any), error(Inputs::AtLeast(-0.17)));
        assert!(
            unsigned < 0.75 * signed,
            "mean error {unsigned} vs {signed}"
        );
    }

    fn accumulate_with_portable(x: &[f32], rows: usize, w: &QWeights, y: &mut [f32]) {
        let q = quantize_rows(x, rows, w, false);
        portable_rows(&q, 0, rows, w, y);
    }

    /// A CPU that has AMX-INT8 runs it: otherwise a faster kernel is silently lost (a Linux that
    /// refused the tile permission would show here).
    #[test]
    fn amx_is_used_where_the_cpu_has_it() {
        #[cfg(target_arch = "x86_64")]
        {
            let edx = std::arch::x86_64::__cpuid_count(7, 0).edx;
            let cpu_has = edx & (1 << 24) != 0 && edx & (1 << 25) != 0;
            if cpu_has && cfg!(target_os = "linux") {
                assert_eq!(Kernel::Amx.or_next(), Kernel::Amx);
            } else {
                assert_ne!(Kernel::Amx.or_next(), Kernel::Amx);
            }
        }
    }

    #[test]
    fn row_quantization_is_the_same_on_every_cpu_within_one_step() {
        let x = data(1000, 7);
        let mut any = vec![0u8; 1000];
        let mut here = vec![0u8; 1000];
        let s_any = quantize_row_any(&x, &mut any);
        let s_here = quantize_row(&x, &mut here);
        assert_eq!(s_any, s_here);
        assert!(any.iter().zip(&here).all(|(a, b)| a.abs_diff(*b) <= 1));
        assert!(quantize_row(&[1.0, f32::NAN], &mut [0; 2]).is_nan());
        assert_eq!(quantize_row(&[0.0; 20], &mut [0; 20]), 0.0);
        // From a floor: the row's largest value is 255, its floor 0.
        let gelu: Vec<f32> = x.iter().map(|v| v.max(-0.17)).collect();
        let mut u = vec![0u8; 1000];
        let s = quantize_row_unsigned(&gelu, 0.17, &mut u);
        let top = gelu.iter().cloned().fold(f32::MIN, f32::max);
        assert!((s - (top + 0.17) / 255.0).abs() < 1e-7);
        assert_eq!(u.iter().max(), Some(&255));
        for (q, v) in u.iter().zip(&gelu) {
            assert!((*q as f32 * s - 0.17 - v).abs() <= s / 2.0 + 1e-6);
        }
        assert!(quantize_row_unsigned(&[1.0, f32::NAN], 0.17, &mut [0; 2]).is_nan());
        assert_eq!(quantize_row_unsigned(&[-0.17; 20], 0.17, &mut [9; 20]), 0.0);
        let mut any = vec![0u8; 1000];
        assert_eq!(quantize_row_unsigned_any(&gelu, 0.17, &mut any), s);
        assert!(any.iter().zip(&u).all(|(a, b)| a.abs_diff(*b) <= 1));
    }

    #[test]
    fn zero_rows_and_columns_stay_exact() {
        let (k, n) = (8, 20);
        let mut wt = data(k * n, 4);
        for i in 0..k {
            wt[i * n + 3] = 0.0;
        }
        let w = QWeights::quantize(&transposed(&wt, k, n), n, k);
        let mut x = data(2 * k, 5);
        x[..k].iter_mut().for_each(|v| *v = 0.0);
        let mut y = vec![0.5f32; 2 * n];
        accumulate(&x, 2, &w, &mut y);
        assert!(y[..n].iter().all(|v| *v == 0.5), "a zero row adds nothing");
        assert_eq!(y[n + 3], 0.5, "a zero column adds nothing");
    }
}
