//! The averaged structured perceptron (Collins 2002) over sentences of (features, gold labels).

use super::model::Model;

/// Learns a [`Model`] one sentence at a time; `averaged` gives the weights to ship.
pub struct Trainer {
    model: Model,
    /// Sum over updates of (step × delta), for averaging without touching every weight.
    acc_emit: Vec<f32>,
    acc_trans: Vec<f32>,
    step: f32,
}

impl Trainer {
    /// A trainer for `labels` with `2^bits` feature buckets.
    pub fn new(labels: &'static [&'static str], bits: u32) -> Self {
        let model = Model::zeros(labels, bits);
        Trainer {
            acc_emit: vec![0.0; model.emit.len()],
            acc_trans: vec![0.0; model.trans.len()],
            model,
            step: 1.0,
        }
    }

    /// One perceptron step on a sentence; returns the number of wrongly tagged tokens.
    pub fn learn<F: AsRef<[u64]>>(&mut self, feats: &[F], gold: &[u8]) -> usize {
        let l = self.model.labels().len();
        let pred = self.model.viterbi(&self.model.emissions(feats));
        let wrong = pred.iter().zip(gold).filter(|(p, g)| p != g).count();
        if wrong > 0 {
            for (i, fs) in feats.iter().enumerate() {
                if pred[i] == gold[i] {
                    continue;
                }
                for &f in fs.as_ref() {
                    let b = self.model.bucket(f);
                    self.update_emit(b + gold[i] as usize, 1.0);
                    self.update_emit(b + pred[i] as usize, -1.0);
                }
            }
            let (mut prev_g, mut prev_p) = (0usize, 0usize);
            for i in 0..gold.len() {
                let (g, p) = (gold[i] as usize, pred[i] as usize);
                if g != p || prev_g != prev_p {
                    self.update_trans(prev_g * l + g, 1.0);
                    self.update_trans(prev_p * l + p, -1.0);
                }
                prev_g = g + 1;
                prev_p = p + 1;
            }
        }
        self.step += 1.0;
        wrong
    }

    fn update_emit(&mut self, k: usize, d: f32) {
        self.model.emit[k] += d;
        self.acc_emit[k] += self.step * d;
    }

    fn update_trans(&mut self, k: usize, d: f32) {
        self.model.trans[k] += d;
        self.acc_trans[k] += self.step * d;
    }

    /// The averaged weights.
    pub fn averaged(&self) -> Model {
        let avg = |w: &[f32], a: &[f32]| -> Vec<f32> {
            w.iter().zip(a).map(|(w, a)| w - a / self.step).collect()
        };
        let mut m = self.model.clone();
        m.emit = avg(&self.model.emit, &self.acc_emit);
        m.trans = avg(&self.model.trans, &self.acc_trans);
        m
    }
}

/// The order of the training sentences, epoch after epoch: Fisher–Yates with a fixed LCG, so the
/// same data gives the same model byte for byte.
pub struct Shuffle {
    order: Vec<usize>,
    seed: u64,
}

impl Shuffle {
    /// Over `n` items, from the fixed seed.
    pub fn new(n: usize) -> Self {
        Shuffle {
            order: (0..n).collect(),
            seed: 0x5eed,
        }
    }

    /// The next epoch's order.
    pub fn next_epoch(&mut self) -> &[usize] {
        for i in (1..self.order.len()).rev() {
            self.seed = self
                .seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.order.swap(i, (self.seed >> 33) as usize % (i + 1));
        }
        &self.order
    }
}
