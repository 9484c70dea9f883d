//! In-process language server tests: real JSON-RPC messages through the tower service, the
//! server's notifications read from its client socket. Answers are snapshotted.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Duration;

use asl_lsp::jsonrpc::Request;
use asl_lsp::{ClientSocket, LspService};
use futures::StreamExt;
use serde_json::{Value, json};
use tower::{Service, ServiceExt};

struct Harness {
    service: LspService<asl_lsp::Backend>,
    socket: ClientSocket,
    id: i64,
    /// Notifications read while waiting for something else.
    seen: Vec<Value>,
}

const URI: &str = "file:///work/order.asl.json";

impl Harness {
    async fn start(capabilities: Value) -> (Harness, Value) {
        let (service, socket) = asl_lsp::service();
        let mut h = Harness {
            service,
            socket,
            id: 0,
            seen: Vec::new(),
        };
        let init = h
            .request(
                "initialize",
                json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
            )
            .await;
        h.notify("initialized", json!({})).await;
        (h, init)
    }

    async fn default() -> Harness {
        Harness::start(json!({
            "textDocument": {
                "completion": { "completionItem": { "snippetSupport": true } },
                "documentSymbol": { "hierarchicalDocumentSymbolSupport": true }
            }
        }))
        .await
        .0
    }

    async fn request(&mut self, method: &str, params: Value) -> Value {
        self.id += 1;
        let request = Request::build(method.to_owned())
            .params(params)
            .id(self.id)
            .finish();
        let response = self
            .service
            .ready()
            .await
            .unwrap()
            .call(request)
            .await
            .unwrap()
            .expect("a request gets a response");
        let value = serde_json::to_value(response).unwrap();
        match value.get("error") {
            Some(e) => json!({ "error": e }),
            None => value["result"].clone(),
        }
    }

    async fn notify(&mut self, method: &str, params: Value) {
        let request = Request::build(method.to_owned()).params(params).finish();
        let response = self
            .service
            .ready()
            .await
            .unwrap()
            .call(request)
            .await
            .unwrap();
        assert!(response.is_none());
    }

    async fn open(&mut self, uri: &str, language: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": version, "text": text } }),
        )
        .await;
    }

    async fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        )
        .await;
    }

    /// The next notification from the server (10 s at most).
    /// The client's file watcher saw `uri` change.
    async fn file_changed(&mut self, uri: &str) {
        self.notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": [{ "uri": uri, "type": 2 }] }),
        )
        .await;
    }

    /// Reads every notification the server sends until it has been silent for `ms`.
    async fn drain(&mut self, ms: u64) {
        while let Ok(Some(message)) =
            tokio::time::timeout(Duration::from_millis(ms), self.socket.next()).await
        {
            self.seen.push(serde_json::to_value(message).unwrap());
        }
    }

    async fn next_notification(&mut self) -> Value {
        let message = tokio::time::timeout(Duration::from_secs(10), self.socket.next())
            .await
            .expect("the server sent nothing within 10 s")
            .expect("the server closed its socket");
        let value = serde_json::to_value(message).unwrap();
        self.seen.push(value.clone());
        value
    }

    /// The first diagnostics published for `uri` at `version` that satisfy `wanted`: a
    /// publish still in flight from before a change (the server may publish a version twice)
    /// is passed over. Fails when none comes within 10 s of the one before.
    async fn diagnostics_where(
        &mut self,
        uri: &str,
        version: i32,
        wanted: impl Fn(&Value) -> bool,
    ) -> Value {
        loop {
            let d = self.diagnostics(uri, version).await;
            if wanted(&d) {
                return d;
            }
        }
    }

    /// The diagnostics published for `uri` at `version`.
    async fn diagnostics(&mut self, uri: &str, version: i32) -> Value {
        loop {
            let n = self.next_notification().await;
            if n["method"] == "textDocument/publishDiagnostics"
                && n["params"]["uri"] == uri
                && n["params"]["version"] == version
            {
                return n["params"]["diagnostics"].clone();
            }
        }
    }
}

fn at(uri: &str, text: &str, needle: &str, nth: usize, shift: usize) -> Value {
    let mut from = 0;
    let mut pos = 0;
    for _ in 0..=nth {
        pos = from + text[from..].find(needle).expect("needle in text");
        from = pos + 1;
    }
    let pos = pos + shift;
    let line = text[..pos].matches('\n').count();
    let col = pos - text[..pos].rfind('\n').map_or(0, |i| i + 1);
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": col } })
}

/// The offset of an LSP position in ASCII `text`.
fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    start + character
}

/// `text` with LSP text edits applied.
fn apply(text: &str, edits: &[Value]) -> String {
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, new_text);
    }
    out
}

