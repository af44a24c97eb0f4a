//! Throughput and peak memory of lexing, parsing and formatting.
//!
//! `cargo bench --bench throughput` generates a messy 1 MB and 50 MB file
//! with `../shared/tools/genmif.py` and prints MB/s per stage and the peak
//! heap of `format_bytes` (the whole `mif fmt` pipeline for one file,
//! safety net included, which works one stretch of the component at a
//! time) and of `formats_unchanged` (the same for `mif fmt --check`) as a
//! multiple of the input size, beside the whole-document stages
//! `mif check` uses. Figures are recorded in docs/performance.md.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use mif::printer::{format, format_bytes, formats_unchanged, FormatOptions};
use mif::Document;

/// The system allocator, counting live and peak heap bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                + (new_size - layout.size());
            PEAK.fetch_max(live, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn generate(megabytes: &str) -> Vec<u8> {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/genmif.py");
    let output = Command::new("python3")
        .arg(&tool)
        .args([megabytes, "--messy"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", tool.display()));
    assert!(output.status.success(), "genmif.py failed");
    output.stdout
}

/// Nanoseconds this thread has run on a CPU (Linux), so a busy machine
/// does not distort the figures; `None` elsewhere.
fn cpu_nanos() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// MB/s of `bytes` over `runs` runs of `f`: (best wall-clock run, mean
/// CPU time per run; the scheduler's clock is too coarse for one short run).
fn throughput(bytes: usize, runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    let mut wall = f64::INFINITY;
    let cpu_started = cpu_nanos();
    for _ in 0..runs {
        let started = Instant::now();
        f();
        wall = wall.min(started.elapsed().as_secs_f64());
    }
    let cpu = match (cpu_started, cpu_nanos()) {
        (Some(a), Some(b)) => (b - a) as f64 / 1e9 / runs as f64,
        _ => f64::NAN,
    };
    let megabytes = bytes as f64 / (1024.0 * 1024.0);
    (megabytes / wall, megabytes / cpu)
}

fn show((wall, cpu): (f64, f64)) -> String {
    format!("{wall:.0} MB/s ({cpu:.0} MB/s of CPU time)")
}

/// Peak heap while running `f`, beyond what was live before, in bytes.
fn peak_heap(f: impl FnOnce()) -> usize {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    f();
    PEAK.load(Ordering::Relaxed) - before
}

fn measure(label: &str, bytes: &[u8], runs: usize) {
    let options = FormatOptions::default();
    let size = bytes.len();
    let text = mif::Source::decode(bytes).text;
    let doc = Document::parse(bytes);
    assert!(!doc.has_errors(), "generated file has errors");
    let tokens = doc.tokens.len();
    let lex = throughput(size, runs, || {
        std::hint::black_box(mif::lexer::lex(&text));
    });
    let parse = throughput(size, runs, || {
        std::hint::black_box(Document::parse(bytes));
    });
    let printed = throughput(size, runs, || {
        std::hint::black_box(format(&doc, &options).ok());
    });
    drop(doc);
    drop(text);
    let end_to_end = throughput(size, runs, || {
        std::hint::black_box(format_bytes(bytes, &options).ok());
    });
    let check = throughput(size, runs, || {
        std::hint::black_box(formats_unchanged(bytes, &options).ok());
    });
    let peak = peak_heap(|| {
        std::hint::black_box(format_bytes(bytes, &options).ok());
    });
    let check_peak = peak_heap(|| {
        std::hint::black_box(formats_unchanged(bytes, &options).ok());
    });
    let parse_peak = peak_heap(|| {
        std::hint::black_box(Document::parse(bytes));
    });
    let mb = |n: usize| n as f64 / (1024.0 * 1024.0);
    println!(
        "{label}: {:.1} MB, {tokens} tokens of {} bytes, tree items of {} bytes",
        mb(size),
        std::mem::size_of::<mif::lexer::Token>(),
        std::mem::size_of::<mif::syntax::Item>()
    );
    println!("  whole document, as `mif check` reads it:");
    println!("    lex                    {}", show(lex));
    println!("    decode+lex+parse       {}", show(parse));
    println!("    format (tree to text, verified)  {}", show(printed));
    println!("  `mif fmt`, one stretch at a time:");
    println!(
        "    format_bytes (decode, lex, parse, print, encode; safety net: read the output back token by token, parse it where line breaks moved) {}",
        show(end_to_end)
    );
    println!(
        "    formats_unchanged (the same, comparing the output with the input instead of keeping it, as `mif fmt --check` does) {}",
        show(check)
    );
    println!("  peak heap beyond the input: Document::parse {:.0} MB = {:.1}x input; format_bytes {:.0} MB = {:.1}x input; formats_unchanged {:.1} MB = {:.2}x input; whole-document token vector alone {:.1}x input",
        mb(parse_peak), parse_peak as f64 / size as f64,
        mb(peak), peak as f64 / size as f64,
        mb(check_peak), check_peak as f64 / size as f64,
        (tokens * std::mem::size_of::<mif::lexer::Token>()) as f64 / size as f64);
}

/// Inputs that a careless lexer or parser would take quadratic time on:
/// their MB/s should stay in the range of ordinary files.
fn measure_hostile() {
    let cut_strings = format!("\"a\n{}ID = 1\n", "\\\"a\n".repeat(200_000));
    let nested = format!("START COMPONENT\n{}", "START GROUP\n".repeat(200_000));
    let open_string = format!("START COMPONENT\nNAME = \"{}", "x".repeat(8 << 20));
    println!("hostile inputs, whole document:");
    for (label, text) in [
        ("200,000 strings cut before statements", &cut_strings),
        ("200,000 nested START GROUP", &nested),
        ("an 8 MB unterminated string", &open_string),
    ] {
        let parse = throughput(text.len(), 3, || {
            Document::parse(text.as_bytes());
        });
        println!("  {label:<40} decode+lex+parse {}", show(parse));
    }
}

fn main() {
    let small = generate("1");
    measure("1 MB messy", &small, 20);
    let large = generate("50");
    measure("50 MB messy", &large, 5);
    measure_hostile();
}
