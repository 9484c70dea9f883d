//! The tolerant framing layer in front of tower-lsp-server: raw client bytes in, good messages
//! (re-framed for the server) and error answers out. Pure functions over bytes, no IO; the tasks
//! that move the bytes are in `transport.rs`.
//!
//! tower-lsp-server ends the session on the first message it cannot decode, so nothing reaches
//! it that it would fail to decode: every body is checked here with the same serde types its
//! codec uses ([`Incoming`]), and what fails is answered (or, for a notification, logged) here.
//!
//! - A header block that cannot be read (no or a bad `Content-Length`, not `Name: value` lines,
//!   longer than [`MAX_HEADER_BLOCK`]) gets one -32700 answer, and the input is skipped up to the
//!   next `Content-Length:`. Further broken bytes before the next good header block are skipped
//!   silently, so one broken stretch gets one answer.
//! - A `Content-Length` above the limit gets a -32600 answer, and the input is skipped (never
//!   buffered) up to the next `Content-Length:`, whether the length was genuine or garbage.
//! - A body that is not UTF-8 or not JSON gets -32700 with `"id":null`. When such a body holds a
//!   `Content-Length:` header (a too long `Content-Length` swallowed the next message), reading
//!   starts again there, so the swallowed messages are not lost.
//! - JSON that is not a JSON-RPC message gets -32600 with its id when it is a string or a
//!   number, else `null`; an invalid notification (no id) or response is only logged
//!   (`window/logMessage`), never answered.
//! - A lone surrogate escape (`\ud83d` without its low half, or a lone low half) is replaced by
//!   `\ufffd` before anything else, so the message goes on with U+FFFD in place.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc;

/// The largest body read: 64 MiB. A message carries at most a document's text and AWS caps a
/// state machine definition and a CloudFormation template body at 1 MB, so even a big YAML file
/// escaped as JSON (up to 6 bytes per character for `\uXXXX`) fits many times over; the limit
/// only bounds how much one message can make the server buffer.
pub(crate) const MAX_CONTENT_LENGTH: usize = 64 * 1024 * 1024;

/// The longest header block read (`Content-Length` and `Content-Type` need under 100 bytes).
pub(crate) const MAX_HEADER_BLOCK: usize = 8 * 1024;

const CONTENT_LENGTH: &[u8] = b"content-length:";

/// What the framing layer does with the bytes it has read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// A good message, framed for the server.
    Forward(Vec<u8>),
    /// An error answer or a log message, framed for the client.
    Reply(Vec<u8>),
}

/// The messages tower-lsp-server decodes (its own `Message` is private): a body forwarded must
/// deserialize as this, or the server would end the session.
#[derive(Deserialize)]
#[serde(untagged)]
enum Incoming {
    // Never read: only whether the body deserializes matters.
    Response(#[allow(dead_code)] jsonrpc::Response),
    Request(jsonrpc::Request),
}

#[derive(Debug)]
enum State {
    /// Reading a header block.
    Header,
    /// Reading a body of this many bytes.
    Body(usize),
    /// Skipping input up to the next `Content-Length:`.
    Skip,
}

/// Splits the client's byte stream into messages and answers what is broken.
#[derive(Debug)]
pub(crate) struct Decoder {
    buf: Vec<u8>,
    state: State,
    limit: usize,
    /// A broken stretch of input was answered; more broken bytes before the next good header
    /// block are skipped without another answer.
    recovering: bool,
}

impl Decoder {
    pub(crate) fn new(limit: usize) -> Decoder {
        Decoder {
            buf: Vec::new(),
            state: State::Header,
            limit,
            recovering: false,
        }
    }

    /// How many bytes are held (for the tests of the memory bound).
    #[cfg(test)]
    fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Takes the next bytes read from the client and returns what to do, in order.
    pub(crate) fn push(&mut self, bytes: &[u8]) -> Vec<Action> {
        self.buf.extend_from_slice(bytes);
        let mut actions = Vec::new();
        while let Some(step) = self.step() {
            match step {
                Step::Body(body) => self.check(body, &mut actions),
                Step::Reply(reply) => actions.push(Action::Reply(reply)),
            }
        }
        if matches!(self.state, State::Skip) {
            self.skip();
        }
        actions
    }

