//! The language server outlives malformed messages: `asl_lsp::serve` (what `asl-lint lsp` runs
//! on stdin and stdout) over in-memory pipes, raw framed bytes in and out. After each bad
//! message a normal request must still be answered, and the bad message gets the JSON-RPC error
//! it should (or, for a notification, no answer).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

const LIMIT: Duration = Duration::from_secs(10);

/// The client's own requests are numbered from 1; the bad messages use ids from 9000.
struct Client {
    to_server: Option<DuplexStream>,
    incoming: mpsc::UnboundedReceiver<Value>,
    /// Messages read while waiting for another one, not yet looked at.
    seen: Vec<Value>,
    server: JoinHandle<()>,
    id: i64,
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// The client's own reading of the server's output: every message must be a well-formed frame.
async fn read_frames(mut from_server: DuplexStream, tx: mpsc::UnboundedSender<Value>) {
    let mut buf = Vec::new();
    let mut chunk = vec![0; 64 * 1024];
    loop {
        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let header = std::str::from_utf8(&buf[..end]).unwrap();
            let len: usize = header
                .strip_prefix("Content-Length: ")
                .unwrap_or_else(|| panic!("not a frame header: {header:?}"))
                .parse()
                .unwrap();
            if buf.len() < end + 4 + len {
                break;
            }
            let body: Vec<u8> = buf.drain(..end + 4 + len).skip(end + 4).collect();
            let value = serde_json::from_slice(&body)
                .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&body)));
            if tx.send(value).is_err() {
                return;
            }
        }
        let n = from_server.read(&mut chunk).await.unwrap();
        if n == 0 {
            assert!(buf.is_empty(), "the output ends inside a frame");
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

impl Client {
    fn start() -> Client {
        let (to_server, server_input) = tokio::io::duplex(1 << 20);
        let (server_output, from_server) = tokio::io::duplex(1 << 20);
        let server = tokio::spawn(asl_lsp::serve(server_input, server_output));
        let (tx, incoming) = mpsc::unbounded_channel();
        tokio::spawn(read_frames(from_server, tx));
        Client {
            to_server: Some(to_server),
            incoming,
            seen: Vec::new(),
            server,
            id: 0,
        }
    }

    async fn send_raw(&mut self, bytes: &[u8]) {
        let pipe = self.to_server.as_mut().unwrap();
        tokio::time::timeout(LIMIT, pipe.write_all(bytes))
            .await
            .expect("the server reads its input")
            .unwrap();
    }

    async fn send(&mut self, message: Value) {
        self.send_raw(&frame(message.to_string().as_bytes())).await;
    }

    async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }))
            .await;
    }

    /// Sends a request and waits for its answer (its `result`, or `{"error": ...}`).
    async fn request(&mut self, method: &str, params: Value) -> Value {
        self.id += 1;
        let id = self.id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))
            .await;
        let answer = self
            .wait_for(&format!("the answer to {method} #{id}"), |m| {
                m["id"] == id && m.get("method").is_none()
            })
            .await;
        match answer.get("error") {
            Some(e) => json!({ "error": e }),
            None => answer["result"].clone(),
        }
    }

    /// The first message (among those seen, then those to come) matching `pred`; 10 s at most.
    async fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&pred) {
            return self.seen.remove(i);
        }
        loop {
            let message = tokio::time::timeout(LIMIT, self.incoming.recv())
                .await
                .unwrap_or_else(|_| panic!("no {what} within 10 s; seen: {:#?}", self.seen))
                .unwrap_or_else(|| panic!("the server's output ended before {what}"));
            if pred(&message) {
                return message;
            }
            self.seen.push(message);
        }
    }

    async fn diagnostics(&mut self, uri: &str, version: i32) -> Value {
        let message = self
            .wait_for(&format!("diagnostics of {uri} v{version}"), |m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"] == version
            })
            .await;
        message["params"]["diagnostics"].clone()
    }

    async fn symbols(&mut self, uri: &str) -> Value {
        self.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .await
    }

    /// Takes what was seen that the framing layer sent about bad messages: the responses (as
    /// `(code, id)`) and the logs of ignored messages.
    fn take_complaints(&mut self) -> (Vec<(i64, Value)>, Vec<String>) {
        let mut errors = Vec::new();
        let mut logs = Vec::new();
        for m in std::mem::take(&mut self.seen) {
            if m.get("method").is_none() {
                let code = m["error"]["code"]
                    .as_i64()
                    .unwrap_or_else(|| panic!("an unexpected response: {m}"));
                errors.push((code, m["id"].clone()));
            } else if m["method"] == "window/logMessage" {
                let text = m["params"]["message"].as_str().unwrap();
                if text.starts_with("asl-lint: ignored") {
                    logs.push(text.to_owned());
                }
            }
        }
        (errors, logs)
    }
}

