//! The Verilog rewriter of sim/build.rs (`isolate_false_loops`), apart from the Verilator run so
//! that a test can compile it too (tests/it/verilog_isolate.rs includes this file by path): it reads
//! Verilator's lint log, marks the variables on the reported false loops and asks for another lint
//! until none is left.
use std::collections::{BTreeSet, HashMap};

/// Upper bound on the lint rounds of [`isolate_false_loops`] (the accelerators need about ten).
/// The arguments of every `verilator --lint-only` run on generated Verilog (before `--top-module`).
pub const LINT_ARGS: [&str; 4] = ["--lint-only", "--no-timing", "-Wno-WIDTH", "-Wno-fatal"];
pub const MAX_ISOLATE_ROUNDS: usize = 24;

/// Breaks the false combinational loops Verilator finds in rust-hdl's Verilog, which make it slow.
///
/// rust-hdl writes each module's logic as one `always @(*)` block that drives its children's inputs and reads
/// their outputs. Verilator orders whole blocks, so parent -> child -> parent looks like a loop (warning
/// UNOPTFLAT), and it evaluates such logic in its `act` region, re-running it until nothing changes, on every
/// clock edge. The metacomment `/*verilator isolate_assignments*/` on a variable moves its assignments into a
/// block of their own. This lints the design (`lint` gets the Verilog and returns Verilator's log, or `None`
/// when the lint itself failed), marks every `reg` on the reported loop paths, and repeats until no loop is
/// left (or no new variable is found), then returns the marked Verilog and the marked (module, variable)
/// pairs. The logic is unchanged: only how Verilator splits it into blocks.
pub fn isolate_false_loops(
    verilog: &str,
    mut lint: impl FnMut(&str) -> Result<Option<String>, String>,
) -> Result<Isolated, String> {
    let mut rounds = 0;
    let mut marked: BTreeSet<(String, String)> = BTreeSet::new();
    let mut text = verilog.to_string();
    for _ in 0..MAX_ISOLATE_ROUNDS {
        let log = lint(&text)?;
        rounds += 1;
        // A failed lint: the real run reports it with the log.
        let Some(log) = log else { break };
        let instances = instance_table(&text);
        let new: BTreeSet<(String, String)> = loop_path_vars(&log)
            .into_iter()
            .filter_map(|(scope, var)| Some((resolve_scope(&instances, &scope)?, var)))
            .filter(|mv| !marked.contains(mv))
            .collect();
        let mut progress = false;
        for (module, var) in new {
            if mark_isolated(&mut text, &module, &var) {
                marked.insert((module, var));
                progress = true;
            }
        }
        if !progress {
            break;
        }
    }
    Ok(Isolated {
        verilog: text,
        marked,
        rounds,
    })
}

/// What [`isolate_false_loops`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Isolated {
    /// The Verilog with the metacomments.
    pub verilog: String,
    /// The marked (module, variable) pairs.
    pub marked: BTreeSet<(String, String)>,
    /// Lint runs.
    pub rounds: usize,
}

/// The (scope, variable) pairs on the example paths of Verilator's UNOPTFLAT warnings: a path element
/// `top.a.b.var` is variable `var` in scope `top.a.b` (instance `b` of instance `a` of the top module).
fn loop_path_vars(log: &str) -> BTreeSet<(String, String)> {
    let mut vars = BTreeSet::new();
    let mut in_warning = false;
    for line in log.lines() {
        if line.starts_with('%') {
            in_warning = line.starts_with("%Warning-UNOPTFLAT");
            continue;
        }
        if !in_warning {
            continue;
        }
        let Some((_, path)) = line.split_once("Example path: ") else {
            continue;
        };
        if let Some((scope, var)) = path.trim().rsplit_once('.') {
            vars.insert((scope.to_string(), var.to_string()));
        }
    }
    vars
}

/// Module name -> (instance name -> module name), from the module headers and the instantiations
/// (`<module> <instance> (`) in the Verilog.
fn instance_table(text: &str) -> HashMap<String, HashMap<String, String>> {
    let mut modules: HashMap<String, HashMap<String, String>> = HashMap::new();
    let name_of = |l: &str| -> Option<String> {
        let rest = l.trim_start().strip_prefix("module ")?;
        let end = rest.find(|c: char| c == '(' || c == ';' || c.is_whitespace())?;
        Some(rest[..end].to_string())
    };
    for line in text.lines() {
        if let Some(m) = name_of(line) {
            modules.insert(m, Default::default());
        }
    }
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(m) = name_of(line) {
            current = Some(m);
            continue;
        }
        let Some(cur) = &current else { continue };
        let mut words = line.split_whitespace();
        let (Some(module), Some(inst)) = (words.next(), words.next()) else {
            continue;
        };
        let inst = inst.split('(').next().unwrap_or("");
        if !inst.is_empty() && modules.contains_key(module) {
            let (module, inst) = (module.to_string(), inst.to_string());
            if let Some(children) = modules.get_mut(cur) {
                children.insert(inst, module);
            }
        }
    }
    modules
}

/// The module of scope `top.a.b` (None if the instances cannot be followed).
fn resolve_scope(modules: &HashMap<String, HashMap<String, String>>, scope: &str) -> Option<String> {
    let mut parts = scope.split('.');
    let mut module = parts.next()?.to_string();
    modules.get(&module)?;
    for inst in parts {
        module = modules.get(&module)?.get(inst)?.clone();
    }
    Some(module)
}

/// Adds `/*verilator isolate_assignments*/` to the declaration `reg [...] var;` inside `module`. Returns
/// whether it did (wires, ports and unknown modules are left alone).
fn mark_isolated(text: &mut String, module: &str, var: &str) -> bool {
    let head = format!("module {module}(");
    // The module's lines: from its header to `endmodule`.
    let mut offset = 0;
    let mut inside = false;
    let mut insert_at = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end();
        if !inside {
            inside = body.starts_with(&head);
        } else if body.trim_start().starts_with("endmodule") {
            break;
        } else if let Some(rest) = body.trim_start().strip_prefix("reg ") {
            let rest = rest.trim_start();
            let rest = match rest.strip_prefix('[') {
                Some(r) => r.split_once(']').map_or("", |(_, r)| r.trim_start()),
                None => rest,
            };
            if rest.strip_suffix(';') == Some(var) {
                insert_at = Some(offset + body.len() - 1); // before the ';'
                break;
            }
        }
        offset += line.len();
    }
    match insert_at {
        Some(at) => {
            text.insert_str(at, " /*verilator isolate_assignments*/");
            true
        }
        None => false,
    }
}
