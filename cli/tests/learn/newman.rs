//! On real newman runs: a small shop server on 127.0.0.1 answers a collection that
//! saves no responses with varied data (missing fields, nulls, integer or fractional prices,
//! empty pages, errors in JSON, HTML and plain text). One run is learned; the client generated
//! from the learned collection must decode a second, fresh run.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

/// A small deterministic random source (xorshift64*), shared by the server's threads, with a
/// count of the calls of each route, so that every error status comes up in every run.
#[derive(Clone)]
struct Random(
    Arc<Mutex<u64>>,
    Arc<Mutex<std::collections::BTreeMap<&'static str, u64>>>,
);

impl Random {
    /// Whether this is every `n`th call of `route` (the first included).
    fn every(&self, route: &'static str, n: u64) -> bool {
        let mut calls = self.1.lock().unwrap();
        let count = calls.entry(route).or_default();
        *count += 1;
        *count % n == 1
    }

    fn below(&self, n: u64) -> u64 {
        let mut state = self.0.lock().unwrap();
        *state ^= *state >> 12;
        *state ^= *state << 25;
        *state ^= *state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }

    fn chance(&self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn word(&self, stem: &str) -> String {
        format!("{stem}-{}", 1000 + self.below(9000))
    }

    fn date_time(&self) -> String {
        format!(
            "2026-{:02}-{:02}T{:02}:13:07Z",
            1 + self.below(12),
            1 + self.below(28),
            self.below(24)
        )
    }

    fn product(&self, id: u64) -> Value {
        let price = if self.chance(30) {
            json!(self.below(10_000) as f64 / 100.0 + 0.01)
        } else {
            json!(self.below(100))
        };
        let tags: Vec<String> = (0..self.below(3)).map(|_| self.word("tag")).collect();
        let mut product = json!({
            "id": id,
            "name": self.word("Widget"),
            "price": price,
            "tags": tags,
            "discontinued": self.chance(20),
            "vendor": if self.chance(40) { Value::Null } else { json!({"id": self.below(500), "name": self.word("Vendor")}) },
            "created_at": self.date_time(),
        });
        if self.chance(65) {
            product["description"] = json!(self.word("Made of"));
        }
        if self.chance(50) {
            product["rating"] = if self.chance(30) {
                Value::Null
            } else {
                json!(self.below(50) as f64 / 10.0 + 0.1)
            };
        }
        product
    }

    fn customer(&self) -> Value {
        let mut customer = json!({
            "id": format!("cus_{}", self.below(1_000_000)),
            "email": format!("{}@mail{}.example", self.word("ann"), self.below(9)),
            "name": self.word("Ann"),
        });
        if self.chance(50) {
            customer["phone"] = json!(format!("+49{}", 100_000 + self.below(899_999)));
        }
        customer
    }
}

/// The status, content type and body answering `method path`.
fn answer(random: &Random, method: &str, path: &str) -> (u16, &'static str, String) {
    let path = path.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let json = |code: u16, body: Value| (code, "application/json", body.to_string());
    match (method, segments.as_slice()) {
        ("GET", ["v1", "products"]) => {
            let count = if random.chance(15) {
                0
            } else {
                1 + random.below(4)
            };
            let data: Vec<Value> = (0..count)
                .map(|_| random.product(random.below(10_000)))
                .collect();
            let next = if count == 0 {
                Value::Null
            } else {
                json!(2 + random.below(50))
            };
            json(
                200,
                json!({"data": data, "next_page": next, "total": 40 + random.below(100)}),
            )
        }
        ("GET", ["v1", "products", _]) if random.every("product", 5) => json(
            404,
            json!({"error": {"code": "not_found", "message": random.word("No product"), "request_id": random.word("req")}}),
        ),
        ("GET", ["v1", "products", id]) => json(200, random.product(id.parse().unwrap_or(1))),
        ("POST", ["v1", "products"]) if random.every("create", 4) => json(
            422,
            json!({"errors": [{"field": "price", "message": random.word("Too low")}]}),
        ),
        ("POST", ["v1", "products"]) => json(201, random.product(random.below(10_000))),
        ("DELETE", ["v1", "products", _]) => (204, "", String::new()),
        ("GET", ["v1", "orders", _]) if random.every("order", 6) => (
            500,
            "text/html",
            format!(
                "<html><body>Upstream error {}</body></html>",
                random.word("ref")
            ),
        ),
        ("GET", ["v1", "orders", _]) => {
            let items: Vec<Value> = (0..1 + random.below(3))
                .map(|_| json!({"sku": random.word("SKU"), "quantity": 1 + random.below(5), "unit_price": random.below(5000) as f64 / 100.0 + 0.5}))
                .collect();
            json(
                200,
                json!({
                    "id": format!("{:08x}-1111-4222-8333-{:012x}", random.below(u32::MAX as u64), random.below(1 << 40)),
                    "total": if random.chance(50) { json!(random.below(300)) } else { json!(random.below(30_000) as f64 / 100.0 + 0.01) },
                    "currency": "EUR",
                    "items": items,
                    "customer": random.customer(),
                    "coupon": if random.chance(70) { Value::Null } else { json!(random.word("SAVE")) },
                    "shipped_at": if random.chance(40) { Value::Null } else { json!(random.date_time()) },
                }),
            )
        }
        ("GET", ["v1", "customers"]) if random.every("search", 7) => json(
            429,
            json!({"error": "rate_limited", "retry_after": 1 + random.below(30)}),
        ),
        ("GET", ["v1", "customers"]) => {
            let results: Vec<Value> = (0..random.below(4)).map(|_| random.customer()).collect();
            json(200, json!({"total": results.len(), "results": results}))
        }
        ("GET", ["v1", "health"]) => (200, "text/plain", "ok".to_owned()),
        _ => json(400, json!({"error": "unknown route"})),
    }
}

/// Serves the shop on 127.0.0.1 until the test ends; returns its base URL.
fn serve(seed: u64) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let random = Random(Arc::new(Mutex::new(seed)), Arc::default());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let random = random.clone();
            std::thread::spawn(move || respond(stream, &random));
        }
    });
    base
}

