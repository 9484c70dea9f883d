//! The pipes around tower-lsp-server: a task reads the client's bytes through the framing layer
//! ([`crate::framing`]) and writes the good messages into the server's input pipe; one writer
//! copies the server's output frames and the framing layer's answers to the client, a whole frame
//! at a time, so they never interleave.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, DuplexStream};
use tokio::sync::mpsc;

use crate::framing::{self, Action, Decoder, ServerFrames};

/// The size of the in-memory pipes to and from the server; a writer waits when one is full.
const PIPE: usize = 256 * 1024;
/// How much is read from the client or the server at once.
const CHUNK: usize = 64 * 1024;

/// Serves LSP over `input` and `output` (the client's framed byte streams) until the client
/// sends `exit` or `input` ends. Malformed messages are answered or logged, and the session goes
/// on.
pub async fn serve<I, O>(input: I, output: O)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin,
{
    let (service, socket) = crate::service();
    let (to_server, server_input) = tokio::io::duplex(PIPE);
    let (server_output, from_server) = tokio::io::duplex(PIPE);
    let (replies, replies_rx) = mpsc::channel(64);
    let reader = tokio::spawn(read_client(input, to_server, replies));
    let server = tower_lsp_server::Server::new(server_input, server_output, socket).serve(service);
    // The writer ends when the server's output does: after `exit`, or once the reader has ended
    // (the end of `input`) and the server has answered what it read.
    tokio::join!(server, write_client(from_server, replies_rx, output));
    // After `exit` the reader may still wait for input that never comes.
    reader.abort();
}

async fn read_client<I>(mut input: I, mut to_server: DuplexStream, replies: mpsc::Sender<Vec<u8>>)
where
    I: AsyncRead + Unpin,
{
    let mut decoder = Decoder::new(framing::MAX_CONTENT_LENGTH);
    let mut chunk = vec![0; CHUNK];
    loop {
        let n = match input.read(&mut chunk).await {
            Ok(0) => return,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // Input that cannot be read is the end of the session, like its end.
            Err(_) => return,
        };
        for action in decoder.push(chunk.get(..n).unwrap_or_default()) {
            let sent = match action {
                Action::Forward(frame) => to_server.write_all(&frame).await.is_ok(),
                Action::Reply(frame) => replies.send(frame).await.is_ok(),
            };
            if !sent {
                // The server or the writer is gone: the session is over.
                return;
            }
        }
    }
}

async fn write_client<O>(
    mut from_server: DuplexStream,
    mut replies: mpsc::Receiver<Vec<u8>>,
    mut output: O,
) where
    O: AsyncWrite + Unpin,
{
    let mut frames = ServerFrames::default();
    let mut chunk = vec![0; CHUNK];
    let mut replies_open = true;
    // Once the client's side is broken, the server's output is still read (and dropped), so that
    // the server never blocks on a full pipe and can end.
    let mut broken = false;
    loop {
        tokio::select! {
            // Answers first: an answer to a bad message is written before what the server says
            // after it.
            biased;
            reply = replies.recv(), if replies_open => match reply {
                Some(frame) => write(&mut output, &frame, &mut broken).await,
                None => replies_open = false,
            },
            read = from_server.read(&mut chunk) => {
                let n = match read {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                frames.push(chunk.get(..n).unwrap_or_default());
                while let Some(frame) = frames.next_frame() {
                    write(&mut output, &frame, &mut broken).await;
                }
            }
        }
    }
    while let Ok(frame) = replies.try_recv() {
        write(&mut output, &frame, &mut broken).await;
    }
    let rest = frames.rest();
    if !rest.is_empty() {
        write(&mut output, &rest, &mut broken).await;
    }
}

async fn write<O: AsyncWrite + Unpin>(output: &mut O, frame: &[u8], broken: &mut bool) {
    if *broken {
        return;
    }
    if output.write_all(frame).await.is_err() || output.flush().await.is_err() {
        *broken = true;
    }
}
