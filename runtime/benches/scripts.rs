//! What a script costs a request: building one request whose pre-request script sets a
//! variable and a header, as translated steps and run as written in the JavaScript engine,
//! against building the same request without scripts, in the same process. Medians of
//! `BENCH_RUNS` runs (31 by default). `cargo bench -p postman-codegen-runtime --features js`.

use std::time::{Duration, Instant};

use postman_codegen_runtime::scripts::{Scope, Step, Value};
use postman_codegen_runtime::{Client, Operation, Outcome, Piece, RawResponse, RequestBuilder};

/// The script, as the collection writes it.
const SOURCE: &str = r#"
    const stamp = Date.now();
    pm.environment.set("stamp", stamp);
    pm.request.headers.upsert({key: "X-Stamp", value: String(stamp)});
"#;

/// The same script as the generator translates it.
const TRANSLATED: &[Step] = &[
    Step::Set {
        scope: Scope::Environment,
        name: "stamp",
        value: Value::NowMillis,
    },
    Step::SetHeader {
        name: "X-Stamp",
        value: Value::Variable("stamp"),
    },
];

/// A generated client: the runtime's, by reference.
struct Api(Client);

impl AsRef<Client> for Api {
    fn as_ref(&self) -> &Client {
        &self.0
    }
}

/// One request, with the pre-request steps `S`.
struct Stamp<const S: u8>;

/// The steps of each kind of [`Stamp`]: none, translated, as written.
const fn steps(kind: u8) -> &'static [Step] {
    match kind {
        0 => &[],
        1 => TRANSLATED,
        _ => &[Step::Script {
            source: SOURCE,
            fallback: TRANSLATED,
        }],
    }
}

impl<const S: u8> Operation for Stamp<S> {
    type Client = Api;
    type Success = ();
    type Error = ();
    const NAME: &'static str = "stamps::stamp";
    const METHOD: &'static str = "GET";
    const PATH: &'static str = "/stamps";
    const SERVER: &'static str = "main";
    const PRE_REQUEST: &'static [Step] = steps(S);

    fn encode(&self, builder: &mut RequestBuilder) {
        builder.segment(&[Piece::Lit("stamps")]);
    }

    fn decode(_: RawResponse) -> Outcome<Self> {
        unreachable!("the bench builds requests without sending them")
    }
}

/// The median time `O` takes to build its request.
fn median<O: Operation<Client = Api>>(operation: &O, client: &Api, runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            operation.prepare(client).expect("builds");
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let runs = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(31);
    let client = Api(Client::with_servers(
        "main",
        &[("main", "https://api.example")],
    ));
    let none = median(&Stamp::<0>, &client, runs);
    let translated = median(&Stamp::<1>, &client, runs);
    let written = median(&Stamp::<2>, &client, runs);
    let stamped =
        |prepared: postman_codegen_runtime::Prepared| prepared.headers.contains_key("x-stamp");
    assert!(stamped(Stamp::<1>.prepare(&client).expect("builds")));
    assert!(stamped(Stamp::<2>.prepare(&client).expect("builds")));
    println!("building one request, median of {runs} runs:");
    println!("  without scripts:             {none:>12.2?}");
    println!(
        "  script as translated steps:  {translated:>12.2?}  ({:.1}x)",
        translated.as_secs_f64() / none.as_secs_f64()
    );
    println!(
        "  script run as written (js):  {written:>12.2?}  ({:.1}x)",
        written.as_secs_f64() / none.as_secs_f64()
    );
}
