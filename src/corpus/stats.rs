//! The mean net stance of a cell and its 95% interval, with quotes clustered in articles.
//!
//! Quotes of one article about one party are not independent (one speaker, one event, often
//! one paragraph), so an interval that treats them as independent is too narrow. The mean is
//! the ratio estimator Σ y_a / Σ n_a over articles a (y_a: the sum of the article's net stances,
//! each times its quote's weight, n_a: the sum of the weights; a quote that names the party
//! weighs 1, one that reaches it through its sentence or the headline 0.5, as in the article's own
//! cells, `pairs::Scope::cell_weight`), and its variance the cluster-robust (linearisation) variance
//!
//!   V = k/(k−1) · Σ_a (y_a − m·n_a)² / (Σ_a n_a)²,
//!
//! which needs only five running sums per cell, so a corpus is summarised in one pass with memory
//! per cell, not per article. It is the large-sample form of a bootstrap over articles; the test
//! below checks it against one. The interval is m ± t(k−1)·√V, clipped to [−1, 1]; with one
//! article there is no interval.

/// Running sums over articles for one cell (or one cell in one period).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClusterSums {
    /// Articles.
    pub k: u64,
    n: f64,
    y: f64,
    yy: f64,
    nn: f64,
    ny: f64,
}

/// A mean with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Mean over quotes.
    pub mean: f64,
    /// 95% interval, when there are at least two articles.
    pub interval: Option<(f64, f64)>,
}

impl ClusterSums {
    /// Adds one article's `n` quotes whose net stances sum to `y`.
    pub fn add_article(&mut self, n: f64, y: f64) {
        self.k += 1;
        self.n += n;
        self.y += y;
        self.yy += y * y;
        self.nn += n * n;
        self.ny += n * y;
    }

    /// The mean and its article-clustered 95% interval (`None` when empty).
    pub fn estimate(&self) -> Option<Estimate> {
        if self.k == 0 || self.n <= 0.0 {
            return None;
        }
        let m = self.y / self.n;
        let interval = (self.k >= 2).then(|| {
            let k = self.k as f64;
            let resid = (self.yy - 2.0 * m * self.ny + m * m * self.nn).max(0.0);
            let half = t975(self.k - 1) * (k / (k - 1.0) * resid).sqrt() / self.n;
            ((m - half).max(-1.0), (m + half).min(1.0))
        });
        Some(Estimate { mean: m, interval })
    }
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom.
pub fn t975(df: u64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[df as usize - 1],
        _ => {
            // Cornish–Fisher expansion around the normal quantile; within 1e-3 of the exact
            // value from 30 degrees of freedom on.
            let (z, v): (f64, f64) = (1.959_964, df as f64);
            z + (z.powi(3) + z) / (4.0 * v)
                + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * v * v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (64-bit LCG, high bits), so the test is repeatable.
    struct Lcg(u64);
    impl Lcg {
        fn unit(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// Articles with 1–8 quotes each, an article effect and quote noise: what clustering does.
    fn corpus(seed: u64, articles: usize) -> Vec<Vec<f64>> {
        let mut r = Lcg(seed);
        (0..articles)
            .map(|_| {
                let effect = r.unit() * 1.2 - 0.7;
                let n = 1 + (r.unit() * 8.0) as usize;
                (0..n)
                    .map(|_| (effect + r.unit() * 0.6 - 0.3).clamp(-1.0, 1.0))
                    .collect()
            })
            .collect()
    }

    fn percentile_bootstrap(arts: &[Vec<f64>], reps: usize, seed: u64) -> (f64, f64) {
        let mut r = Lcg(seed);
        let mut means: Vec<f64> = (0..reps)
            .map(|_| {
                let (mut n, mut y) = (0.0, 0.0);
                for _ in 0..arts.len() {
                    let a = &arts[(r.unit() * arts.len() as f64) as usize];
                    n += a.len() as f64;
                    y += a.iter().sum::<f64>();
                }
                y / n
            })
            .collect();
        means.sort_by(f64::total_cmp);
        (means[reps * 25 / 1000], means[reps * 975 / 1000])
    }

    #[test]
    fn clustered_interval_agrees_with_a_bootstrap_over_articles() {
        for seed in [1, 2, 3] {
            let arts = corpus(seed, 80);
            let mut c = ClusterSums::default();
            let mut naive = ClusterSums::default(); // every quote its own article
            for a in &arts {
                c.add_article(a.len() as f64, a.iter().sum());
                for q in a {
                    naive.add_article(1.0, *q);
                }
            }
            let (lo, hi) = c.estimate().unwrap().interval.unwrap();
            let (blo, bhi) = percentile_bootstrap(&arts, 4000, seed + 100);
            let ratio = (hi - lo) / (bhi - blo);
            assert!(
                (0.85..1.18).contains(&ratio),
                "seed {seed}: width ratio {ratio}"
            );
            assert!(
                (lo - blo).abs() < 0.03 && (hi - bhi).abs() < 0.03,
                "seed {seed}"
            );
            // Ignoring the clustering would claim far more certainty than the data has.
            let (nlo, nhi) = naive.estimate().unwrap().interval.unwrap();
            assert!((nhi - nlo) < 0.7 * (hi - lo), "seed {seed}");
        }
    }

    #[test]
    fn one_article_has_a_mean_but_no_interval() {
        let mut c = ClusterSums::default();
        assert_eq!(c.estimate(), None);
        c.add_article(3.0, 1.5);
        assert_eq!(
            c.estimate(),
            Some(Estimate {
                mean: 0.5,
                interval: None
            })
        );
        assert!((t975(40) - 2.021).abs() < 1e-3 && (t975(200) - 1.972).abs() < 1e-3);
    }
}