const ORDER: &str = r#"{
  "Comment": "Order processing",
  "StartAt": "Validate",
  "States": {
    "Validate": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "TimeoutSeconds": 30,
      "Retry": [{ "ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 2 }],
      "Catch": [{ "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed" }],
      "Next": "Route"
    },
    "Route": {
      "Type": "Choice",
      "Choices": [{ "Variable": "$.express", "BooleanEquals": true, "Next": "Ship" }],
      "Default": "Shp"
    },
    "Ship": {
      "Type": "Parallel",
      "Branches": [
        { "StartAt": "Pack", "States": { "Pack": { "Type": "Pass", "End": true } } }
      ]
    },
    "Orphan": { "Type": "Pass", "End": true },
    "Failed": { "Type": "Fail", "Error": "OrderFailed" }
  }
}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initialize_advertises_features_and_negotiates_encoding() {
    let (_, init) = Harness::start(json!({})).await;
    insta::assert_json_snapshot!("initialize", init);
    let (_, init) = Harness::start(
        json!({ "general": { "positionEncodings": ["utf-32", "utf-8", "utf-16"] } }),
    )
    .await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_session() {
    let mut h = Harness::default().await;
    h.open(URI, "asl", 1, ORDER).await;
    let diagnostics = h.diagnostics(URI, 1).await;
    insta::assert_json_snapshot!("diagnostics", diagnostics);
    let unreachable = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ASL103")
        .unwrap();
    assert_eq!(
        unreachable["tags"],
        json!([1]),
        "unreachable states are tagged unnecessary"
    );

    let hover = h
        .request("textDocument/hover", at(URI, ORDER, "\"Route\"", 0, 3))
        .await;
    insta::assert_json_snapshot!("hover_transition", hover);
    let hover = h
        .request("textDocument/hover", at(URI, ORDER, "\"Shp\"", 0, 2))
        .await;
    insta::assert_json_snapshot!("hover_diagnostic", hover);
    let hover = h
        .request("textDocument/hover", at(URI, ORDER, "TimeoutSeconds", 0, 2))
        .await;
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**`TimeoutSeconds`**")
    );
    let hover = h
        .request(
            "textDocument/hover",
            at(URI, ORDER, "Lambda.ServiceException", 0, 2),
        )
        .await;
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Transient")
    );

    let definition = h
        .request(
            "textDocument/definition",
            at(URI, ORDER, "\"Failed\"", 0, 2),
        )
        .await;
    insta::assert_json_snapshot!("definition", definition);

    let mut refs = at(URI, ORDER, "\"Ship\"", 1, 2);
    refs["context"] = json!({ "includeDeclaration": true });
    let references = h.request("textDocument/references", refs).await;
    insta::assert_json_snapshot!("references", references);

    let highlights = h
        .request(
            "textDocument/documentHighlight",
            at(URI, ORDER, "\"Validate\"", 0, 2),
        )
        .await;
    insta::assert_json_snapshot!("highlights", highlights);

    let prepare = h
        .request(
            "textDocument/prepareRename",
            at(URI, ORDER, "\"Ship\"", 0, 2),
        )
        .await;
    insta::assert_json_snapshot!("prepare_rename", prepare);
    let refused = h
        .request(
            "textDocument/prepareRename",
            at(URI, ORDER, "\"Type\"", 0, 2),
        )
        .await;
    assert_eq!(refused["error"]["code"], -32803);
    let mut rename = at(URI, ORDER, "\"Ship\"", 0, 2);
    rename["newName"] = json!("Dispatch");
    let edit = h.request("textDocument/rename", rename.clone()).await;
    insta::assert_json_snapshot!("rename", edit);
    rename["newName"] = json!("Pack");
    let clash = h.request("textDocument/rename", rename).await;
    assert!(
        clash["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already exists"),
        "{clash}"
    );

    let symbols = h
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await;
    insta::assert_json_snapshot!("symbols", symbols);
    let folds = h
        .request(
            "textDocument/foldingRange",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await;
    assert!(folds.as_array().unwrap().len() >= 6, "{folds}");

    let mut actions = at(URI, ORDER, "\"Shp\"", 0, 2);
    actions["range"] = json!({ "start": actions["position"], "end": actions["position"] });
    actions["context"] = json!({ "diagnostics": [] });
    let actions = h.request("textDocument/codeAction", actions).await;
    insta::assert_json_snapshot!("code_actions", actions);

    h.request("shutdown", Value::Null).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inlay_hints_show_attempts_and_transitions() {
    let mut h = Harness::default().await;
    h.open(URI, "asl", 1, ORDER).await;
    h.diagnostics(URI, 1).await;
    let range = |start: (u32, u32), end: (u32, u32)| {
        json!({ "textDocument": { "uri": URI }, "range": {
            "start": { "line": start.0, "character": start.1 },
            "end": { "line": end.0, "character": end.1 } } })
    };
    // The end is past the last line: the range runs to the end of the text.
    let hints = h
        .request("textDocument/inlayHint", range((0, 0), (9999, 0)))
        .await;
    insta::assert_json_snapshot!("inlay_hints", hints);
    let labels: Vec<&str> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["4 transitions (6 with retries)", "×3 attempts"]);
    // Only the hints in the range: line 2 holds `StartAt`, line 4 the name `Validate`.
    let hints = h
        .request("textDocument/inlayHint", range((3, 0), (5, 0)))
        .await;
    assert_eq!(hints.as_array().unwrap().len(), 1, "{hints}");
    assert_eq!(hints[0]["label"], "×3 attempts");
    assert_eq!(hints[0]["position"], json!({ "line": 4, "character": 14 }));
    // A range past the end, a reversed one, an unknown document: nothing.
    let past = h
        .request("textDocument/inlayHint", range((9999, 0), (9999, 5)))
        .await;
    assert_eq!(past, json!([]));
    let reversed = h
        .request("textDocument/inlayHint", range((5, 0), (3, 0)))
        .await;
    assert_eq!(reversed, json!([]));
    let unknown = h
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": "file:///nowhere.asl.json" }, "range": {
                "start": { "line": 0, "character": 0 }, "end": { "line": 1, "character": 0 } } }),
        )
        .await;
    assert_eq!(unknown, Value::Null);
    // While the text is broken, the hints of the last well-formed version follow the edit.
    let broken =
        ORDER
            .replacen("\"Comment\"", "\n\"Comment\"", 1)
            .replacen("\"Route\",", "\"Route\"", 1);
    h.change(URI, 2, &broken).await;
    h.diagnostics(URI, 2).await;
    let hints = h
        .request("textDocument/inlayHint", range((0, 0), (9999, 0)))
        .await;
    assert_eq!(hints[1]["label"], "×3 attempts", "{hints}");
    assert_eq!(hints[1]["position"], json!({ "line": 5, "character": 14 }));
    h.request("shutdown", Value::Null).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_while_typing() {
    let mut h = Harness::default().await;
    h.open(URI, "asl", 1, ORDER).await;
    h.diagnostics(URI, 1).await;
    // The user starts a Next in Orphan: the text is broken.
    let typing = ORDER.replace(
        r#""Orphan": { "Type": "Pass", "End": true },"#,
        r#""Orphan": { "Type": "Pass", "Next": " },"#,
    );
    h.change(URI, 2, &typing).await;
    let diagnostics = h.diagnostics(URI, 2).await;
    assert_eq!(diagnostics[0]["code"], "ASL001", "{diagnostics}");
    let params = at(URI, &typing, "\"Pass\", \"Next\": \"", 0, 17);
    let response = h.request("textDocument/completion", params).await;
    assert_eq!(response["isIncomplete"], false);
    let items = response["items"].clone();
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["Validate", "Route", "Ship", "Failed", "Orphan"]);
    insta::assert_json_snapshot!("completion_state", items[0]);

    // Navigation keeps working on the last good analysis, mapped through the edit.
    let definition = h
        .request(
            "textDocument/definition",
            at(URI, &typing, "\"Failed\"", 0, 2),
        )
        .await;
    let line = definition["range"]["start"]["line"].as_u64().unwrap() as usize;
    assert!(
        typing
            .lines()
            .nth(line)
            .unwrap()
            .trim_start()
            .starts_with("\"Failed\": {"),
        "{definition}"
    );

    // Field names with snippets.
    let fields = ORDER.replace(
        r#""Orphan": { "Type": "Pass", "End": true },"#,
        "\"Orphan\": { \"Type\": \"Wait\", \"\" },",
    );
    h.change(URI, 3, &fields).await;
    let items = h
        .request("textDocument/completion", at(URI, &fields, "\"\" }", 0, 1))
        .await;
    let seconds = items["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "Seconds")
        .unwrap();
    insta::assert_json_snapshot!("completion_field", seconds);
}

