#![allow(missing_docs, clippy::unwrap_used)]
use tracking_yaml::{from_yaml_str, YamlLimits};
fn main() {
    let docs = ["k: 'a\u{85}  b'\n", "k: 'ls\u{2028}  x'\n", "k: \"a\u{85}  b\"\n", "k: \"ab \u{2028}  \u{2028}  c\"\n", "k: 'a  \u{85}\u{85}  b'\n",
      "- 'ls\u{2028}    x'\n"];
    for d in docs {
        let ours: Result<serde_json::Value, _> = from_yaml_str(d, &YamlLimits::default());
        let sy: Result<serde_json::Value, _> = serde_yaml::from_str(d);
        let flow = format!("{{k: [{}]}}", d.trim_end().trim_start_matches("k: ").trim_start_matches("- "));
        let ours_flow: Result<serde_json::Value, _> = from_yaml_str(&flow, &YamlLimits::default());
        println!("{d:?}\n  ours={ours:?}\n  serde_yaml={sy:?}\n  flow {flow:?} ours={ours_flow:?}");
    }
}