    /// One step of the state machine; `None` when more input is needed.
    fn step(&mut self) -> Option<Step> {
        loop {
            match self.state {
                State::Header => {
                    let blank = self
                        .buf
                        .iter()
                        .take_while(|b| b.is_ascii_whitespace())
                        .count();
                    self.buf.drain(..blank);
                    if self.buf.is_empty() {
                        return None;
                    }
                    let header = match scan_header(&self.buf) {
                        Header::Complete { len, .. } if len > MAX_HEADER_BLOCK => {
                            Header::Bad("the header block is too long", 0)
                        }
                        Header::Incomplete if self.buf.len() >= MAX_HEADER_BLOCK => {
                            Header::Bad("the header block is too long", 0)
                        }
                        header => header,
                    };
                    match header {
                        Header::Incomplete => return None,
                        Header::Bad(reason, at) => {
                            if let Some(reply) = self.broken(reason, at) {
                                return Some(reply);
                            }
                        }
                        Header::Complete {
                            len,
                            content_length,
                        } => {
                            self.buf.drain(..len);
                            self.recovering = false;
                            match usize::try_from(content_length) {
                                Ok(n) if n <= self.limit => self.state = State::Body(n),
                                _ => {
                                    self.state = State::Skip;
                                    self.recovering = true;
                                    let message = format!(
                                        "Invalid Request: the message is {content_length} bytes \
                                         long, above the server's limit of {} bytes; it was \
                                         skipped",
                                        self.limit
                                    );
                                    return Some(Step::Reply(error_frame(
                                        INVALID_REQUEST,
                                        &message,
                                        Value::Null,
                                    )));
                                }
                            }
                        }
                    }
                }
                State::Body(n) => {
                    if self.buf.len() < n {
                        return None;
                    }
                    let rest = self.buf.split_off(n);
                    let body = std::mem::replace(&mut self.buf, rest);
                    self.state = State::Header;
                    return Some(Step::Body(body));
                }
                State::Skip => match find_content_length(&self.buf) {
                    Some(at) => {
                        self.buf.drain(..at);
                        self.state = State::Header;
                    }
                    None => return None,
                },
            }
        }
    }

    /// The header block at the start of the buffer is broken at its line starting at `at`: skip
    /// to the next `Content-Length:` after that line's first byte (not after the whole block: a
    /// `Content-Length:` inside a JSON string is taken for a header, and the real header may be
    /// in what looks like its line), answering once per broken stretch.
    fn broken(&mut self, reason: &str, at: usize) -> Option<Step> {
        self.buf.drain(..self.buf.len().min(at + 1));
        self.state = State::Skip;
        if self.recovering {
            return None;
        }
        self.recovering = true;
        Some(Step::Reply(error_frame(
            PARSE_ERROR,
            &format!("Parse error: {reason}; the input was skipped up to the next header"),
            Value::Null,
        )))
    }

    /// While skipping, keep only what could be the start of a `Content-Length:`.
    fn skip(&mut self) {
        let keep = CONTENT_LENGTH.len() - 1;
        let drop = self.buf.len().saturating_sub(keep);
        self.buf.drain(..drop);
    }

