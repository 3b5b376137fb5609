//! The AMX kernel: `tdpbusd` on 16 × 64-byte tiles, 32 rows × 32 columns (four i32 tiles) at a
//! time, for the CPUs that have AMX-INT8 (Intel Sapphire Rapids and later).
//!
//! The packed weights are already in the layout AMX wants for B: for one block of 16 columns,
//! each group of 4 inputs is one 64-byte tile row, so 16 groups (64 inputs) are one 1 KiB tile
//! with a stride of 64 bytes. The rows of x are tile A as they are (u8, one row per tile row).
//! Tiles are stored to a buffer and leave through the VNNI kernel's `add_dequantized`.
//!
//! Linux keeps AMX's tile data switched off for a process until it asks for it
//! (`arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA)`); `available` asks once, and without
//! the permission the VNNI kernel runs instead. The instructions are written as inline assembly
//! because Rust's AMX intrinsics are not stable.

use std::arch::asm;
use std::arch::x86_64::*;
use std::sync::OnceLock;

use super::vnni::column_mask;
use super::{QRows, QWeights, K_TILE, LANES, ROW_TILES};

const ARCH_REQ_XCOMP_PERM: libc::c_ulong = 0x1023;
const XFEATURE_XTILEDATA: libc::c_ulong = 18;
/// Bytes of one tile row, and rows of one tile (palette 1: 16 × 64 bytes).
const TILE_BYTES: usize = 64;
const TILE_ROWS: usize = 16;

/// Whether this CPU has AMX-INT8 (and AVX-512 for the way out) and Linux lets this process use
/// it. Asked once per process: the permission is the process's, for all its threads.
pub fn available() -> bool {
    static OK: OnceLock<bool> = OnceLock::new();
    *OK.get_or_init(|| cpu_has_amx_int8() && request_tile_data())
}

fn cpu_has_amx_int8() -> bool {
    if !(std::is_x86_feature_detected!("avx512f")
        && std::is_x86_feature_detected!("avx512bw")
        && std::is_x86_feature_detected!("avx512vnni"))
    {
        return false;
    }
    // CPUID.(EAX=7, ECX=0):EDX bit 24 is AMX-TILE, bit 25 AMX-INT8.
    let leaf7 = __cpuid_count(7, 0);
    leaf7.edx & (1 << 24) != 0 && leaf7.edx & (1 << 25) != 0
}

fn request_tile_data() -> bool {
    // SAFETY: arch_prctl with these arguments only changes this process's XSAVE permissions.
    unsafe {
        libc::syscall(
            libc::SYS_arch_prctl,
            ARCH_REQ_XCOMP_PERM,
            XFEATURE_XTILEDATA,
        ) == 0
    }
}

/// The tile configuration (`ldtilecfg`'s 64-byte operand): palette 1, tiles 0–3 the i32
/// accumulators, 4–5 two row tiles of x, 6–7 two column blocks of W; all 16 rows × 64 bytes.
#[repr(C, align(64))]
struct TileConfig {
    palette: u8,
    start_row: u8,
    reserved: [u8; 14],
    colsb: [u16; 16],
    rows: [u8; 16],
}

impl TileConfig {
    fn all_full() -> Self {
        let mut cfg = TileConfig {
            palette: 1,
            start_row: 0,
            reserved: [0; 14],
            colsb: [0; 16],
            rows: [0; 16],
        };
        cfg.colsb[..8].fill(TILE_BYTES as u16);
        cfg.rows[..8].fill(TILE_ROWS as u8);
        cfg
    }
}

/// Four accumulator tiles as they are stored: `[tile][row][column]`.
#[repr(C, align(64))]
struct Accumulators([[[i32; LANES]; TILE_ROWS]; 4]);

