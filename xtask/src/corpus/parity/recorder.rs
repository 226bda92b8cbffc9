//! The recording server (`record.js`, run by Node.js): every request it receives, as it
//! arrived, numbered by the `x-parity-record` header of its response.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use postman_codegen_cli::cli_error::Error;
use postman_codegen_cli::files::write;
use serde_json::Value;

/// The server's script.
const SCRIPT: &str = include_str!("record.js");

/// A request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Method.
    pub method: String,
    /// Request target: path and query exactly as sent.
    pub target: String,
    /// Header names and values in the order sent.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// A running recording server.
pub struct Recorder {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Recorder {
    /// Starts the server with its log under `scratch`; with `answers` (a JSON object of
    /// saved examples by item tag), it answers tagged requests with them.
    pub fn start(scratch: &Path, answers: Option<&Path>) -> Result<Self, Error> {
        let script = scratch.join("record.js");
        write(&script, SCRIPT)?;
        let log = scratch.join("records.jsonl");
        let io = |source| Error::Io {
            path: script.display().to_string(),
            source,
        };
        let mut child = Command::new("node")
            .arg(&script)
            .arg(&log)
            .args(answers)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(io)?;
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            BufReader::new(stdout).read_line(&mut line).map_err(io)?;
        }
        let Ok(port) = line.trim().parse() else {
            let _ = child.kill();
            return Err(Error::Check {
                path: script.display().to_string(),
                message: format!(
                    "the recording server did not print its port (got `{}`)",
                    line.trim()
                ),
            });
        };
        Ok(Self { child, port, log })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops the server; every request it recorded, by number.
    pub fn stop(self) -> Result<BTreeMap<u64, Record>, Error> {
        let log = self.log.clone();
        drop(self);
        let text = std::fs::read_to_string(&log).map_err(|source| Error::Io {
            path: log.display().to_string(),
            source,
        })?;
        Ok(text.lines().filter_map(parse_record).collect())
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One line of the log.
fn parse_record(line: &str) -> Option<(u64, Record)> {
    let value: Value = serde_json::from_str(line).ok()?;
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let flat: Vec<String> = value
        .get("headers")?
        .as_array()?
        .iter()
        .filter_map(|h| h.as_str().map(str::to_owned))
        .collect();
    let headers = flat
        .chunks(2)
        .map(|pair| (pair[0].clone(), pair.get(1).cloned().unwrap_or_default()))
        .collect();
    // The server writes one character per byte.
    let body = text("body")?.chars().map(|c| c as u8).collect();
    Some((
        value.get("id")?.as_u64()?,
        Record {
            method: text("method")?,
            target: text("target")?,
            headers,
            body,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_line_becomes_a_record() {
        let line = r#"{"id":3,"method":"POST","target":"/a?b=%20","headers":["Host","x","X-A","1"],"body":"\u00ff{}"}"#;
        let (id, record) = parse_record(line).expect("a record");
        assert_eq!(id, 3);
        assert_eq!(record.target, "/a?b=%20");
        assert_eq!(record.headers[1], ("X-A".to_owned(), "1".to_owned()));
        assert_eq!(record.body, b"\xff{}");
    }
}
