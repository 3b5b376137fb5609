//! Optional OpenBLAS matmul for the BERT encoder's linear layers (`--features openblas`).
//!
//! candle's CPU matmul (the `gemm` crate) has no AVX-512 kernels on stable Rust; on an AVX-512
//! machine OpenBLAS's sgemm is close to MKL's. Needs the system library (Debian:
//! `apt-get install libopenblas-dev`); the default build does not use it.

use candle_core::{Result, Tensor};

#[link(name = "openblas")]
extern "C" {
    fn cblas_sgemm(
        order: i32,
        trans_a: i32,
        trans_b: i32,
        m: i32,
        n: i32,
        k: i32,
        alpha: f32,
        a: *const f32,
        lda: i32,
        b: *const f32,
        ldb: i32,
        beta: f32,
        c: *mut f32,
        ldc: i32,
    );
}

/// Runs `f` on the tensor's f32 data without copying it (contiguous CPU tensors; others are
/// made contiguous first).
pub fn with_cpu_slice<R>(t: &Tensor, f: impl FnOnce(&[f32]) -> R) -> Result<R> {
    let t = if t.is_contiguous() {
        t.clone()
    } else {
        t.contiguous()?
    };
    let (storage, layout) = t.storage_and_layout();
    let (start, end) = layout
        .contiguous_offsets()
        .ok_or_else(|| candle_core::Error::Msg("not contiguous".into()))?;
    match &*storage {
        candle_core::Storage::Cpu(cpu) => Ok(f(&cpu.as_slice::<f32>()?[start..end])),
        _ => candle_core::bail!("expected a CPU tensor"),
    }
}

const ROW_MAJOR: i32 = 101;
const NO_TRANS: i32 = 111;

/// Weights of a linear layer kept as plain row-major f32 for sgemm.
pub struct BlasLinear {
    /// W^T, `inp × out`, row-major.
    weight_t: Vec<f32>,
    bias: Vec<f32>,
    inp: usize,
    out: usize,
}

impl BlasLinear {
    /// From W^T (`inp × out`) and the bias (`out`).
    pub fn new(weight_t: &Tensor, bias: &Tensor) -> Result<Self> {
        let (inp, out) = weight_t.dims2()?;
        Ok(BlasLinear {
            weight_t: weight_t.flatten_all()?.to_vec1()?,
            bias: bias.to_vec1()?,
            inp,
            out,
        })
    }

    /// `x · W^T + b` for a 2-D `x` (`rows × inp`).
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        self.forward_then(x, |_| {})
    }

    /// Like `forward`, then `post` on the output buffer in place (a fused activation).
    pub fn forward_then(&self, x: &Tensor, post: impl FnOnce(&mut [f32])) -> Result<Tensor> {
        let (rows, inp) = x.dims2()?;
        if inp != self.inp {
            candle_core::bail!(
                "linear: input has {inp} features, weights expect {}",
                self.inp
            );
        }
        let mut c: Vec<f32> = Vec::with_capacity(rows * self.out);
        for _ in 0..rows {
            c.extend_from_slice(&self.bias);
        }
        with_cpu_slice(x, |a| {
            // SAFETY: a is rows×inp, weight_t is inp×out, c is rows×out, all row-major and live
            // for the call; the leading dimensions match those shapes.
            unsafe {
                cblas_sgemm(
                    ROW_MAJOR,
                    NO_TRANS,
                    NO_TRANS,
                    rows as i32,
                    self.out as i32,
                    inp as i32,
                    1.0,
                    a.as_ptr(),
                    inp as i32,
                    self.weight_t.as_ptr(),
                    self.out as i32,
                    1.0,
                    c.as_mut_ptr(),
                    self.out as i32,
                );
            }
        })?;
        post(&mut c);
        Tensor::from_vec(c, (rows, self.out), x.device())
    }
}

const TRANS: i32 = 112;

/// Multi-head self-attention straight from the fused QKV matrix (`(b·n) × 3h`), writing the
/// context in `(b·n) × h` layout: no split, transpose or copy. `additive` is the mask row per
/// sequence (`b × n`: 0 for tokens, a large negative number for padding).
pub fn attention(
    qkv: &Tensor,
    additive: &[f32],
    b: usize,
    n: usize,
    heads: usize,
) -> Result<Tensor> {
    use rayon::prelude::*;
    let (_, h3) = qkv.dims2()?;
    let h = h3 / 3;
    let d = h / heads;
    let scale = 1.0 / (d as f32).sqrt();
    let mut ctx = vec![0f32; b * n * h];
    with_cpu_slice(qkv, |qkv_v| {
        ctx.par_chunks_mut(n * h).enumerate().for_each(|(bi, out)| {
            let mut scores = vec![0f32; n * n];
            let base = bi * n * h3;
            let mask = &additive[bi * n..(bi + 1) * n];
            for head in 0..heads {
                let q = &qkv_v[base + head * d..];
                let k = &qkv_v[base + h + head * d..];
                let v = &qkv_v[base + 2 * h + head * d..];
                // SAFETY: q, k, v point into qkv_v at row stride 3h with n rows of d columns each
                // (the slices start inside the buffer and the last row ends before its end);
                // scores is n×n; out is this sequence's n×h block, written at column head·d.
                unsafe {
                    cblas_sgemm(
                        ROW_MAJOR,
                        NO_TRANS,
                        TRANS,
                        n as i32,
                        n as i32,
                        d as i32,
                        scale,
                        q.as_ptr(),
                        h3 as i32,
                        k.as_ptr(),
                        h3 as i32,
                        0.0,
                        scores.as_mut_ptr(),
                        n as i32,
                    );
                }
                for row in scores.chunks_mut(n) {
                    let mut max = f32::NEG_INFINITY;
                    for (s, m) in row.iter_mut().zip(mask) {
                        *s += m;
                        max = max.max(*s);
                    }
                    let mut sum = 0.0;
                    for s in row.iter_mut() {
                        *s = (*s - max).exp();
                        sum += *s;
                    }
                    let inv = 1.0 / sum;
                    row.iter_mut().for_each(|s| *s *= inv);
                }
                unsafe {
                    cblas_sgemm(
                        ROW_MAJOR,
                        NO_TRANS,
                        NO_TRANS,
                        n as i32,
                        d as i32,
                        n as i32,
                        1.0,
                        scores.as_ptr(),
                        n as i32,
                        v.as_ptr(),
                        h3 as i32,
                        0.0,
                        out[head * d..].as_mut_ptr(),
                        h as i32,
                    );
                }
            }
        })
    })?;
    Tensor::from_vec(ctx, (b * n, h), qkv.device())
}