const URI: &str = "file:///work/go.asl.json";
const URI2: &str = "file:///work/other.asl.json";

/// A state machine whose state is named `Go` + `@` (the `@` becomes a lone surrogate escape),
/// with a transition to nowhere so that it has a diagnostic.
const DOC: &str = r#"{
  "StartAt": "Go@",
  "States": {
    "Go@": { "Type": "Pass", "Next": "Nowhere" }
  }
}"#;

/// A `textDocument/did*` notification whose text holds `escape` where DOC has `@`: serde_json
/// cannot write a lone surrogate, so it is put into the serialized JSON.
fn with_escape(message: &Value, escape: &str) -> Vec<u8> {
    let text = message.to_string();
    assert_eq!(text.matches('@').count(), 2);
    frame(text.replace('@', escape).as_bytes())
}

/// The codes of DOC's diagnostics: a transition to nowhere, and no terminal state.
const DOC_CODES: [&str; 2] = ["\"ASL101\"", "\"ASL104\""];

fn codes(diagnostics: &Value) -> Vec<String> {
    let mut codes: Vec<String> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].to_string())
        .collect();
    codes.sort();
    codes
}

fn names(symbols: &Value) -> Vec<String> {
    symbols
        .as_array()
        .unwrap_or_else(|| panic!("not symbols: {symbols}"))
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

/// A bad message: what it is, its bytes, the answers it gets (code and id), how many logs.
type Case = (&'static str, Vec<u8>, Vec<(i64, Value)>, usize);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_goes_on_after_each_bad_message() {
    let mut c = Client::start();
    let init = c
        .request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {
                "textDocument": { "documentSymbol": { "hierarchicalDocumentSymbolSupport": true } }
            } }),
        )
        .await;
    assert!(init["capabilities"].is_object(), "{init}");
    c.notify("initialized", json!({})).await;
    c.send_raw(&with_escape(
        &json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": {
            "uri": URI, "languageId": "json", "version": 1, "text": DOC
        } } }),
        "",
    ))
    .await;
    assert_eq!(codes(&c.diagnostics(URI, 1).await), DOC_CODES);
    assert_eq!(names(&c.symbols(URI).await), ["Go"]);
    c.take_complaints();

    let null = Value::Null;
    let cases: Vec<Case> = vec![
        ("a body that is not JSON", frame(b"hello"), vec![(-32700, null.clone())], 0),
        (
            "a truncated body",
            frame(br#"{"jsonrpc":"2.0","id":9005,"method":"textDocument/hov"#),
            vec![(-32700, null.clone())],
            0,
        ),
        (
            // The next request's first bytes complete the announced length.
            "a Content-Length longer than the body",
            b"Content-Length: 60\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":".to_vec(),
            vec![(-32700, null.clone())],
            0,
        ),
        (
            "a body that is not UTF-8",
            frame(b"{\"jsonrpc\":\"2.0\",\"id\":9005,\"method\":\"\xff\xfe\"}"),
            vec![(-32700, null.clone())],
            0,
        ),
        (
            "an object id",
            frame(br#"{"jsonrpc":"2.0","id":{"a":1},"method":"textDocument/hover","params":{}}"#),
            vec![(-32600, null.clone())],
            0,
        ),
        (
            "a fractional id",
            frame(br#"{"jsonrpc":"2.0","id":1.5,"method":"textDocument/hover","params":{}}"#),
            vec![(-32600, json!(1.5))],
            0,
        ),
        (
            "a request without jsonrpc",
            frame(br#"{"id":9007,"method":"textDocument/hover","params":{}}"#),
            vec![(-32600, json!(9007))],
            0,
        ),
        (
            "a request with a string id and jsonrpc 1.0",
            frame(br#"{"jsonrpc":"1.0","id":"seven","method":"textDocument/hover"}"#),
            vec![(-32600, json!("seven"))],
            0,
        ),
        (
            "a notification without jsonrpc",
            frame(br#"{"method":"textDocument/didSave","params":{}}"#),
            vec![],
            1,
        ),
        (
            "a request without a method",
            frame(br#"{"jsonrpc":"2.0","id":9012}"#),
            vec![(-32600, json!(9012))],
            0,
        ),
        (
            "Content-Length: abc",
            b"Content-Length: abc\r\n\r\n{}".to_vec(),
            vec![(-32700, null.clone())],
            0,
        ),
        (
            "no Content-Length",
            b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}".to_vec(),
            vec![(-32700, null.clone())],
            0,
        ),
        (
            "a huge Content-Length",
            b"Content-Length: 99999999999\r\n\r\n{\"jsonrpc\":\"2.0\"".to_vec(),
            vec![(-32600, null.clone())],
            0,
        ),
        ("an empty batch", frame(b"[]"), vec![(-32600, null.clone())], 0),
        (
            "a batch",
            frame(
                br#"[{"jsonrpc":"2.0","id":9008,"method":"textDocument/hover","params":{}},{"jsonrpc":"2.0","method":"initialized"}]"#,
            ),
            vec![(-32600, json!(9008))],
            0,
        ),
    ];
    for (name, bytes, errors, logs) in cases {
        c.send_raw(&bytes).await;
        // The framing layer answers a bad message before anything the server says after it.
        assert_eq!(names(&c.symbols(URI).await), ["Go"], "after {name}");
        let (got_errors, got_logs) = c.take_complaints();
        assert_eq!(got_errors, errors, "the answers to {name}");
        assert_eq!(got_logs.len(), logs, "the logs of {name}: {got_logs:?}");
    }

    // A lone surrogate: the document is analysed with U+FFFD in its place.
    c.send_raw(&with_escape(
        &json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": { "uri": URI, "version": 2 },
            "contentChanges": [{ "text": DOC }]
        } }),
        r"\ud83d",
    ))
    .await;
    assert_eq!(codes(&c.diagnostics(URI, 2).await), DOC_CODES);
    assert_eq!(names(&c.symbols(URI).await), ["Go\u{FFFD}"]);
    // A lone low half in a document opened, and a whole pair, which stays.
    c.send_raw(&with_escape(
        &json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": {
            "uri": URI2, "languageId": "json", "version": 7, "text": DOC
        } } }),
        r"\ude00",
    ))
    .await;
    assert_eq!(codes(&c.diagnostics(URI2, 7).await), DOC_CODES);
    assert_eq!(names(&c.symbols(URI2).await), ["Go\u{FFFD}"]);
    c.send_raw(&with_escape(
        &json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": { "uri": URI2, "version": 8 },
            "contentChanges": [{ "text": DOC }]
        } }),
        r"\ud83d\ude00",
    ))
    .await;
    c.diagnostics(URI2, 8).await;
    assert_eq!(names(&c.symbols(URI2).await), ["Go😀"]);
    assert_eq!(c.take_complaints(), (vec![], vec![]));

    // `exit` ends the session although the input stays open.
    assert_eq!(c.request("shutdown", Value::Null).await, Value::Null);
    c.notify("exit", Value::Null).await;
    tokio::time::timeout(LIMIT, &mut c.server)
        .await
        .expect("the server ends on exit")
        .unwrap();
    assert!(c.to_server.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_end_of_the_input_ends_the_session() {
    let mut c = Client::start();
    c.request("initialize", json!({ "capabilities": {} })).await;
    // A bad message first, and half a message at the end.
    c.send_raw(b"Content-Length: abc\r\n\r\n").await;
    c.send_raw(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"").await;
    drop(c.to_server.take());
    tokio::time::timeout(LIMIT, &mut c.server)
        .await
        .expect("the server ends at the end of its input")
        .unwrap();
    // What the server wrote before the end was delivered whole: the -32700.
    let error = c
        .wait_for("the parse error", |m| m.get("error").is_some())
        .await;
    assert_eq!(error["error"]["code"], -32700);
    assert_eq!(error["id"], Value::Null);
}
