//! int8 matrix products for quantized linear layers: `y += x · Wᵀ` with W quantized once per
//! output channel (symmetric int8, `weights.rs`) and x per row at run time (`rows.rs`),
//! accumulated in i32.
//!
//! x is quantized symmetrically, x ≈ s_x · q with q in [−127, 127], and stored as u = q + 128
//! (u8), because AVX512-VNNI's `vpdpbusd` multiplies unsigned by signed bytes; the 128 · Σ_k w
//! this adds is taken off again with each column's weight sum. So
//!
//!   y[r][j] += s_x[r] · s_w[j] · (Σ_k u[r][k] · w[k][j] − 128 · Σ_k w[k][j]).
//!
//! A layer whose inputs have a floor (GELU's outputs, `Inputs::AtLeast`) has them quantized
//! unsigned from there instead, u = (x − floor) / s_x in [0, 255], and the floor taken off with
//! the column sums on the way out.
//!
//! AMX's `tdpbusd` and AVX512-VNNI's `vpdpbusd` take the same operands (u8 × i8 in groups of 4
//! into i32), so one packing of W serves every kernel. The kernel is chosen at run time: AMX-INT8
//! where the CPU has it and Linux grants the tile data (`amx.rs`), else AVX512-VNNI (`vnni.rs`),
//! else AVX-VNNI (`avxvnni.rs`), else AVX2 (`avx2.rs`, which is given 7-bit weights), else a
//! portable loop; for the same weights all compute the same integers and, rounding the same way
//! on the way out, the same floats (`stancer classify --precision int8` output is byte-identical
//! across them on the 785 NewsMTSC dev pairs).
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

mod rows;
#[cfg(test)]
mod tests;
mod weights;

use rows::{quantize_rows, QRows};
pub use weights::{Inputs, QWeights};

/// The kernels, fastest first; each computes the same integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// AMX-INT8 tiles (`amx.rs`).
    Amx,
    /// AVX512-VNNI `vpdpbusd` (`vnni.rs`).
    Vnni,
    /// AVX-VNNI: `vpdpbusd` on 256 bits (`avxvnni.rs`).
    AvxVnni,
    /// AVX2 `vpmaddubsw` on 7-bit weights, `vpmaddwd` on widened bytes for 8-bit ones (`avx2.rs`).
    Avx2,
    /// Plain Rust, one output at a time.
    Portable,
}

impl Kernel {
    const ALL: [Kernel; 5] = [
        Kernel::Amx,
        Kernel::Vnni,
        Kernel::AvxVnni,
        Kernel::Avx2,
        Kernel::Portable,
    ];

    /// The fastest kernel this CPU (and, for AMX, the OS) allows; `STANCER_INT8_KERNEL=vnni`,
    /// `avxvnni`, `avx2` or `portable` asks for a slower one, for comparisons.
    pub fn detect() -> Kernel {
        static KERNEL: std::sync::OnceLock<Kernel> = std::sync::OnceLock::new();
        *KERNEL.get_or_init(|| Kernel::named(std::env::var("STANCER_INT8_KERNEL").ok().as_deref()))
    }

    /// The kernel that runs when `STANCER_INT8_KERNEL` is `name` (`vnni`, `avxvnni`, `avx2`, `portable`;
    /// anything else or nothing: the fastest) on this CPU.
    pub fn named(name: Option<&str>) -> Kernel {
        let asked = match name {
            Some("vnni") => Kernel::Vnni,
            Some("avxvnni") => Kernel::AvxVnni,
            Some("avx2") => Kernel::Avx2,
            Some("portable") => Kernel::Portable,
            _ => Kernel::Amx,
        };
        asked.or_next()
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
            Kernel::AvxVnni => {
                std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("avxvnni")
            }
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

    /// The name `STANCER_INT8_KERNEL` and reports use.
    pub fn name(self) -> &'static str {
        match self {
            Kernel::Amx => "amx",
            Kernel::Vnni => "vnni",
            Kernel::AvxVnni => "avxvnni",
            Kernel::Avx2 => "avx2",
            Kernel::Portable => "portable",
        }
    }

    /// The weight magnitude this kernel reads exactly at full speed: 63 (7 bits) for AVX2,
    /// whose `vpmaddubsw` saturates on 8-bit weights; 127 for the others.
    pub fn weight_levels(self) -> i32 {
        match self {
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => avx2::SATURATION_FREE,
            _ => 127,
        }
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

/// `y = then(bias + x · Wᵀ)` (or `y += x · Wᵀ`, then `then`, without a bias) for `rows` rows of
/// `x` (`rows × w.k()`), `y` being `rows × w.n()`, on the fastest kernel this CPU has.
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
        Kernel::AvxVnni => unsafe { avxvnni::rows(q, r0, n_rows, w, yc) },
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
            let exact = (acc + w.offsets[j]) as f32;
            y[i * w.n + j] += exact * (sx * w.scales[j]) + w.correction[j];
        }
    }
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod amx;
#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avxvnni;
#[cfg(target_arch = "x86_64")]
mod vnni;
