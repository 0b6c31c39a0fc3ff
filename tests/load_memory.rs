//! The memory a loaded JSON document keeps, counted by a global allocator: a spec's tree is most
//! of what `validate` and `diff` hold (#14: a 17 MB spec took ~800 MB).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use oaskit::load::parse::parse_document;

/// Counts the bytes currently allocated by this test binary.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator with the same layout; only a counter
// is updated besides.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes kept per one-key object of a document holding `OBJECTS` of them in a list.
fn kept_per_object(text: &str) -> usize {
    let before = LIVE.load(Ordering::Relaxed);
    let parsed = parse_document(text.as_bytes()).expect("a valid document");
    let kept = LIVE.load(Ordering::Relaxed) - before;
    drop(parsed);
    kept / OBJECTS
}

const OBJECTS: usize = 20_000;

/// Most objects of a spec have one or two keys (`{"$ref": …}`, `{"type": "string"}`): a
/// parsed object holds room for its entries only. serde_json's own deserializer left room for
/// three entries in each (512 bytes kept per one-key object in a list, 258
/// here). One test, so that no other test allocates while it counts.
#[test]
fn objects_keep_no_spare_room() {
    let items: Vec<String> = (0..OBJECTS)
        .map(|i| format!(r##"{{"$ref": "#/components/schemas/S{i}"}}"##))
        .collect();
    let text = format!(r#"{{"items": [{}]}}"#, items.join(", "));
    let json = kept_per_object(&text);
    let before = LIVE.load(Ordering::Relaxed);
    let theirs = serde_json::from_str::<serde_json::Value>(&text).expect("valid JSON");
    let serde_json = (LIVE.load(Ordering::Relaxed) - before) / OBJECTS;
    drop(theirs);
    eprintln!("JSON: {json} bytes kept per object, serde_json::from_str {serde_json}");
    assert!(json <= 320, "JSON: {json} bytes kept per object");
    assert!(
        serde_json > 320,
        "serde_json keeps {serde_json} bytes per object"
    );
}