    /// Checks one body: forwards it, or answers or logs why not.
    fn check(&mut self, body: Vec<u8>, actions: &mut Vec<Action>) {
        match check_body(body) {
            Verdict::Forward(text) => actions.push(Action::Forward(frame(text.as_bytes()))),
            Verdict::Answer(reply) => actions.push(Action::Reply(reply)),
            Verdict::Log(message) => actions.push(Action::Reply(log_frame(&message))),
            Verdict::NotJson { reply, body } => {
                actions.push(Action::Reply(reply));
                self.recovering = true;
                // A too long Content-Length swallows the messages after it: read them again.
                if let Some(at) = body.get(1..).and_then(find_content_length).map(|at| at + 1) {
                    let mut again = body.get(at..).unwrap_or_default().to_vec();
                    again.extend_from_slice(&self.buf);
                    self.buf = again;
                }
            }
        }
    }
}

enum Step {
    Body(Vec<u8>),
    Reply(Vec<u8>),
}

#[derive(Debug, PartialEq, Eq)]
enum Header {
    Incomplete,
    /// Why, and where the broken line starts.
    Bad(&'static str, usize),
    Complete {
        len: usize,
        content_length: u64,
    },
}

/// Reads the header block at the start of `buf`: `Name: value` lines ending with an empty line,
/// all CRLF. Only `Content-Length` is read (it is required, decimal, and a repeated one must
/// agree); other headers (`Content-Type`) are ignored, since every body is checked as UTF-8
/// JSON anyway. A value too big for `u64` reads as `u64::MAX` (above any limit).
fn scan_header(buf: &[u8]) -> Header {
    let mut pos = 0;
    let mut content_length = None;
    loop {
        let rest = buf.get(pos..).unwrap_or_default();
        let Some(end) = find(rest, b"\r\n") else {
            return match check_line(rest, true) {
                Ok(_) => Header::Incomplete,
                Err(reason) => Header::Bad(reason, pos),
            };
        };
        if end == 0 {
            return match content_length {
                Some(n) => Header::Complete {
                    len: pos + 2,
                    content_length: n,
                },
                None => Header::Bad("the header block has no Content-Length", 0),
            };
        }
        match check_line(rest.get(..end).unwrap_or_default(), false) {
            Err(reason) => return Header::Bad(reason, pos),
            Ok(None) => {}
            Ok(Some(n)) => {
                if content_length.is_some_and(|m| m != n) {
                    return Header::Bad("two different Content-Length headers", pos);
                }
                content_length = Some(n);
            }
        }
        pos += end + 2;
    }
}

/// Checks one header line (or, when `partial`, the start of one): the `Content-Length` it
/// holds, if any.
fn check_line(line: &[u8], partial: bool) -> Result<Option<u64>, &'static str> {
    if line.contains(&b'\n') {
        return Err("a header line ends without CRLF");
    }
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        if !line.iter().all(|&b| is_token(b) || (partial && b == b'\r')) || !partial {
            return Err("a header line is not `Name: value`");
        }
        return Ok(None);
    };
    let name = line.get(..colon).unwrap_or_default();
    if name.is_empty() || !name.iter().all(|&b| is_token(b)) {
        return Err("a header line is not `Name: value`");
    }
    if !name.eq_ignore_ascii_case(b"content-length") {
        return Ok(None);
    }
    let value = line.get(colon + 1..).unwrap_or_default();
    let value = value
        .strip_suffix(b"\r")
        .filter(|_| partial)
        .unwrap_or(value);
    let digits = value.trim_ascii();
    if !digits.iter().all(u8::is_ascii_digit) || (digits.is_empty() && !partial) {
        return Err("the Content-Length is not a number");
    }
    if partial {
        return Ok(None);
    }
    // All ASCII digits: only an overflow can fail.
    Ok(Some(
        std::str::from_utf8(digits)
            .ok()
            .and_then(|d| d.parse().ok())
            .unwrap_or(u64::MAX),
    ))
}

/// An HTTP token character (RFC 9110 `tchar`), what a header name is made of.
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Where the next `Content-Length:` (any case) starts.
fn find_content_length(haystack: &[u8]) -> Option<usize> {
    haystack
        .windows(CONTENT_LENGTH.len())
        .position(|w| w.eq_ignore_ascii_case(CONTENT_LENGTH))
}

/// Frames a body: `Content-Length: N\r\n\r\n` and the body.
pub(crate) fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;

fn error_frame(code: i64, message: &str, id: Value) -> Vec<u8> {
    let response = json!({
        "jsonrpc": "2.0",
        "error": { "code": code, "message": message },
        "id": id,
    });
    frame(response.to_string().as_bytes())
}

/// A `window/logMessage` warning.
fn log_frame(message: &str) -> Vec<u8> {
    let notification = json!({
        "jsonrpc": "2.0",
        "method": "window/logMessage",
        "params": { "type": 2, "message": format!("asl-lint: {message}") },
    });
    frame(notification.to_string().as_bytes())
}

#[derive(Debug)]
enum Verdict {
    /// A good message (surrogates repaired).
    Forward(String),
    /// An error answer.
    Answer(Vec<u8>),
    /// Logged, not answered (an invalid notification or response).
    Log(String),
    /// Not UTF-8 or not JSON: the -32700 answer, and the body to look for a swallowed message in.
    NotJson { reply: Vec<u8>, body: Vec<u8> },
}

fn check_body(body: Vec<u8>) -> Verdict {
    let text = match String::from_utf8(body) {
        Ok(text) => text,
        Err(e) => {
            let message = format!(
                "Parse error: the message is not UTF-8 (at byte {})",
                e.utf8_error().valid_up_to()
            );
            return Verdict::NotJson {
                reply: error_frame(PARSE_ERROR, &message, Value::Null),
                body: e.into_bytes(),
            };
        }
    };
    let text = match repair_lone_surrogates(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(repaired) => repaired,
    };
    // The usual case: one parse with the server's own types, and a request has a method.
    if let Ok(incoming) = serde_json::from_str::<Incoming>(&text)
        && !matches!(&incoming, Incoming::Request(r) if r.method().is_empty())
    {
        return Verdict::Forward(text);
    }
    let value = match serde_json::from_str::<Value>(&text) {
        Ok(value) => value,
        Err(e) => {
            return Verdict::NotJson {
                reply: error_frame(
                    PARSE_ERROR,
                    &format!("Parse error: the message is not JSON: {e}"),
                    Value::Null,
                ),
                body: text.into_bytes(),
            };
        }
    };
    match value {
        Value::Array(items) => batch(&items),
        Value::Object(_) => match invalid(&value) {
            Invalid::Answer { id, reason } => Verdict::Answer(error_frame(
                INVALID_REQUEST,
                &format!("Invalid Request: {reason}"),
                id,
            )),
            Invalid::Log(reason) => Verdict::Log(reason),
        },
        _ => Verdict::Answer(error_frame(
            INVALID_REQUEST,
            "Invalid Request: the message is not a JSON object",
            Value::Null,
        )),
    }
}