/// Rows `r0 .. r0 + n_rows` of the product into `y` (those rows only): `y = bias + x · Wᵀ` with
/// a bias, else `y += x · Wᵀ`. `r0` is a multiple of `ROW_TILES`: x's rows are read in whole
/// pairs of tiles, into the padding of `QRows`.
///
/// # Safety
/// `available()` must have returned true; `q` and `w` must come from `quantize_rows` and
/// `QWeights::quantize` for the same k, and `y` must hold `n_rows` rows of `w.n`.
#[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
pub unsafe fn rows(
    q: &QRows,
    r0: usize,
    n_rows: usize,
    w: &QWeights,
    y: &mut [f32],
    bias: Option<&[f32]>,
) {
    debug_assert_eq!(r0 % ROW_TILES, 0);
    debug_assert_eq!(w.groups % (K_TILE / 4), 0);
    let cfg = TileConfig::all_full();
    asm!("ldtilecfg [{}]", in(reg) &cfg, options(nostack, readonly));
    let mut acc = Accumulators([[[0; LANES]; TILE_ROWS]; 4]);
    let steps = w.groups / (K_TILE / 4);
    let block_bytes = w.groups * 4 * LANES;
    for i in (0..n_rows).step_by(ROW_TILES) {
        let x0 = q.data.as_ptr().add((r0 + i) * q.stride);
        let sx = &q.scales[r0 + i..r0 + (i + ROW_TILES).min(n_rows)];
        for b in (0..w.blocks).step_by(2) {
            let w0 = w.packed.as_ptr().add(b * block_bytes);
            let start = w.offsets.as_ptr().add(b * LANES);
            if n_rows - i > TILE_ROWS {
                tiles(x0, q.stride, w0, block_bytes, steps, start, &mut acc);
            } else {
                // A sequence's last 16 rows or fewer: one row tile, not two of which one is
                // padding (a sequence of ~50 tokens computed 64 rows, now 48).
                tiles_16(x0, q.stride, w0, block_bytes, steps, start, &mut acc);
            }
            for ct in 0..2 {
                let j = (b + ct) * LANES;
                if j < w.n {
                    // the other is the zero block that makes the count even
                    let tiles = [&acc.0[ct], &acc.0[2 + ct]];
                    scale_out(&tiles, sx, j, w, y.as_mut_ptr().add(i * w.n), bias);
                }
            }
        }
    }
    asm!("tilerelease", options(nostack, nomem));
}

/// `y[r][j ..] = addend + (s_x[r] · s_w[j ..] · acc[r] + correction[j ..])` for the rows of two stacked tiles of one
/// column block; the addend is the bias or y itself. The accumulators already hold the column
/// sums' correction (`QWeights::offsets`).
#[target_feature(enable = "avx512f,avx512bw")]
#[inline]
unsafe fn scale_out(
    tiles: &[&[[i32; LANES]; TILE_ROWS]; 2],
    sx: &[f32],
    j: usize,
    w: &QWeights,
    y: *mut f32,
    bias: Option<&[f32]>,
) {
    let mask = column_mask(w.n, j);
    let sw = _mm512_maskz_loadu_ps(mask, w.scales.as_ptr().add(j));
    let b = bias.map(|b| _mm512_maskz_loadu_ps(mask, b.as_ptr().add(j)));
    let correction = _mm512_maskz_loadu_ps(mask, w.correction.as_ptr().add(j));
    for (r, &s) in sx.iter().enumerate() {
        let acc = &tiles[r / TILE_ROWS][r % TILE_ROWS];
        let yr = y.add(r * w.n + j);
        let v = _mm512_cvtepi32_ps(_mm512_load_si512(acc.as_ptr() as *const _));
        let addend = b.unwrap_or_else(|| _mm512_maskz_loadu_ps(mask, yr));
        // Not an FMA: rounded as the other kernels round, every kernel gives the same floats.
        let scaled = _mm512_mul_ps(v, _mm512_mul_ps(_mm512_set1_ps(s), sw));
        let out = _mm512_add_ps(_mm512_add_ps(scaled, correction), addend);
        _mm512_mask_storeu_ps(yr, mask, out);
    }
}

