// SPDX-License-Identifier: GPL-2.0

//! Output made in numbered chunks on several threads and written in
//! order, so that what is written does not depend on the scheduling.
//!
//! Each worker makes every `threads`-th chunk and hands it over through a
//! channel of its own that holds two chunks at most: the writer takes
//! chunk `c` from worker `c % threads`, and no worker runs more than a
//! few chunks ahead of it, whatever the total.

use std::sync::mpsc;
use std::sync::Mutex;

/// Threads used at most, whatever the cores: each holds a few chunks of
/// text and a copy of the interner, and the work splits in a few parts.
const MAX_THREADS: usize = 8;

/// How many threads to use: the cores the process may run on, up to
/// [`MAX_THREADS`].
pub(crate) fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| usize::from(n).min(MAX_THREADS))
}

/// Calls `make(c, buf)` for every chunk `c` below `chunks`, on up to
/// `threads` threads, each time with a cleared `buf`, and `write` with
/// each chunk's bytes in the order of `c`. With one thread (or one
/// chunk), all of it runs on the calling thread.
pub(crate) fn write_in_order<M, W>(threads: usize, chunks: usize, make: M, mut write: W)
where
    M: Fn(usize, &mut Vec<u8>) + Sync,
    W: FnMut(&[u8]),
{
    let threads = threads.clamp(1, chunks.max(1));
    if threads == 1 {
        let mut buf = Vec::new();
        for c in 0..chunks {
            buf.clear();
            make(c, &mut buf);
            write(&buf);
        }
        return;
    }
    // Written buffers go back to the workers: a chunk is a few hundred
    // KiB, and fresh ones would each be fresh pages.
    let spare: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        let mut from = Vec::with_capacity(threads);
        for t in 0..threads {
            let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(2);
            from.push(rx);
            let (make, spare) = (&make, &spare);
            s.spawn(move || {
                for c in (t..chunks).step_by(threads) {
                    let mut buf = spare
                        .lock()
                        .ok()
                        .and_then(|mut v| v.pop())
                        .unwrap_or_default();
                    buf.clear();
                    make(c, &mut buf);
                    if tx.send(buf).is_err() {
                        return; // the writer stopped
                    }
                }
            });
        }
        for c in 0..chunks {
            // A worker that panicked closes its channel; the scope then
            // passes the panic on.
            let Some(Ok(buf)) = from.get(c % threads).map(mpsc::Receiver::recv) else {
                break;
            };
            write(&buf);
            if let Ok(mut v) = spare.lock() {
                v.push(buf);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::write_in_order;

    fn run(threads: usize, chunks: usize) -> Vec<u8> {
        let mut out = Vec::new();
        write_in_order(
            threads,
            chunks,
            |c, buf| {
                // Uneven work, so that workers finish out of order.
                for i in 0..(c * 7919) % 1000 {
                    buf.extend_from_slice(format!("{c}.{i} ").as_bytes());
                }
                buf.push(b'\n');
            },
            |b| out.extend_from_slice(b),
        );
        out
    }

    #[test]
    fn order_does_not_depend_on_threads() {
        let one = run(1, 200);
        for threads in [2, 3, 8] {
            assert!(one == run(threads, 200), "{threads} threads");
        }
        assert!(run(4, 0).is_empty());
        assert_eq!(run(1, 1), run(4, 1));
    }
}