/// LSP has no batches: each request in one gets its -32600 (so that the client is not left
/// waiting), the rest is logged; a batch without a request (`[]` among them) gets one -32600
/// with `"id":null`.
fn batch(items: &[Value]) -> Verdict {
    const REASON: &str = "Invalid Request: batches are not supported by the Language Server \
                          Protocol";
    let mut replies = Vec::new();
    for item in items {
        if item.get("method").is_some()
            && let Some(id) = item.get("id").filter(|id| id.is_string() || id.is_number())
        {
            replies.extend(error_frame(INVALID_REQUEST, REASON, id.clone()));
        }
    }
    if replies.is_empty() {
        replies = error_frame(INVALID_REQUEST, REASON, Value::Null);
    }
    Verdict::Answer(replies)
}

enum Invalid {
    Answer { id: Value, reason: String },
    Log(String),
}

/// Why an object that the server cannot take is not a JSON-RPC message, and whether it is
/// answered: a response or a notification (no `id`) is only logged; a request is answered with
/// its id when that is a string or a number, else `null`.
fn invalid(message: &Value) -> Invalid {
    let method = message.get("method");
    let id = message.get("id");
    let is_response =
        method.is_none() && (message.get("result").is_some() || message.get("error").is_some());
    let reason = if message.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        "`jsonrpc` must be \"2.0\"".to_owned()
    } else if is_response {
        "the response is malformed".to_owned()
    } else if let Some(id) = id.filter(|id| !id.is_string() && !id.is_i64() && !id.is_null()) {
        format!("the id must be a string or an integer, not {id}")
    } else {
        match method {
            None => "the message has no `method`".to_owned(),
            Some(Value::String(m)) if m.is_empty() => "the `method` is empty".to_owned(),
            Some(Value::String(_)) => "the message does not match JSON-RPC".to_owned(),
            Some(other) => format!("the `method` must be a string, not {other}"),
        }
    };
    let shown = || {
        method
            .and_then(Value::as_str)
            .map_or_else(String::new, |m| format!(" `{m}`"))
    };
    match id {
        _ if is_response => Invalid::Log(format!("ignored a malformed response: {reason}")),
        None => Invalid::Log(format!(
            "ignored a malformed notification{}: {reason}",
            shown()
        )),
        Some(id) => Invalid::Answer {
            id: if id.is_string() || id.is_number() {
                id.clone()
            } else {
                Value::Null
            },
            reason,
        },
    }
}

