//! The model's parameters as one flat `f32` vector, so that golden's optimizer and rate term (the
//! ones the MLP trainer uses) act on the transformer unchanged.
//!
//! The layout puts the rated tensors first (every 2-D tensor: the weight matrices and the
//! embeddings), then the rest (biases, LayerNorm), each group in the order the module visits its
//! parameters. `values[..n_rated]` is what the rate term and ν's moments see.

use crate::model::Bert;
use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::tensor::{Gradients, Tensor, TensorData};

/// Where one parameter tensor lives in the flat vector.
#[derive(Debug, Clone, Copy)]
struct Entry {
    offset: usize,
    len: usize,
}

/// The flat layout of a model's parameters.
#[derive(Debug, Clone)]
pub struct Layout {
    entries: Vec<Entry>,
    /// Parameters under the rate term (they come first).
    pub n_rated: usize,
    /// All parameters.
    pub len: usize,
}

struct Shapes(Vec<(usize, usize)>);

impl ModuleVisitor for Shapes {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let n = param.val().shape().num_elements();
        self.0.push((D, n));
    }
}

fn to_vec<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data()
        .convert::<f32>()
        .try_into_vec::<f32>()
        .expect("f32 tensor data")
}

struct Gather<'a> {
    layout: &'a Layout,
    i: usize,
    out: &'a mut [f32],
    grads: Option<&'a Gradients>,
}

impl ModuleVisitor for Gather<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let e = self.layout.entries[self.i];
        self.i += 1;
        let dst = &mut self.out[e.offset..e.offset + e.len];
        let value = match self.grads {
            None => Some(param.val()),
            Some(g) => param.val().grad(g),
        };
        match value {
            Some(t) => dst.copy_from_slice(&to_vec(t)),
            None => dst.fill(0.0),
        }
    }
}

struct Scatter<'a> {
    layout: &'a Layout,
    i: usize,
    values: &'a [f32],
}

impl ModuleMapper for Scatter<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let e = self.layout.entries[self.i];
        self.i += 1;
        let src = self.values[e.offset..e.offset + e.len].to_vec();
        param.map(|t| {
            let device = t.device();
            let shape = t.shape();
            // Gradients only where the device records them (a `valid()` copy has none).
            let grad = device.is_autodiff();
            Tensor::from_data(TensorData::new(src, shape), &device).set_require_grad(grad)
        })
    }
}

impl Layout {
    /// The layout of `model`'s parameters.
    pub fn of(model: &Bert) -> Layout {
        let mut shapes = Shapes(Vec::new());
        model.visit(&mut shapes);
        let mut entries = vec![Entry { offset: 0, len: 0 }; shapes.0.len()];
        let mut offset = 0;
        for rated in [true, false] {
            for (i, &(d, n)) in shapes.0.iter().enumerate() {
                if (d == 2) == rated {
                    entries[i] = Entry { offset, len: n };
                    offset += n;
                }
            }
        }
        let n_rated = shapes.0.iter().filter(|(d, _)| *d == 2).map(|(_, n)| n).sum();
        Layout {
            entries,
            n_rated,
            len: offset,
        }
    }

    /// The number of parameter tensors.
    pub fn tensors(&self) -> usize {
        self.entries.len()
    }

    /// Copies the model's parameters into `out` (`len` values).
    pub fn gather(&self, model: &Bert, out: &mut [f32]) {
        let mut g = Gather {
            layout: self,
            i: 0,
            out,
            grads: None,
        };
        model.visit(&mut g);
    }

    /// Copies the gradients of the model's parameters into `out`; a parameter without one gets 0.
    pub fn gather_grads(&self, model: &Bert, grads: &Gradients, out: &mut [f32]) {
        let mut g = Gather {
            layout: self,
            i: 0,
            out,
            grads: Some(grads),
        };
        model.visit(&mut g);
    }

    /// The model with its parameters replaced by `values` (same ids; gradients required on an
    /// autodiff device).
    pub fn scatter(&self, model: Bert, values: &[f32]) -> Bert {
        let mut s = Scatter {
            layout: self,
            i: 0,
            values,
        };
        model.map(&mut s)
    }
}