/// An AWS SDK Task: hover on a parameter key and completion of the missing parameters, from
/// the AWS model, through the protocol.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sdk_parameters_hover_and_completion() {
    const SDK: &str = r#"{
  "StartAt": "Put",
  "States": {
    "Put": {
      "Type": "Task",
      "Resource": "arn:aws:states:::aws-sdk:dynamodb:putItem",
      "Parameters": { "TableName": "orders",  },
      "TimeoutSeconds": 10,
      "End": true
    }
  }
}"#;
    let mut h = Harness::default().await;
    h.open(URI, "asl", 1, SDK).await;
    h.diagnostics(URI, 1).await;
    let hover = h
        .request("textDocument/hover", at(URI, SDK, "TableName", 0, 2))
        .await;
    let value = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        value.starts_with(
            "**`TableName`** · string, required · in `Parameters` of `aws-sdk:dynamodb:putItem`"
        ),
        "{hover}"
    );
    // The text is broken (a trailing comma): completion reads it as typed.
    let items = h
        .request(
            "textDocument/completion",
            at(URI, SDK, "\"orders\",  }", 0, 11),
        )
        .await;
    let items = items["items"].as_array().cloned().unwrap_or_default();
    let mut by_sort: Vec<&Value> = items.iter().collect();
    by_sort.sort_by_key(|i| i["sortText"].as_str().unwrap_or_default().to_owned());
    let labels: Vec<&str> = by_sort.iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(labels.first(), Some(&"Item"), "{labels:?}");
    assert!(!labels.contains(&"TableName"), "{labels:?}");
    insta::assert_json_snapshot!("completion_sdk_parameter", by_sort[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rapid_changes_never_publish_stale_diagnostics() {
    let mut h = Harness::default().await;
    h.open(URI, "asl", 1, ORDER).await;
    for version in 2..=60 {
        // Each version has a different unknown target, so its diagnostics identify it.
        let text = ORDER.replace("\"Shp\"", &format!("\"Shp{version}\""));
        h.change(URI, version, &text).await;
    }
    let last = h.diagnostics(URI, 60).await;
    let messages: Vec<&str> = last
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(messages.iter().any(|m| m.contains("Shp60")), "{messages:?}");
    let versions: Vec<i64> = h
        .seen
        .iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics")
        .map(|n| n["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(
        versions.windows(2).all(|w| w[0] < w[1]),
        "published out of order: {versions:?}"
    );
    // An older version arriving late is ignored.
    h.change(URI, 59, ORDER).await;
    let hover = h
        .request(
            "textDocument/hover",
            at(
                URI,
                &ORDER.replace("\"Shp\"", "\"Shp60\""),
                "\"Shp60\"",
                0,
                2,
            ),
        )
        .await;
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Shp60"),
        "{hover}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn positions_follow_the_negotiated_encoding() {
    let text = "{\"StartAt\": \"Café ☕ 𝄞\", \"States\": {\"Café ☕ 𝄞\": {\"Type\": \"Succeed\"}}}";
    for (encodings, def_col) in [(json!(["utf-16"]), 36), (json!(["utf-8", "utf-16"]), 41)] {
        let (mut h, _) =
            Harness::start(json!({ "general": { "positionEncodings": encodings } })).await;
        h.open(URI, "asl", 1, text).await;
        h.diagnostics(URI, 1).await;
        let position =
            json!({ "textDocument": { "uri": URI }, "position": { "line": 0, "character": 14 } });
        let definition = h.request("textDocument/definition", position).await;
        assert_eq!(
            definition["range"]["start"]["character"], def_col,
            "{encodings}: {definition}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_requests_get_empty_answers_or_errors() {
    let mut h = Harness::default().await;
    // Not a state machine: nothing to say about it.
    h.open(
        "file:///work/package.json",
        "json",
        1,
        r#"{"name": "x", "version": "1.0.0"}"#,
    )
    .await;
    let hover = h.request("textDocument/hover", json!({ "textDocument": { "uri": "file:///work/package.json" }, "position": { "line": 0, "character": 3 } })).await;
    assert_eq!(hover, Value::Null);
    // A JSON document that is a state machine is analysed.
    h.open("file:///work/plain.json", "json", 1, ORDER).await;
    let diagnostics = h.diagnostics("file:///work/plain.json", 1).await;
    assert!(!diagnostics.as_array().unwrap().is_empty());
    assert!(
        !h.seen
            .iter()
            .any(|n| n["params"]["uri"] == "file:///work/package.json"),
        "nothing is published for other JSON"
    );
    // Unknown documents, positions past the end, malformed parameters.
    let unknown = h.request("textDocument/definition", json!({ "textDocument": { "uri": "file:///nowhere.asl.json" }, "position": { "line": 0, "character": 0 } })).await;
    assert_eq!(unknown, Value::Null);
    let far = h.request("textDocument/hover", json!({ "textDocument": { "uri": "file:///work/plain.json" }, "position": { "line": 9999, "character": 9999 } })).await;
    assert_eq!(far, Value::Null);
    let malformed = h
        .request("textDocument/hover", json!({ "textDocument": 5 }))
        .await;
    assert_eq!(malformed["error"]["code"], -32602);
    let unknown_method = h.request("asl-lint/nothing", json!({})).await;
    assert_eq!(unknown_method["error"]["code"], -32601);
    // Huge and deeply nested documents.
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    h.open("file:///work/deep.asl.json", "asl", 1, &deep).await;
    h.diagnostics("file:///work/deep.asl.json", 1).await;
    let symbols = h
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": "file:///work/deep.asl.json" } }),
        )
        .await;
    assert!(
        symbols.is_null() || symbols.as_array().is_some_and(|a| a.is_empty()),
        "{symbols}"
    );
    // A chain of 22,000 states (a size AWS accepts; it overflowed a stack before) and a
    // Parallel nested 1,000 deep: analysed, with their symbols.
    let mut chain = String::from(r#"{"StartAt":"S0","States":{"#);
    for i in 0..21_999 {
        chain.push_str(&format!(r#""S{i}":{{"Type":"Pass","Next":"S{}"}},"#, i + 1));
    }
    chain.push_str(r#""S21999":{"Type":"Succeed"}}}"#);
    let mut nested = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#.to_owned();
    for i in 0..1_000 {
        nested = format!(
            r#"{{"StartAt":"P{i}","States":{{"P{i}":{{"Type":"Parallel","End":true,"Branches":[{nested}]}}}}}}"#
        );
    }
    for (uri, text) in [
        ("file:///work/chain.asl.json", &chain),
        ("file:///work/nested.asl.json", &nested),
    ] {
        h.open(uri, "asl", 1, text).await;
        let found = h.diagnostics(uri, 1).await;
        assert!(
            found.as_array().is_some_and(|a| a
                .iter()
                .all(|d| d["code"] != "ASL999" && d["code"] != "ASL001")),
            "{uri}: {found}"
        );
        let symbols = h
            .request(
                "textDocument/documentSymbol",
                json!({ "textDocument": { "uri": uri } }),
            )
            .await;
        assert!(symbols.as_array().is_some_and(|a| !a.is_empty()), "{uri}");
    }
    // Still alive.
    let folds = h
        .request(
            "textDocument/foldingRange",
            json!({ "textDocument": { "uri": "file:///work/plain.json" } }),
        )
        .await;
    assert!(folds.as_array().is_some_and(|a| !a.is_empty()));
    // Closing clears the diagnostics.
    h.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": "file:///work/plain.json" } }),
    )
    .await;
    loop {
        let n = h.next_notification().await;
        if n["params"]["uri"] == "file:///work/plain.json" {
            assert_eq!(n["params"]["diagnostics"], json!([]));
            break;
        }
    }
}

/// Each document is analysed with the `asl-lint.toml` above it, read again when the client
/// reports that it changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_use_their_config_file() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("lsp-config");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let config = dir.join("asl-lint.toml");
    std::fs::write(&config, "[rules]\nunknown-target = \"off\"\n").unwrap();
    let uri = format!("file://{}", dir.join("sub/a.asl.json").display());
    let config_uri = format!("file://{}", config.display());
    let text = r#"{"StartAt": "Missing", "States": {"Done": {"Type": "Succeed"}}}"#;
    let codes = |d: &Value| -> Vec<(String, i64)> {
        d.as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_owned(),
                    d["severity"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let mut h = Harness::default().await;
    h.open(&uri, "asl", 1, text).await;
    let first = h.diagnostics(&uri, 1).await;
    assert!(!codes(&first).iter().any(|(c, _)| c == "ASL101"), "{first}");

    std::fs::write(&config, "[rules]\nunknown-target = \"info\"\n").unwrap();
    h.file_changed(&config_uri).await;
    let second = h
        .diagnostics_where(&uri, 1, |d| codes(d).iter().any(|(c, _)| c == "ASL101"))
        .await;
    assert!(
        codes(&second).contains(&("ASL101".to_owned(), 3)),
        "{second}"
    );

    // An invalid config is reported once, and the defaults apply.
    std::fs::write(&config, "[rules]\nunknown-taget = \"info\"\n").unwrap();
    h.file_changed(&config_uri).await;
    let third = h
        .diagnostics_where(&uri, 1, |d| codes(d).contains(&("ASL101".to_owned(), 1)))
        .await;
    assert!(codes(&third).contains(&("ASL101".to_owned(), 1)), "{third}");
    let warned = |n: &Value| {
        n["method"] == "window/showMessage"
            && n["params"]["message"]
                .as_str()
                .unwrap()
                .contains("asl-lint.toml:2:1: `unknown-taget` is not an asl-lint rule")
    };
    // ... and published on the config file, at the unknown key.
    let on_config = |n: &Value| {
        n["method"] == "textDocument/publishDiagnostics"
            && n["params"]["uri"] == config_uri
            && !n["params"]["diagnostics"].as_array().unwrap().is_empty()
    };
    // Both may come before or after the document's diagnostics: wait for them.
    while !(h.seen.iter().any(warned) && h.seen.iter().any(on_config)) {
        h.next_notification().await;
    }
    let on_config = h.seen.iter().find(|n| on_config(n)).unwrap();
    let d = &on_config["params"]["diagnostics"][0];
    assert_eq!(
        d["range"]["start"],
        json!({ "line": 1, "character": 0 }),
        "{d}"
    );
    assert!(
        d["message"].as_str().unwrap().contains("unknown-taget"),
        "{d}"
    );

    // Fixed: the config's diagnostics are cleared.
    std::fs::write(&config, "[rules]\nunknown-target = \"info\"\n").unwrap();
    h.file_changed(&config_uri).await;
    loop {
        let n = h.next_notification().await;
        if n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == config_uri {
            assert_eq!(n["params"]["diagnostics"], json!([]));
            break;
        }
    }
}

/// `*.asl.yaml` documents get diagnostics at their YAML positions, hover, go-to-definition,
/// rename (written in YAML: a plain name stays plain where YAML reads it back so, else it is
/// quoted), completion of a state name after a plain scalar, and folding by the tree's
/// mappings; quick fixes, which write JSON text, answer nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yaml_documents_are_analysed() {
    const YAML_URI: &str = "file:///work/flow.asl.yaml";
    const FLOW: &str = "StartAt: Load\nStates:\n  Load:\n    Type: Pass\n    Next: Sav\n  Save:\n    Type: Succeed\n";
    let mut h = Harness::default().await;
    h.open(YAML_URI, "asl-yaml", 1, FLOW).await;
    let diags = h.diagnostics(YAML_URI, 1).await;
    let unknown = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ASL101")
        .unwrap_or_else(|| panic!("no ASL101 in {diags}"));
    assert_eq!(
        unknown["range"],
        json!({ "start": { "line": 4, "character": 10 }, "end": { "line": 4, "character": 13 } })
    );
    let hover = h
        .request("textDocument/hover", at(YAML_URI, FLOW, "Save:", 0, 1))
        .await;
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("Succeed")),
        "{hover}"
    );
    let definition = h
        .request(
            "textDocument/definition",
            at(YAML_URI, FLOW, "Load\n", 0, 1),
        )
        .await;
    assert_eq!(
        definition["range"]["start"],
        json!({ "line": 2, "character": 2 }),
        "{definition}"
    );
    let mut rename = at(YAML_URI, FLOW, "Load:", 0, 1);
    rename["newName"] = json!("Fetch it");
    let edit = h.request("textDocument/rename", rename).await;
    let edits = edit["changes"][YAML_URI].as_array().unwrap();
    assert_eq!(edits.len(), 2, "{edit}");
    assert!(edits.iter().all(|e| e["newText"] == "Fetch it"), "{edit}");
    let mut rename = at(YAML_URI, FLOW, "Load:", 0, 1);
    rename["newName"] = json!("Fetch: it");
    let edit = h.request("textDocument/rename", rename).await;
    let edits = edit["changes"][YAML_URI].as_array().unwrap();
    assert!(
        edits.iter().all(|e| e["newText"] == "\"Fetch: it\""),
        "{edit}"
    );
    let completion = h
        .request("textDocument/completion", at(YAML_URI, FLOW, "Sav", 0, 3))
        .await;
    let save = completion["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["label"] == "Save")
        .unwrap_or_else(|| panic!("no Save in {completion}"));
    assert_eq!(
        save["textEdit"]["range"],
        json!({ "start": { "line": 4, "character": 10 }, "end": { "line": 4, "character": 13 } }),
        "{save}"
    );
    let completed = apply(FLOW, &[save["textEdit"].clone()]);
    let reparsed =
        asl_analyzer::analyze(&completed, asl_syntax::Dialect::Yaml, &Default::default());
    assert!(reparsed.iter().all(|d| d.code() != "ASL101"), "{completed}");
    // Folding: `States` (lines 1-6) and each state's mapping.
    let folds = h
        .request(
            "textDocument/foldingRange",
            json!({ "textDocument": { "uri": YAML_URI } }),
        )
        .await;
    let lines: Vec<(u64, u64)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines, [(0, 6), (1, 6), (2, 4), (5, 6)], "{folds}");
    let mut action = at(YAML_URI, FLOW, "Sav", 0, 0);
    action["range"] = json!({ "start": action["position"], "end": action["position"] });
    action["context"] = json!({ "diagnostics": [] });
    let actions = h.request("textDocument/codeAction", action).await;
    assert_eq!(actions, Value::Null);
    h.request("shutdown", Value::Null).await;
}

/// A plain `flow.yaml` (not `*.asl.yaml`) whose top level has `StartAt` and `States`, opened
/// as plain YAML, is analysed like `check` lints it (the server and the command line share the
/// classifier); so is a plain `flow.json`; another YAML document next to it gets nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_yaml_and_json_state_machines_get_diagnostics() {
    const YAML_URI: &str = "file:///work/flows/flow.yaml";
    const JSON_URI: &str = "file:///work/flows/flow.json";
    const OTHER_URI: &str = "file:///work/flows/values.yaml";
    const FLOW: &str = "StartAt: Load\nStates:\n  Load:\n    Type: Pass\n    Next: Sav\n  Save:\n    Type: Succeed\n";
    const FLOW_JSON: &str = r#"{"StartAt": "Load", "States": {"Load": {"Type": "Pass", "Next": "Sav"}, "Save": {"Type": "Succeed"}}}"#;
    let mut h = Harness::default().await;
    h.open(OTHER_URI, "yaml", 1, "replicas: 2\nStates: [a]\n")
        .await;
    h.open(YAML_URI, "yaml", 1, FLOW).await;
    let diags = h.diagnostics(YAML_URI, 1).await;
    let expected = asl_analyzer::analyze(FLOW, asl_syntax::Dialect::Yaml, &Default::default());
    let codes: Vec<&str> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    let cli_codes: Vec<&str> = expected.iter().map(|d| d.code()).collect();
    assert_eq!(codes, cli_codes, "{diags}");
    let unknown = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ASL101")
        .unwrap_or_else(|| panic!("no ASL101 in {diags}"));
    assert_eq!(
        unknown["range"],
        json!({ "start": { "line": 4, "character": 10 }, "end": { "line": 4, "character": 13 } })
    );
    h.open(JSON_URI, "json", 1, FLOW_JSON).await;
    let diags = h.diagnostics(JSON_URI, 1).await;
    assert!(
        diags
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "ASL101"),
        "{diags}"
    );
    h.drain(300).await;
    assert!(
        !h.seen.iter().any(|n| n["params"]["uri"] == OTHER_URI),
        "the other YAML got something: {:?}",
        h.seen
    );
    h.request("shutdown", Value::Null).await;
}

/// A CloudFormation/SAM template opened as plain YAML gets the findings of its state machines
/// at their places in the template (inside a `DefinitionString` too), and hover there; other
/// YAML gets nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_get_diagnostics() {
    const TEMPLATE_URI: &str = "file:///work/template.yaml";
    const TEMPLATE: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionString: !Sub |\n        {\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Gone\"}}}\n";
    const WORKFLOW_URI: &str = "file:///work/.github/workflows/ci.yaml";
    let mut h = Harness::default().await;
    h.open(WORKFLOW_URI, "yaml", 1, "on: push\njobs: {}\n")
        .await;
    h.open(TEMPLATE_URI, "yaml", 1, TEMPLATE).await;
    let diags = h.diagnostics(TEMPLATE_URI, 1).await;
    let unknown = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ASL101")
        .unwrap_or_else(|| panic!("no ASL101 in {diags}"));
    let col = TEMPLATE.lines().nth(6).unwrap().find("\"Gone\"").unwrap();
    assert_eq!(
        unknown["range"]["start"],
        json!({ "line": 6, "character": col }),
        "{unknown}"
    );
    let hover = h
        .request(
            "textDocument/hover",
            at(TEMPLATE_URI, TEMPLATE, "Gone", 0, 1),
        )
        .await;
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("ASL101")),
        "{hover}"
    );
    assert_eq!(
        hover["range"]["start"],
        json!({ "line": 6, "character": col }),
        "{hover}"
    );
    // Whatever the server would send for the workflow has arrived by now.
    h.drain(300).await;
    assert!(
        !h.seen.iter().any(|n| n["params"]["uri"] == WORKFLOW_URI),
        "the workflow YAML got something: {:?}",
        h.seen
    );
    h.request("shutdown", Value::Null).await;
}

/// The findings of the baseline the config names are not published, as `asl-lint check
/// --baseline` hides them: the same function decides, on the editor's text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_config_baseline_hides_its_findings() {
    use asl_config::baseline::{Baseline, entries};
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("lsp-baseline");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(
        dir.join("asl-lint.toml"),
        "baseline = \"asl-lint-baseline.json\"\n",
    )
    .unwrap();
    let text = r#"{"StartAt": "Missing", "States": {"Done": {"Type": "Succeed"}}}"#;
    let found = asl_analyzer::analyze(
        text,
        asl_syntax::Dialect::Json,
        &asl_analyzer::Options::default(),
    );
    assert!(!found.is_empty());
    let mut baseline = Baseline::default();
    baseline
        .files
        .insert("sub/a.asl.json".to_owned(), entries(text, &found));
    std::fs::write(dir.join("asl-lint-baseline.json"), baseline.to_json()).unwrap();

    let uri = format!("file://{}", dir.join("sub/a.asl.json").display());
    let mut h = Harness::default().await;
    h.open(&uri, "asl", 1, text).await;
    let first = h.diagnostics(&uri, 1).await;
    assert_eq!(first, json!([]), "{first}");

    // Lines inserted above and a new state: only the new state's findings are shown.
    let changed = "\n\n{\"StartAt\": \"Missing\",\n \"States\": {\"X\": {\"Type\": \"Pass\", \"Next\": \"Nowhere\"},\n \"Done\": {\"Type\": \"Succeed\"}}}";
    h.change(&uri, 2, changed).await;
    let second = h.diagnostics(&uri, 2).await;
    let messages: Vec<&str> = second
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(!messages.is_empty(), "{second}");
    assert!(messages.iter().all(|m| m.contains("`X`")), "{second}");

    // A baseline that cannot be read hides nothing, and says so.
    std::fs::write(dir.join("asl-lint-baseline.json"), "{").unwrap();
    h.change(&uri, 3, text).await;
    let third = h.diagnostics(&uri, 3).await;
    assert_eq!(third.as_array().unwrap().len(), found.len(), "{third}");
    let warned = |n: &Value| {
        n["method"] == "window/showMessage"
            && n["params"]["message"]
                .as_str()
                .unwrap()
                .contains("asl-lint-baseline.json: not valid JSON")
    };
    while !h.seen.iter().any(warned) {
        h.next_notification().await;
    }
}