/// `acc` ← 32 rows of x from `x0` (row stride `x_stride`) times two column blocks of W from `w0`
/// (the second `block_bytes` further on), over `steps` tiles of 64 inputs, each accumulator
/// starting from the 16 offsets of its block at `start`.
#[inline(always)]
unsafe fn tiles(
    x0: *const u8,
    x_stride: usize,
    w0: *const i8,
    block_bytes: usize,
    steps: usize,
    start: *const i32,
    acc: &mut Accumulators,
) {
    asm!(
        // Every row of an accumulator starts as its block's offsets: a stride of 0 loads the
        // same 64 bytes into each.
        "tileloadd tmm0, [{s0} + {zero}*1]",
        "tileloadd tmm1, [{s0} + {zero}*1 + 64]",
        "tileloadd tmm2, [{s0} + {zero}*1]",
        "tileloadd tmm3, [{s0} + {zero}*1 + 64]",
        "2:",
        "tileloadd tmm4, [{x0} + {xs}*1]",
        "tileloadd tmm5, [{x1} + {xs}*1]",
        "tileloadd tmm6, [{w0} + {ws}*1]",
        "tileloadd tmm7, [{w1} + {ws}*1]",
        "tdpbusd tmm0, tmm4, tmm6",
        "tdpbusd tmm1, tmm4, tmm7",
        "tdpbusd tmm2, tmm5, tmm6",
        "tdpbusd tmm3, tmm5, tmm7",
        "add {x0}, 64",
        "add {x1}, 64",
        "add {w0}, 1024",
        "add {w1}, 1024",
        "dec {n}",
        "jnz 2b",
        "tilestored [{c} + {ws}*1], tmm0",
        "tilestored [{c} + {ws}*1 + 1024], tmm1",
        "tilestored [{c} + {ws}*1 + 2048], tmm2",
        "tilestored [{c} + {ws}*1 + 3072], tmm3",
        x0 = inout(reg) x0 => _,
        x1 = inout(reg) x0.add(TILE_ROWS * x_stride) => _,
        w0 = inout(reg) w0 => _,
        w1 = inout(reg) w0.add(block_bytes) => _,
        xs = in(reg) x_stride,
        ws = in(reg) TILE_BYTES,
        n = inout(reg) steps => _,
        c = in(reg) acc.0.as_mut_ptr(),
        s0 = in(reg) start,
        zero = in(reg) 0usize,
        options(nostack),
    );
}

/// `tiles` for 16 rows: `acc.0[0]` and `acc.0[1]` (the first row tile of each block) only.
#[inline(always)]
unsafe fn tiles_16(
    x0: *const u8,
    x_stride: usize,
    w0: *const i8,
    block_bytes: usize,
    steps: usize,
    start: *const i32,
    acc: &mut Accumulators,
) {
    asm!(
        "tileloadd tmm0, [{s0} + {zero}*1]",
        "tileloadd tmm1, [{s0} + {zero}*1 + 64]",
        "2:",
        "tileloadd tmm4, [{x0} + {xs}*1]",
        "tileloadd tmm6, [{w0} + {ws}*1]",
        "tileloadd tmm7, [{w1} + {ws}*1]",
        "tdpbusd tmm0, tmm4, tmm6",
        "tdpbusd tmm1, tmm4, tmm7",
        "add {x0}, 64",
        "add {w0}, 1024",
        "add {w1}, 1024",
        "dec {n}",
        "jnz 2b",
        "tilestored [{c} + {ws}*1], tmm0",
        "tilestored [{c} + {ws}*1 + 1024], tmm1",
        x0 = inout(reg) x0 => _,
        w0 = inout(reg) w0 => _,
        w1 = inout(reg) w0.add(block_bytes) => _,
        xs = in(reg) x_stride,
        ws = in(reg) TILE_BYTES,
        n = inout(reg) steps => _,
        c = in(reg) acc.0.as_mut_ptr(),
        s0 = in(reg) start,
        zero = in(reg) 0usize,
        options(nostack),
    );
}
