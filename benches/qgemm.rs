//! The int8 kernels on MiniLM's linear layers, one thread: GMAC/s of each kernel this CPU has, at
//! the shapes of one sequence (64 rows, `qgemm::linear_here`, as the by-sequence int8 encoder
//! runs them) and of a batch (2,048 rows, split over the threads).
//! `cargo bench --bench qgemm` (AVX2 on 8-bit and on 7-bit weights: `avx2.rs`)

use std::time::Instant;

use stancer::engine::kernels::qgemm::{self, Epilogue, Inputs, Kernel, QWeights};

fn data(len: usize, seed: u32) -> Vec<f32> {
    let mut s = seed;
    (0..len)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (s >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0
        })
        .collect()
}

fn main() {
    let shapes = [(384, 1152), (384, 384), (384, 1536), (1536, 384)];
    println!(
        "{:>8} {:>6} {:>6} {:>10} {:>10}",
        "rows", "k", "n", "kernel", "GMAC/s"
    );
    for rows in [64, 2048] {
        for (k, n) in shapes {
            let x = data(rows * k, 1);
            let wf = data(n * k, 2);
            let w8 = QWeights::quantize_levels(&wf, n, k, Inputs::Any, 127);
            let w7 = QWeights::quantize_levels(&wf, n, k, Inputs::Any, 63);
            let mut y = vec![0f32; rows * n];
            // AVX2 twice: on 8-bit weights (bytes widened to i16) and on the 7-bit weights it is
            // given at load (`vpmaddubsw`).
            for (kernel, w, bits) in [
                (Kernel::Amx, &w8, 8),
                (Kernel::Vnni, &w8, 8),
                (Kernel::AvxVnni, &w8, 8),
                (Kernel::Avx2, &w8, 8),
                (Kernel::Avx2, &w7, 7),
            ] {
                if !kernel.available() {
                    continue;
                }
                let macs = (rows * k * n) as f64;
                let reps = (4e10 / macs).ceil() as usize;
                let t = Instant::now();
                for _ in 0..reps {
                    qgemm::product(kernel, &x, rows, w, &mut y, Epilogue::default());
                }
                let s = t.elapsed().as_secs_f64();
                println!(
                    "{rows:>8} {k:>6} {n:>6} {:>10} {:>10.1}",
                    format!("{kernel:?}/{bits}"),
                    macs * reps as f64 / s / 1e9
                );
            }
        }
    }
}