/// A Serverless Framework file gets its state machines' diagnostics at their places, each for
/// its workflow type; one without `stepFunctions` gets nothing, as the command line lints
/// nothing in it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serverless_files_get_diagnostics() {
    const URI: &str = "file:///work/serverless.yml";
    const TEXT: &str = "service: s\nstepFunctions:\n  stateMachines:\n    fast:\n      type: EXPRESS\n      definition:\n        StartAt: A\n        States:\n          A:\n            Type: Task\n            Resource: arn:aws:states:::sqs:sendMessage.waitForTaskToken\n            TimeoutSeconds: ${self:custom.timeout}\n            HeartbeatSeconds: 60\n            Parameters:\n              QueueUrl: ${self:custom.queue}\n              MessageBody.$: $\n            End: true\n";
    const PLAIN_URI: &str = "file:///work/plain/serverless.yml";
    let mut h = Harness::default().await;
    h.open(PLAIN_URI, "yaml", 1, "service: s\nprovider: {name: aws}\n")
        .await;
    h.open(URI, "yaml", 1, TEXT).await;
    let diags = h.diagnostics(URI, 1).await;
    let codes: Vec<_> = diags
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(codes, ["ASL403"], "{diags}");
    let col = TEXT
        .lines()
        .nth(10)
        .unwrap()
        .find(".waitForTaskToken")
        .unwrap();
    assert_eq!(
        diags[0]["range"]["start"],
        json!({ "line": 10, "character": col }),
        "{diags}"
    );
    h.drain(300).await;
    assert!(
        !h.seen.iter().any(|n| n["params"]["uri"] == PLAIN_URI),
        "the plain serverless.yml got something: {:?}",
        h.seen
    );
    h.request("shutdown", Value::Null).await;
}

