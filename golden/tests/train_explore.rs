use golden::data::*;
use golden::train::*;
#[test]
#[ignore]
fn explore() {
    let data = digits().unwrap();
    let lambdas: Vec<f32> = std::env::var("LAMBDAS").unwrap_or("0,10,50".into()).split(',').map(|s| s.parse().unwrap()).collect();
    let epochs: usize = std::env::var("EPOCHS").unwrap_or("20".into()).parse().unwrap();
    let eps: f32 = std::env::var("EPS").unwrap_or("0.001".into()).parse().unwrap();
    let reg = Regularizer::parse(&std::env::var("REG").unwrap_or("dggr".into())).unwrap();
    let opt = Optimizer::parse(&std::env::var("OPT").unwrap_or("sgd".into()), std::env::var("LR").ok().map(|s| s.parse().unwrap())).unwrap();
    for l in lambdas {
        let cfg = TrainConfig { reg: if l == 0.0 { Regularizer::None } else { reg }, lambda: l, epochs, eps, optimizer: opt, ..TrainConfig::default() };
        let t = std::time::Instant::now();
        let r = train(&data, &cfg, &mut |_| {}).unwrap();
        let s = r.history.last().unwrap();
        let q = export_qmodel(&r.mlp, &data.train, 8).unwrap();
        let ag = agreement(&r.mlp, &q, &data.test).unwrap();
        let w = r.mlp.weights_concat();
        let prune = |rate: f64| { let mut m = r.mlp.clone(); let mut a: Vec<f32> = w.iter().map(|v| v.abs()).collect(); a.sort_by(|x,y| x.partial_cmp(y).unwrap()); let th = a[((a.len() as f64*rate) as usize).min(a.len()-1)]; for l in 0..m.num_layers() { let rg = m.weight_range(l); for p in &mut m.params_mut()[rg] { if p.abs() < th { *p = 0.0 } } } m.accuracy(&data.test) };
        println!("λ={l:>6} nu={:.3} train={:.4} test={:.4} EG={:.3}(k{}) HM={:.3} FL={} H={:.3} zeros={:.3} agree={ag:.4} prune80={:.4} prune90={:.4} {:.1}s", s.nu, s.train_acc, s.test_acc, s.code.eg_bits, s.code.eg_k, s.code.huffman_bits, s.code.fixed_bits, s.code.entropy_bits, s.code.zero_fraction, prune(0.8), prune(0.9), t.elapsed().as_secs_f64());
    }
}
