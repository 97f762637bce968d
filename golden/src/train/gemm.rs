//! The one matrix product of the trainer: a checked, safe wrapper around `matrixmultiply::sgemm`.
//!
//! This is the only `unsafe` in golden (the plain-Rust trainer with `matrixmultiply` was faster than
//! the frameworks tried; docs/training.md). `matrixmultiply` is built without its `threading`
//! feature, so a product is computed on one thread in a fixed order: results are bit-reproducible.
#![allow(unsafe_code)]

/// `C = A' · B' + beta · C`, all row-major and contiguous, where `A'` is `m×k` and `B'` is `k×n`.
///
/// `A'` is `a` read as `m×k` (or, when `a_t`, `a` holds `k×m` and is transposed); likewise `B'` is
/// `b` read as `k×n` (or, when `b_t`, `b` holds `n×k`). `c` holds `m×n`.
///
/// # Panics
/// If a slice length does not match its shape (a programming error inside the trainer).
#[allow(clippy::too_many_arguments)]
pub fn gemm(m: usize, k: usize, n: usize, a: &[f32], a_t: bool, b: &[f32], b_t: bool, beta: f32, c: &mut [f32]) {
    assert_eq!(a.len(), m * k, "gemm: A has {} entries, expected {m}x{k}", a.len());
    assert_eq!(b.len(), k * n, "gemm: B has {} entries, expected {k}x{n}", b.len());
    assert_eq!(c.len(), m * n, "gemm: C has {} entries, expected {m}x{n}", c.len());
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        c.iter_mut().for_each(|v| *v *= beta);
        return;
    }
    let (rsa, csa) = if a_t { (1, m as isize) } else { (k as isize, 1) };
    let (rsb, csb) = if b_t { (1, k as isize) } else { (n as isize, 1) };
    // SAFETY: the lengths were checked above: every element index i·rs + j·cs with i < rows and
    // j < cols is below rows·cols = len for the row-major and transposed layouts used here; the
    // three slices are distinct borrows (c is exclusive), so nothing aliases.
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            rsa,
            csa,
            b.as_ptr(),
            rsb,
            csb,
            beta,
            c.as_mut_ptr(),
            n as isize,
            1,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(m: usize, k: usize, n: usize, a: &[f32], a_t: bool, b: &[f32], b_t: bool) -> Vec<f32> {
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                for p in 0..k {
                    let av = if a_t { a[p * m + i] } else { a[i * k + p] };
                    let bv = if b_t { b[j * k + p] } else { b[p * n + j] };
                    c[i * n + j] += av * bv;
                }
            }
        }
        c
    }

    #[test]
    fn matches_naive_product_in_all_layouts() {
        let (m, k, n) = (5, 7, 3);
        let a: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.11).cos()).collect();
        for a_t in [false, true] {
            for b_t in [false, true] {
                let mut c = vec![1.0; m * n];
                gemm(m, k, n, &a, a_t, &b, b_t, 0.0, &mut c);
                let want = naive(m, k, n, &a, a_t, &b, b_t);
                for (x, y) in c.iter().zip(&want) {
                    assert!((x - y).abs() < 1e-5, "{a_t} {b_t}: {x} vs {y}");
                }
            }
        }
    }
}