/// Inside a SAM template's in-place YAML `Definition`: hover on a `Next` value, go-to-definition
/// to the state's key, references, rename (written as YAML, every target renamed), the outline
/// (one symbol per state machine holding its states), completion of a state name, folding.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_get_the_editor_features_in_place() {
    const URI: &str = "file:///work/sam/template.yaml";
    const TEXT: &str = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Orders:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: Load\n        States:\n          Load:\n            Type: Pass\n            Next: Route\n          Route:\n            Type: Choice\n            Choices:\n              - Variable: $.express\n                BooleanEquals: true\n                Next: Load\n            Default: Done\n          Done:\n            Type: Succeed\n  Table:\n    Type: AWS::DynamoDB::Table\n";
    let mut h = Harness::default().await;
    h.open(URI, "yaml", 1, TEXT).await;
    let diags = h.diagnostics(URI, 1).await;
    // The loop's history limit, on `Load`.
    let codes: Vec<&str> = diags
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["ASL501"], "{diags}");

    let hover = h
        .request("textDocument/hover", at(URI, TEXT, "Route\n", 0, 2))
        .await;
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("Choice")),
        "{hover}"
    );
    assert_eq!(
        hover["range"],
        json!({ "start": { "line": 11, "character": 18 }, "end": { "line": 11, "character": 23 } })
    );
    let definition = h
        .request("textDocument/definition", at(URI, TEXT, "Route\n", 0, 2))
        .await;
    assert_eq!(
        definition["range"],
        json!({ "start": { "line": 12, "character": 10 }, "end": { "line": 12, "character": 15 } }),
        "{definition}"
    );
    assert_eq!(definition["uri"], URI);

    let mut references = at(URI, TEXT, "Load:", 0, 1);
    references["context"] = json!({ "includeDeclaration": true });
    let refs = h.request("textDocument/references", references).await;
    let lines: Vec<u64> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [7, 9, 17], "{refs}");

    let prepare = h
        .request("textDocument/prepareRename", at(URI, TEXT, "Done:", 0, 0))
        .await;
    assert_eq!(prepare["placeholder"], "Done", "{prepare}");
    let mut rename = at(URI, TEXT, "Done:", 0, 0);
    rename["newName"] = json!("Finished: ok");
    let edit = h.request("textDocument/rename", rename).await;
    let edits = edit["changes"][URI].as_array().unwrap().clone();
    assert_eq!(edits.len(), 2, "{edit}");
    let renamed = apply(TEXT, &edits);
    assert!(
        renamed.contains("            Default: \"Finished: ok\"\n")
            && renamed.contains("          \"Finished: ok\":\n"),
        "{renamed}"
    );
    let mut rename = at(URI, TEXT, "Load\n", 0, 0);
    rename["newName"] = json!("Fetch");
    let edit = h.request("textDocument/rename", rename).await;
    let renamed = apply(TEXT, edit["changes"][URI].as_array().unwrap());
    // It re-parses as the same template, every target renamed.
    let parse = asl_syntax::parse(&renamed, asl_syntax::Dialect::Yaml);
    let root = parse.root.as_ref().expect("the renamed template parses");
    let definition = &root
        .get("Resources")
        .and_then(|r| r.value.get("Orders"))
        .and_then(|o| o.value.get("Properties"))
        .and_then(|p| p.value.get("Definition"))
        .unwrap()
        .value;
    assert_eq!(
        definition.get("StartAt").unwrap().value.as_str(),
        Some("Fetch")
    );
    let states = &definition.get("States").unwrap().value;
    assert!(states.get("Fetch").is_some() && states.get("Load").is_none());
    let rule = &states
        .get("Route")
        .unwrap()
        .value
        .get("Choices")
        .unwrap()
        .value;
    assert_eq!(
        rule.as_array().unwrap()[0]
            .get("Next")
            .unwrap()
            .value
            .as_str(),
        Some("Fetch")
    );
    let found = asl_analyzer::embedded::analyze_host(
        asl_syntax::Host::CloudFormation,
        &renamed,
        asl_syntax::Dialect::Yaml,
        &parse,
        &Default::default(),
    );
    let codes: Vec<&str> = found.diagnostics.iter().map(|d| d.code()).collect();
    assert_eq!(codes, ["ASL501"], "{:?}", found.diagnostics);

    let symbols = h
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await;
    assert_eq!(symbols.as_array().unwrap().len(), 1, "{symbols}");
    assert_eq!(symbols[0]["name"], "Orders");
    assert_eq!(symbols[0]["selectionRange"]["start"]["line"], 3);
    let names: Vec<&str> = symbols[0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Load", "Route", "Done"], "{symbols}");

    // Completing `Default: Do|`.
    let typing = TEXT.replace("Default: Done", "Default: Do");
    h.change(URI, 2, &typing).await;
    let completion = h
        .request(
            "textDocument/completion",
            at(URI, &typing, "Default: Do", 0, 11),
        )
        .await;
    let done = completion["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["label"] == "Done")
        .unwrap_or_else(|| panic!("no Done in {completion}"));
    let completed = apply(&typing, &[done["textEdit"].clone()]);
    assert_eq!(completed, TEXT);

    let folds = h
        .request(
            "textDocument/foldingRange",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await;
    let folds: Vec<(u64, u64)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(folds.contains(&(8, 20)), "States: {folds:?}");
    assert!(folds.contains(&(3, 20)), "the resource: {folds:?}");

    // The inlay hint after the definition's `StartAt`.
    let hints = h
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": URI }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 23, "character": 0 } } }),
        )
        .await;
    assert!(
        hints
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["position"] == json!({ "line": 7, "character": 21 })),
        "{hints}"
    );
    // Code actions in place are written in the template's YAML: the history-limit finding's
    // suppression keeps the template a template with its state machine.
    let mut action = at(URI, &typing, "Load:", 0, 0);
    action["range"] = json!({ "start": action["position"], "end": action["position"] });
    action["context"] = json!({ "diagnostics": [] });
    let actions = h.request("textDocument/codeAction", action).await;
    let actions = actions.as_array().unwrap();
    assert!(
        !actions.is_empty(),
        "no action on the history-limit finding"
    );
    for a in actions {
        let fixed = apply(&typing, a["edit"]["changes"][URI].as_array().unwrap());
        let parse = asl_syntax::parse(&fixed, asl_syntax::Dialect::Yaml);
        let root = parse
            .root
            .as_ref()
            .unwrap_or_else(|| panic!("{}: {fixed}", a["title"]));
        assert_eq!(
            asl_syntax::Host::CloudFormation
                .definitions(&fixed, Some(root))
                .len(),
            1,
            "{}: {fixed}",
            a["title"]
        );
    }

    // Outside the definition, at the very end: nothing.
    for position in [
        at(URI, &typing, "Table", 0, 1),
        at(URI, &typing, "Transform", 0, 0),
    ] {
        let hover = h.request("textDocument/hover", position.clone()).await;
        assert_eq!(hover, Value::Null);
        let definition = h.request("textDocument/definition", position).await;
        assert_eq!(definition, Value::Null);
    }
    let end = json!({ "textDocument": { "uri": URI }, "position": { "line": 23, "character": 0 } });
    assert_eq!(
        h.request("textDocument/hover", end.clone()).await,
        Value::Null
    );
    let completion = h.request("textDocument/completion", end.clone()).await;
    assert!(
        completion.is_null() || completion["items"] == json!([]),
        "{completion}"
    );
    let mut rename = end;
    rename["newName"] = json!("X");
    let refused = h.request("textDocument/rename", rename).await;
    assert!(refused["error"]["message"].is_string(), "{refused}");

    // A broken template: its syntax error is shown, null answers, and the server lives on.
    h.change(URI, 3, &TEXT.replace("Type: Pass", "Type: [Pass"))
        .await;
    let diags = h
        .diagnostics_where(URI, 3, |d| d.as_array().is_some_and(|a| !a.is_empty()))
        .await;
    assert_eq!(diags[0]["code"], "ASL001", "{diags}");
    for method in ["textDocument/hover", "textDocument/definition"] {
        let answer = h.request(method, at(URI, TEXT, "Route\n", 0, 2)).await;
        assert_eq!(answer, Value::Null, "{method}");
    }
    let symbols = h
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await;
    assert!(symbols.is_null() || symbols == json!([]), "{symbols}");
    h.request("shutdown", Value::Null).await;
}

