//! `build()` is what goes on the wire: for random strings in every position (literal path text,
//! path parameter, query key and value, header value), the built request's target and header
//! equal the request line and header that a raw TCP server on 127.0.0.1 receives.

use postman_clients::zoom_users::runtime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const PROBE: runtime::OperationId = runtime::OperationId {
    name: "probe",
    method: "GET",
    path: "/",
};

/// A server that answers every request with an empty 200 and reports its head (the request
/// line and headers, as received).
async fn recorder() -> (String, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let (heads, received) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut head = Vec::new();
            let mut buffer = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buffer[..n]),
                }
            }
            let _ = heads.send(String::from_utf8_lossy(&head).into_owned());
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                .await;
        }
    });
    (format!("http://{address}"), received)
}

/// A random string: printable ASCII, percent signs and escapes, dots, non-ASCII letters.
fn random_text(rng: &mut fastrand::Rng) -> String {
    const EXTRA: &[&str] = &[
        "%", "%41", "%zz", ".", "..", "é", "日本", "😀", "+", " ", "'",
    ];
    let len = rng.usize(0..10);
    (0..len)
        .map(|_| {
            if rng.u8(0..4) == 0 {
                EXTRA[rng.usize(0..EXTRA.len())].to_owned()
            } else {
                char::from(rng.u8(0x20..0x7f)).to_string()
            }
        })
        .collect()
}

/// The value of header `name` in a received head.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

#[tokio::test]
async fn built_requests_are_what_the_server_receives() {
    let (base, mut received) = recorder().await;
    let client = runtime::Client::with_servers("s", &[("s", base.as_str())]);
    let mut rng = fastrand::Rng::with_seed(20_261_125);
    let mut headers_checked = 0;
    for _ in 0..300 {
        let (literal, param) = (random_text(&mut rng), random_text(&mut rng));
        let (key, value) = (random_text(&mut rng), random_text(&mut rng));
        let probe = random_text(&mut rng);
        let start = || {
            let mut builder = runtime::RequestBuilder::new(&client, "GET", "s").expect("builder");
            builder.segment(&[runtime::Piece::Lit("items")]);
            builder.segment(&[runtime::Piece::Lit(&literal), runtime::Piece::Param(&param)]);
            builder.query(&key, &value);
            builder
        };
        let mut builder = start();
        builder.header("x-probe", &probe);
        // A value that is not valid in a header fails the request; it goes without.
        let (prepared, has_header) = match builder.finish() {
            Ok(prepared) => (prepared, true),
            Err(_) => (start().finish().expect("builds"), false),
        };
        let shown = format!("{prepared:?}");
        assert!(
            shown.contains(&format!("url: {:?}", prepared.url)),
            "Debug shows the URL sent: {shown}"
        );
        let built = prepared.clone().into_http().expect("builds");
        let target = built.uri().path_and_query().expect("a target").to_string();
        client
            .execute(PROBE, prepared)
            .await
            .unwrap_or_else(|e| panic!("{literal:?} {param:?} {key:?} {value:?}: {e}"));
        let head = received.recv().await.expect("a request");
        let line = head.lines().next().unwrap_or_default();
        assert_eq!(
            line,
            format!("GET {target} HTTP/1.1"),
            "literal {literal:?}, param {param:?}, query {key:?}={value:?}"
        );
        if has_header {
            headers_checked += 1;
            let sent = String::from_utf8_lossy(built.headers()["x-probe"].as_bytes()).into_owned();
            assert_eq!(
                header(&head, "x-probe"),
                Some(sent.trim()),
                "header {probe:?}"
            );
        }
    }
    assert!(headers_checked > 100, "most header values are valid");
}