fn respond(stream: TcpStream, random: &Random) {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or_default().to_owned(),
        parts.next().unwrap_or_default().to_owned(),
    );
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let (code, content_type, body) = answer(random, &method, &path);
    let mut head = format!(
        "HTTP/1.1 {code} {}\r\nContent-Length: {}\r\nConnection: close\r\nSet-Cookie: session=sess-{}\r\nX-Request-Id: {}\r\n",
        http_reason(code),
        body.len(),
        random.below(1 << 40),
        random.word("req"),
    );
    if !content_type.is_empty() {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    if code == 429 {
        head.push_str("Retry-After: 3\r\n");
    }
    head.push_str("\r\n");
    let mut stream = reader.into_inner();
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
}

fn http_reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        404 => "Not Found",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Bad Request",
    }
}

/// The pinned newman (`npm ci --prefix .ci/newman`), or `$POSTMAN_CODEGEN_NEWMAN`. When it is
/// absent the test says so and passes, unless CI requires it.
fn newman() -> Option<PathBuf> {
    let path = std::env::var_os("POSTMAN_CODEGEN_NEWMAN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/newman/node_modules/.bin/newman")
        });
    if path.is_file() {
        return Some(path);
    }
    super::support::absent(&format!(
        "newman is not at {} (npm ci --prefix .ci/newman); set POSTMAN_CODEGEN_NEWMAN=FILE",
        path.display()
    ));
    None
}

fn run_newman(newman: &Path, collection: &Path, base: &str, report: &Path) {
    let _ = std::fs::remove_file(report);
    let output = Command::new(newman)
        .args(["run"])
        .arg(collection)
        .args(["-n", "15", "--env-var"])
        .arg(format!("base={base}"))
        .args(["--reporters", "json", "--reporter-json-export"])
        .arg(report)
        .args(["--timeout-request", "10000", "--suppress-exit-code"])
        .output()
        .expect("newman runs");
    assert!(
        output.status.success() && report.is_file(),
        "newman failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn codegen(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_postman-codegen"))
        .args(args)
        .output()
        .expect("the CLI runs")
}