/// Inside a JSON template's `DefinitionString` (a JSON-escaped string): hover and
/// go-to-definition answer at the exact template positions, rename writes the name escaped
/// for the string, and a quick fix's edits are escaped too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_get_the_editor_features_in_a_definition_string() {
    const URI: &str = "file:///work/cdk.out/Stack.template.json";
    const TEXT: &str = "{\n  \"Resources\": {\n    \"Flow\": {\n      \"Type\": \"AWS::StepFunctions::StateMachine\",\n      \"Properties\": {\n        \"DefinitionString\": \"{\\\"StartAt\\\":\\\"First\\\",\\\"States\\\":{\\\"First\\\":{\\\"Type\\\":\\\"Pass\\\",\\\"Next\\\":\\\"Second\\\"},\\\"Second\\\":{\\\"Type\\\":\\\"Succeed\\\"}}}\"\n      }\n    }\n  }\n}\n";
    let mut h = Harness::default().await;
    h.open(URI, "json", 1, TEXT).await;
    let diags = h.diagnostics(URI, 1).await;
    assert_eq!(diags, json!([]), "{diags}");
    let line5 = TEXT.lines().nth(5).unwrap();
    let next = line5.find("\\\"Second\\\"}").unwrap();
    let key = line5.find("\\\"Second\\\":{").unwrap();
    let hover = h
        .request("textDocument/hover", at(URI, TEXT, "Second\\\"}", 0, 1))
        .await;
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("Succeed")),
        "{hover}"
    );
    assert_eq!(
        hover["range"],
        json!({ "start": { "line": 5, "character": next }, "end": { "line": 5, "character": next + 10 } }),
        "{hover}"
    );
    let definition = h
        .request(
            "textDocument/definition",
            at(URI, TEXT, "Second\\\"}", 0, 1),
        )
        .await;
    assert_eq!(
        definition["range"],
        json!({ "start": { "line": 5, "character": key }, "end": { "line": 5, "character": key + 10 } }),
        "{definition}"
    );
    let mut rename = at(URI, TEXT, "Second\\\"}", 0, 1);
    rename["newName"] = json!("Say \"done\"");
    let edit = h.request("textDocument/rename", rename).await;
    let edits = edit["changes"][URI].as_array().unwrap();
    assert_eq!(edits.len(), 2, "{edit}");
    let renamed = apply(TEXT, edits);
    assert!(
        renamed.contains(r#"\"Next\":\"Say \\\"done\\\"\"}"#),
        "{renamed}"
    );
    let parse = asl_syntax::parse(&renamed, asl_syntax::Dialect::Json);
    let found = asl_analyzer::embedded::analyze_host(
        asl_syntax::Host::CloudFormation,
        &renamed,
        asl_syntax::Dialect::Json,
        &parse,
        &Default::default(),
    );
    assert!(found.diagnostics.is_empty(), "{:?}", found.diagnostics);
    let symbols = h
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await;
    assert_eq!(symbols[0]["name"], "Flow", "{symbols}");
    assert_eq!(symbols[0]["children"][1]["name"], "Second", "{symbols}");
    assert_eq!(
        symbols[0]["children"][1]["selectionRange"]["start"],
        json!({ "line": 5, "character": key })
    );

    // A finding with a quick fix: its edit is written escaped in the string.
    let broken = TEXT.replace("\\\"Next\\\":\\\"Second", "\\\"Next\\\":\\\"Secnd");
    h.change(URI, 2, &broken).await;
    let diags = h.diagnostics(URI, 2).await;
    let bad = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ASL101")
        .unwrap_or_else(|| panic!("no finding on the type in {diags}"))
        .clone();
    let mut action = json!({ "textDocument": { "uri": URI } });
    action["range"] = bad["range"].clone();
    action["context"] = json!({ "diagnostics": [bad] });
    let actions = h.request("textDocument/codeAction", action).await;
    let actions = actions.as_array().unwrap();
    assert!(!actions.is_empty());
    for a in actions {
        let fixed = apply(&broken, a["edit"]["changes"][URI].as_array().unwrap());
        let parse = asl_syntax::parse(&fixed, asl_syntax::Dialect::Json);
        assert!(parse.root.is_some(), "{}: {fixed}", a["title"]);
        let found = asl_analyzer::embedded::analyze_host(
            asl_syntax::Host::CloudFormation,
            &fixed,
            asl_syntax::Dialect::Json,
            &parse,
            &Default::default(),
        );
        assert!(
            found.diagnostics.iter().all(|d| d.code() != "ASL001"),
            "{}: {fixed}",
            a["title"]
        );
    }
    let quick = actions
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .unwrap_or_else(|| panic!("no quick fix in {actions:?}"));
    let fixed = apply(&broken, quick["edit"]["changes"][URI].as_array().unwrap());
    assert_eq!(fixed, TEXT, "{}", quick["title"]);
    h.request("shutdown", Value::Null).await;
}