/// Replaces each lone surrogate escape in JSON text by `\ufffd`: a `\uD800`-`\uDBFF` not
/// followed by a `\uDC00`-`\uDFFF`, and a `\uDC00`-`\uDFFF` not preceded by one. Escapes are read
/// left to right from each backslash, so an escaped backslash (`\\ud83d`) is not an escape.
/// Borrowed when there is nothing to replace.
pub(crate) fn repair_lone_surrogates(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while let Some(at) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\\'))
        .map(|p| p + i)
    {
        match unicode_escape(bytes, at) {
            Some(0xD800..=0xDBFF) => {
                if matches!(unicode_escape(bytes, at + 6), Some(0xDC00..=0xDFFF)) {
                    i = at + 12;
                } else {
                    out.push_str(text.get(copied..at).unwrap_or_default());
                    out.push_str("\\ufffd");
                    copied = at + 6;
                    i = at + 6;
                }
            }
            Some(0xDC00..=0xDFFF) => {
                out.push_str(text.get(copied..at).unwrap_or_default());
                out.push_str("\\ufffd");
                copied = at + 6;
                i = at + 6;
            }
            Some(_) => i = at + 6,
            // Another escape (`\\`, `\"`, `\n`, ...): skip the escaped character.
            None => i = at + 2,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    Cow::Owned(out)
}

/// The code unit of a `\uXXXX` escape starting at `at`.
fn unicode_escape(bytes: &[u8], at: usize) -> Option<u16> {
    if bytes.get(at) != Some(&b'\\') || bytes.get(at + 1) != Some(&b'u') {
        return None;
    }
    let hex = std::str::from_utf8(bytes.get(at + 2..at + 6)?).ok()?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(hex, 16).ok()
}

/// Splits the server's own output into whole frames, so that they never interleave with the
/// framing layer's answers on the one standard output.
#[derive(Debug, Default)]
pub(crate) struct ServerFrames {
    buf: Vec<u8>,
}

impl ServerFrames {
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next whole frame, header included. Should the server ever write something that is
    /// not a frame, it is passed on as it is rather than held back.
    pub(crate) fn next_frame(&mut self) -> Option<Vec<u8>> {
        let len = match scan_header(&self.buf) {
            Header::Incomplete => return None,
            Header::Bad(..) => self.buf.len(),
            Header::Complete {
                len,
                content_length,
            } => {
                let total = usize::try_from(content_length)
                    .ok()
                    .and_then(|n| n.checked_add(len))?;
                if self.buf.len() < total {
                    return None;
                }
                total
            }
        };
        if len == 0 {
            return None;
        }
        let rest = self.buf.split_off(len);
        Some(std::mem::replace(&mut self.buf, rest))
    }

    /// What is left when the server's output ends (nothing, unless it was cut).
    pub(crate) fn rest(self) -> Vec<u8> {
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame_str(body: &str) -> Vec<u8> {
        frame(body.as_bytes())
    }

    /// Runs `input` through a decoder (in one push, then byte by byte, which must agree) and
    /// describes the actions: `>` body forwarded, `<` answer or log sent.
    fn run(input: &[u8]) -> Vec<String> {
        run_with(input, MAX_CONTENT_LENGTH)
    }

    fn run_with(input: &[u8], limit: usize) -> Vec<String> {
        let mut whole = Decoder::new(limit);
        let once = describe(whole.push(input));
        let mut bytewise = Decoder::new(limit);
        let mut actions = Vec::new();
        for b in input {
            actions.extend(bytewise.push(std::slice::from_ref(b)));
        }
        assert_eq!(once, describe(actions), "one push and byte by byte differ");
        once
    }

    fn describe(actions: Vec<Action>) -> Vec<String> {
        actions
            .into_iter()
            .flat_map(|a| match a {
                Action::Forward(f) => vec![format!("> {}", body_of(&f))],
                Action::Reply(f) => split_frames(&f)
                    .into_iter()
                    .map(|b| format!("< {b}"))
                    .collect(),
            })
            .collect()
    }

    fn body_of(frame: &[u8]) -> String {
        let text = String::from_utf8(frame.to_vec()).unwrap();
        let (header, body) = text.split_once("\r\n\r\n").unwrap();
        assert_eq!(header, format!("Content-Length: {}", body.len()));
        body.to_owned()
    }

    fn split_frames(bytes: &[u8]) -> Vec<String> {
        let mut frames = ServerFrames::default();
        frames.push(bytes);
        let mut out = Vec::new();
        while let Some(f) = frames.next_frame() {
            out.push(body_of(&f));
        }
        assert!(frames.rest().is_empty());
        out
    }

    /// The code and id of an error answer, or the message of a log.
    fn short(line: &str) -> String {
        let (dir, body) = line.split_at(2);
        let v: Value = serde_json::from_str(body).unwrap();
        if dir == "> " {
            return format!("> {}", v["id"]);
        }
        match v.get("error") {
            Some(e) => format!("error {} id {}", e["code"], v["id"]),
            None => format!("log {}", v["params"]["message"].as_str().unwrap()),
        }
    }

    fn check(input: &[u8], expect: &[&str]) {
        let got: Vec<String> = run(input).iter().map(|l| short(l)).collect();
        assert_eq!(got, expect, "input: {:?}", String::from_utf8_lossy(input));
    }

    const GOOD: &str = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;

    fn then_good(bad: &[u8]) -> Vec<u8> {
        let mut input = bad.to_vec();
        input.extend(frame_str(GOOD));
        input
    }

    #[test]
    fn good_messages_pass_unchanged() {
        let notification = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let response = r#"{"jsonrpc":"2.0","id":0,"result":null}"#;
        let mut input = frame_str(GOOD);
        input.extend(
            format!(
                "Content-Length: {}\r\nContent-Type: application/vscode-jsonrpc; \
                 charset=utf-8\r\n\r\n{notification}",
                notification.len()
            )
            .as_bytes(),
        );
        input
            .extend(format!("content-length:   {}  \r\n\r\n{response}", response.len()).as_bytes());
        assert_eq!(
            run(&input),
            [
                format!("> {GOOD}"),
                format!("> {notification}"),
                format!("> {response}")
            ]
        );
    }

    #[test]
    fn bodies_that_are_not_json_get_parse_errors() {
        check(
            &then_good(&frame_str("hello")),
            &["error -32700 id null", "> 1"],
        );
        check(
            &then_good(&frame_str(r#"{"jsonrpc":"2.0","id":5,"met"}"#)),
            &["error -32700 id null", "> 1"],
        );
        check(
            &then_good(&frame(b"{\"a\":\"\xff\xfe\"}")),
            &["error -32700 id null", "> 1"],
        );
        check(
            &then_good(b"Content-Length: 0\r\n\r\n"),
            &["error -32700 id null", "> 1"],
        );
    }

    #[test]
    fn a_too_long_content_length_does_not_lose_the_next_message() {
        // 60 bytes announced, 22 sent: the body runs into the next message's header.
        let input = then_good(b"Content-Length: 60\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":");
        check(&input, &["error -32700 id null", "> 1"]);
    }

    #[test]
    fn a_too_short_content_length_gets_one_answer() {
        let input = then_good(format!("Content-Length: 10\r\n\r\n{GOOD}").as_bytes());
        check(&input, &["error -32700 id null", "> 1"]);
    }

    #[test]
    fn invalid_json_rpc_gets_invalid_request_with_the_id_when_it_can_be_read() {
        let cases: &[(&str, &str)] = &[
            (
                r#"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#,
                "error -32600 id null",
            ),
            (
                r#"{"jsonrpc":"2.0","id":[1],"method":"x"}"#,
                "error -32600 id null",
            ),
            (
                r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#,
                "error -32600 id 1.5",
            ),
            (
                r#"{"id":7,"method":"textDocument/hover"}"#,
                "error -32600 id 7",
            ),
            (
                r#"{"jsonrpc":"1.0","id":"s","method":"x"}"#,
                "error -32600 id \"s\"",
            ),
            (r#"{"jsonrpc":"2.0","id":3}"#, "error -32600 id 3"),
            (
                r#"{"jsonrpc":"2.0","id":3,"method":""}"#,
                "error -32600 id 3",
            ),
            (
                r#"{"jsonrpc":"2.0","id":3,"method":42}"#,
                "error -32600 id 3",
            ),
            (
                r#"{"jsonrpc":"2.0","id":3,"id":4,"method":"x"}"#,
                "error -32600 id 4",
            ),
            ("42", "error -32600 id null"),
            ("null", "error -32600 id null"),
            ("[]", "error -32600 id null"),
            (
                r#"[{"jsonrpc":"2.0","method":"initialized"}]"#,
                "error -32600 id null",
            ),
        ];
        for (body, expect) in cases {
            check(&then_good(&frame_str(body)), &[expect, "> 1"]);
        }
        check(
            &frame_str(
                r#"[{"jsonrpc":"2.0","id":8,"method":"a"},{"jsonrpc":"2.0","id":"9","method":"b"}]"#,
            ),
            &["error -32600 id 8", "error -32600 id \"9\""],
        );
    }

    #[test]
    fn invalid_notifications_and_responses_are_only_logged() {
        check(
            &then_good(&frame_str(
                r#"{"method":"textDocument/didSave","params":{}}"#,
            )),
            &[
                "log asl-lint: ignored a malformed notification `textDocument/didSave`: \
                 `jsonrpc` must be \"2.0\"",
                "> 1",
            ],
        );
        check(
            &frame_str(r#"{"jsonrpc":"2.0"}"#),
            &["log asl-lint: ignored a malformed notification: the message has no `method`"],
        );
        check(
            &frame_str(r#"{"jsonrpc":"2.0","id":4,"error":{"code":"x"}}"#),
            &["log asl-lint: ignored a malformed response: the response is malformed"],
        );
    }

    #[test]
    fn broken_headers_are_skipped_to_the_next_content_length() {
        for bad in [
            &b"Content-Length: abc\r\n\r\n{}"[..],
            b"Content-Length: 12abc\r\n\r\n{}",
            b"Content-Length:\r\n\r\n{}",
            b"Content-Type: application/json\r\n\r\n{}",
            b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            b"Content-Length: 2\n\n{}",
            b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\"}",
            b"garbage\r\nmore garbage\r\n\r\n",
            b"Content-Length: 5\r\nno colon here\r\n\r\nhello",
        ] {
            check(&then_good(bad), &["error -32700 id null", "> 1"]);
        }
        // Many broken blocks in a row: one answer.
        check(
            &then_good(
                b"Content-Length: x\r\n\r\nContent-Length: y\r\n\r\nContent-Type: z\r\n\r\n",
            ),
            &["error -32700 id null", "> 1"],
        );
        // Whitespace between messages is fine.
        let mut input = frame_str(GOOD);
        input.extend(b"\r\n\n ");
        check(&then_good(&input), &["> 1", "> 1"]);
    }

    #[test]
    fn a_header_block_that_never_ends_is_dropped() {
        let mut input = b"X-Long: ".to_vec();
        input.extend(std::iter::repeat_n(b'a', MAX_HEADER_BLOCK + 10));
        let mut decoder = Decoder::new(MAX_CONTENT_LENGTH);
        let actions = describe(decoder.push(&input));
        assert_eq!(actions.len(), 1);
        assert_eq!(short(&actions[0]), "error -32700 id null");
        assert!(decoder.buffered() < CONTENT_LENGTH.len());
        let actions = describe(decoder.push(&frame_str(GOOD)));
        assert_eq!(
            actions.iter().map(|a| short(a)).collect::<Vec<_>>(),
            ["> 1"]
        );
    }

    #[test]
    fn content_length_above_the_limit_is_refused_and_skipped_without_buffering() {
        check(
            &then_good(b"Content-Length: 99999999999\r\n\r\n{\"jsonrpc\""),
            &["error -32600 id null", "> 1"],
        );
        check(
            &then_good(b"Content-Length: 999999999999999999999999999\r\n\r\n"),
            &["error -32600 id null", "> 1"],
        );
        // A genuine body above the limit streams by: the decoder holds a few bytes of it at most.
        let limit = 1024;
        let mut decoder = Decoder::new(limit);
        let big = format!(
            r#"{{"jsonrpc":"2.0","method":"x","params":{{"text":"{}"}}}}"#,
            "a".repeat(100 * limit)
        );
        let input = frame_str(&big);
        let mut actions = Vec::new();
        let mut most = 0;
        for chunk in input.chunks(100) {
            actions.extend(decoder.push(chunk));
            most = most.max(decoder.buffered());
        }
        assert!(most < 200, "held {most} bytes");
        actions.extend(decoder.push(&frame_str(GOOD)));
        let got: Vec<String> = describe(actions).iter().map(|a| short(a)).collect();
        assert_eq!(got, ["error -32600 id null", "> 1"]);
        // At the limit is fine.
        let body = format!(
            r#"{{"jsonrpc":"2.0","method":"x","params":"{}"}}"#,
            "b".repeat(900)
        );
        let got: Vec<String> = run_with(&frame_str(&body), body.len())
            .iter()
            .map(|a| short(a))
            .collect();
        assert_eq!(got, ["> null"]);
        let got: Vec<String> = run_with(&frame_str(&body), body.len() - 1)
            .iter()
            .map(|a| short(a))
            .collect();
        assert_eq!(got, ["error -32600 id null"]);
    }

    #[test]
    fn lone_surrogates_are_replaced() {
        let cases = [
            (r#""\ud83d""#, r#""\ufffd""#),
            (r#""\uD83D""#, r#""\ufffd""#),
            (r#""\ude00""#, r#""\ufffd""#),
            (r#""a\ud83d b""#, r#""a\ufffd b""#),
            (r#""\ud83d\ud83d\ude00""#, r#""\ufffd\ud83d\ude00""#),
            (r#""\ude00\ud83d""#, r#""\ufffd\ufffd""#),
            (r#""\ud83d\u0041""#, r#""\ufffd\u0041""#),
            (r#""\\ud83d""#, r#""\\ud83d""#),
            (r#""\\\ud83d""#, r#""\\\ufffd""#),
            (r#""\"\ud83d""#, r#""\"\ufffd""#),
            (r#""é\ud83dé""#, r#""é\ufffdé""#),
            (r#""\ud83d"#, r#""\ufffd"#),
            (r#""\ud8"#, r#""\ud8"#),
            ("\"\\", "\"\\"),
        ];
        for (input, expect) in cases {
            assert_eq!(repair_lone_surrogates(input), expect, "{input}");
        }
        for untouched in [
            r#""\ud83d\ude00""#,
            r#""\uD83D\uDE00 \u00e9 \n""#,
            "plain",
            "",
        ] {
            assert!(matches!(
                repair_lone_surrogates(untouched),
                Cow::Borrowed(_)
            ));
        }
        // Repaired, the text is JSON, with U+FFFD where the half pair was.
        let v: Value =
            serde_json::from_str(&repair_lone_surrogates(r#"["\ud83d","\ud83d\ude00"]"#)).unwrap();
        assert_eq!(v, json!(["\u{FFFD}", "😀"]));
    }

    #[test]
    fn a_message_with_a_lone_surrogate_goes_on_repaired() {
        let body =
            r#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"text":"Go\ud83d"}}"#;
        let got = run(&frame_str(body));
        assert_eq!(got, [format!("> {}", body.replace(r"\ud83d", r"\ufffd"))]);
    }

    #[test]
    fn server_frames_are_split_whole() {
        let mut frames = ServerFrames::default();
        let mut out = frame_str(GOOD);
        out.extend(frame_str("{}"));
        let (a, b) = out.split_at(30);
        frames.push(a);
        assert_eq!(frames.next_frame(), None);
        frames.push(b);
        assert_eq!(frames.next_frame(), Some(frame_str(GOOD)));
        assert_eq!(frames.next_frame(), Some(frame_str("{}")));
        assert_eq!(frames.next_frame(), None);
        assert!(frames.rest().is_empty());
    }

    /// A no-panic sweep: streams of good messages cut, with bytes flipped, and with pieces of
    /// headers and escapes put in, read in chunks of every size. Nothing panics, every forward is
    /// a frame the server decodes, and every answer is a JSON-RPC error or a log.
    #[test]
    fn mangled_streams_never_panic_and_forward_only_what_the_server_decodes() {
        let messages = [
            GOOD.to_owned(),
            r#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///a","version":2},"contentChanges":[{"text":"{\"StartAt\":\"\ud83d\ude00\"}"}]}}"#.to_owned(),
            r#"{"jsonrpc":"2.0","id":"x","result":[null]}"#.to_owned(),
            format!(r#"{{"jsonrpc":"2.0","id":3,"method":"a","params":{{"t":"{}"}}}}"#, "Content-Length: 7\\r\\n".repeat(3)),
        ];
        let stream: Vec<u8> = messages.iter().flat_map(|m| frame_str(m)).collect();
        let pieces: [&[u8]; 8] = [
            b"\r\n\r\n",
            b"Content-Length: ",
            b"Content-Length: 9999999999999\r\n\r\n",
            br"\ud83d",
            br"\",
            b"\xff",
            b"[",
            b"\"id\":{}",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % n as u64).unwrap()
        };
        for _ in 0..3000 {
            let mut input = stream.clone();
            for _ in 0..1 + next(3) {
                let at = next(input.len());
                match next(4) {
                    0 => input.truncate(at),
                    1 => input[at] ^= 1 << next(8),
                    2 => {
                        let piece = pieces[next(pieces.len())];
                        input.splice(at..at, piece.iter().copied());
                    }
                    _ => {
                        let end = (at + next(40)).min(input.len());
                        input.drain(at..end);
                    }
                }
                if input.is_empty() {
                    break;
                }
            }
            let mut decoder = Decoder::new(2048);
            let chunk = 1 + next(70);
            let mut actions = Vec::new();
            for part in input.chunks(chunk) {
                actions.extend(decoder.push(part));
                assert!(decoder.buffered() <= 2048 + chunk + MAX_HEADER_BLOCK);
            }
            // The same, but for which reason a broken header line was found out.
            let shorts = |actions: Vec<Action>| -> Vec<String> {
                describe(actions).iter().map(|a| short(a)).collect()
            };
            let whole = Decoder::new(2048).push(&input);
            assert_eq!(
                shorts(actions.clone()),
                shorts(whole),
                "chunks of {chunk} and one push differ"
            );
            for action in actions {
                match action {
                    Action::Forward(f) => {
                        let body = body_of(&f);
                        assert!(
                            serde_json::from_str::<Incoming>(&body).is_ok(),
                            "forwarded what the server cannot decode: {body}"
                        );
                    }
                    Action::Reply(f) => {
                        for body in split_frames(&f) {
                            let v: Value = serde_json::from_str(&body).unwrap();
                            assert!(
                                v["error"]["code"].is_i64() || v["method"] == "window/logMessage",
                                "{v}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn header_lines() {
        assert_eq!(scan_header(b"Content-Len"), Header::Incomplete);
        assert_eq!(scan_header(b"Content-Length: 1"), Header::Incomplete);
        assert_eq!(scan_header(b"Content-Length: 12\r"), Header::Incomplete);
        assert_eq!(scan_header(b"Content-Length: 12\r\n\r"), Header::Incomplete);
        assert_eq!(
            scan_header(b"Content-Length: 12\r\n\r\n{"),
            Header::Complete {
                len: 22,
                content_length: 12
            }
        );
        assert!(matches!(
            scan_header(b"Content-Length: 1x"),
            Header::Bad(_, 0)
        ));
        assert!(matches!(scan_header(b"{\"json"), Header::Bad(_, 0)));
        assert!(matches!(
            scan_header(b"Content Length: 1"),
            Header::Bad(_, 0)
        ));
        assert!(matches!(
            scan_header(b"A: b\r\nContent-Length: 1x"),
            Header::Bad(_, 6)
        ));
    }
}