/// Every string with a digit in the JSON bodies of a newman report's responses: values only
/// the server made up.
fn generated_strings(report: &Path) -> Vec<String> {
    fn walk(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(s) if s.chars().any(|c| c.is_ascii_digit()) && s.len() >= 5 => {
                out.push(s.clone())
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            Value::Object(map) => map.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let report: Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    let mut out = Vec::new();
    for execution in report["run"]["executions"].as_array().unwrap() {
        let bytes: Vec<u8> = execution["response"]["stream"]["data"]
            .as_array()
            .map(|d| d.iter().map(|b| b.as_u64().unwrap() as u8).collect())
            .unwrap_or_default();
        if let Ok(body) = serde_json::from_slice::<Value>(&bytes) {
            walk(&body, &mut out);
        }
    }
    out
}

#[test]
fn a_client_learned_from_one_newman_run_decodes_the_next() {
    let Some(newman) = newman() else {
        return;
    };
    let collection =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/learn/shop.postman_collection.json");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("learn-newman");
    // The decode check's scratch crate (and its build) is kept between runs.
    let _ = std::fs::remove_dir_all(dir.join("learned"));
    std::fs::create_dir_all(dir.join("learned")).unwrap();
    let base = serve(0x5eed_1234_abcd_0001);
    let (train, fresh) = (dir.join("train.json"), dir.join("fresh.json"));
    run_newman(&newman, &collection, &base, &train);
    run_newman(&newman, &collection, &base, &fresh);

    let learned = dir.join("learned/shop.postman_collection.json");
    let output = codegen(&[
        "learn".as_ref(),
        collection.as_os_str(),
        "--from".as_ref(),
        train.as_os_str(),
        "-o".as_ref(),
        learned.as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    // 7 requests, 15 iterations: every response pairs with its request.
    assert!(
        stderr.contains("learned 105 of 105 responses into 7 requests"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&learned).unwrap();

    // Nothing the server made up is written, and no cookie.
    let originals = generated_strings(&train);
    assert!(originals.len() > 100, "{}", originals.len());
    for original in &originals {
        assert!(!text.contains(original.as_str()), "{original} was written");
    }
    assert!(!text.contains("sess-"));

    if let Some(errors) = super::schema_errors(&serde_json::from_str(&text).unwrap()) {
        assert!(errors.is_empty(), "{errors:#?}");
    }

    // The same input gives the same file, and learning again from the same run changes nothing.
    let again = dir.join("again.json");
    codegen(&[
        "learn".as_ref(),
        collection.as_os_str(),
        "--from".as_ref(),
        train.as_os_str(),
        "-o".as_ref(),
        again.as_os_str(),
    ]);
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);
    codegen(&[
        "learn".as_ref(),
        learned.as_os_str(),
        "--from".as_ref(),
        train.as_os_str(),
        "-o".as_ref(),
        again.as_os_str(),
    ]);
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);

    // The generated client types every request's success, and its errors.
    let generated = postman_codegen::generate(
        &text,
        "shop.json",
        &postman_codegen::Output::Module("shop".into()),
    )
    .unwrap();
    assert_eq!(super::untyped_successes(&generated.code), 0);
    let before = postman_codegen::generate(
        &std::fs::read_to_string(&collection).unwrap(),
        "shop.json",
        &postman_codegen::Output::Module("shop".into()),
    )
    .unwrap();
    assert_eq!(super::untyped_successes(&before.code), 7);
    for status in [
        "404 => raw.fail_json(",
        "422 => raw.fail_json(",
        "429 => raw.fail_json(",
        "500 => raw.fail_text(",
    ] {
        assert!(generated.code.contains(status), "{status}");
    }

    // The fresh run's responses decode with the learned types.
    let scratch = dir.join("decode");
    let output = codegen(&[
        "decode".as_ref(),
        dir.join("learned").as_os_str(),
        "--scratch".as_ref(),
        scratch.as_os_str(),
        "--responses".as_ref(),
        fresh.as_os_str(),
        "--min-percent".as_ref(),
        "99".as_ref(),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = stdout.lines().last().unwrap_or_default();
    let typed: usize = summary
        .split("with a JSON type: ")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .and_then(|s| s.parse().ok())
        .unwrap();
    assert!(typed >= 70, "{stdout}");
}