/// Inside a Serverless Framework file's `definition`: go-to-definition and hover.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serverless_files_get_the_editor_features() {
    const URI: &str = "file:///work/app/serverless.yml";
    const TEXT: &str = "service: s\nstepFunctions:\n  stateMachines:\n    hello:\n      definition:\n        StartAt: Greet\n        States:\n          Greet:\n            Type: Pass\n            Next: Bye\n          Bye:\n            Type: Succeed\n";
    let mut h = Harness::default().await;
    h.open(URI, "yaml", 1, TEXT).await;
    h.diagnostics(URI, 1).await;
    let definition = h
        .request("textDocument/definition", at(URI, TEXT, "Bye\n", 0, 1))
        .await;
    assert_eq!(
        definition["range"],
        json!({ "start": { "line": 10, "character": 10 }, "end": { "line": 10, "character": 13 } }),
        "{definition}"
    );
    let hover = h
        .request("textDocument/hover", at(URI, TEXT, "Greet\n", 0, 1))
        .await;
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("Pass")),
        "{hover}"
    );
    let symbols = h
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await;
    assert_eq!(symbols[0]["name"], "hello", "{symbols}");
    h.request("shutdown", Value::Null).await;
}

/// A Terraform document (language id `terraform`) that holds a state machine gets its
/// definition's diagnostics at the HCL tokens, and its HCL syntax error; one without is left
/// alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terraform_documents_get_diagnostics_at_the_hcl_token() {
    const URI: &str = "file:///work/main.tf";
    const TF: &str = "resource \"aws_sfn_state_machine\" \"flow\" {\n  definition = jsonencode({\n    StartAt = \"A\"\n    States = {\n      A = { Type = \"Pass\", Next = \"Gone\" }\n    }\n  })\n}\n";
    const OTHER_URI: &str = "file:///work/queue.tf";
    let mut h = Harness::default().await;
    h.open(
        OTHER_URI,
        "terraform",
        1,
        "resource \"aws_sqs_queue\" \"q\" {}\n",
    )
    .await;
    h.open(URI, "terraform", 1, TF).await;
    let diags = h.diagnostics(URI, 1).await;
    let unknown = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ASL101")
        .unwrap_or_else(|| panic!("no ASL101 in {diags}"));
    let col = TF.lines().nth(4).unwrap().find("\"Gone\"").unwrap();
    assert_eq!(
        unknown["range"]["start"],
        json!({ "line": 4, "character": col }),
        "{unknown}"
    );
    // A rename is written in HCL: a name that is no identifier becomes a quoted key.
    let mut rename = at(URI, TF, "A = {", 0, 0);
    rename["newName"] = json!("Start here");
    let edit = h.request("textDocument/rename", rename).await;
    let renamed = apply(TF, edit["changes"][URI].as_array().unwrap());
    assert!(
        renamed.contains("StartAt = \"Start here\"\n")
            && renamed.contains("      \"Start here\" = { Type"),
        "{renamed}"
    );
    assert!(asl_syntax::terraform::parse(&renamed).error.is_none());
    // A broken edit: the HCL syntax error, at its place.
    let broken = TF.replace("Next = \"Gone\"", "Next = ");
    h.change(URI, 2, &broken).await;
    let diags = h.diagnostics(URI, 2).await;
    assert_eq!(diags[0]["code"], "ASL001", "{diags}");
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid HCL: "),
        "{diags}"
    );
    h.drain(300).await;
    assert!(
        !h.seen.iter().any(|n| n["params"]["uri"] == OTHER_URI),
        "the queue got something: {:?}",
        h.seen
    );
    h.request("shutdown", Value::Null).await;
}
