//! The global allocator: mimalloc, called through its plain entry points
//! whenever they give the alignment asked for.
//!
//! The stages make and drop many small strings and vectors per article on
//! every worker thread; mimalloc's per-thread free lists serve them at a
//! fraction of the system allocator's cost. The `mimalloc` crate's allocator
//! calls the aligned variants (`mi_malloc_aligned`, `mi_realloc_aligned`) for
//! every request, which check the alignment at each call and take a slower
//! path for blocks over 1 KiB (the line and text buffers); nearly every Rust
//! allocation asks for 8 bytes or less, which plain `mi_malloc` always gives.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys::{
    mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc, mi_zalloc_aligned,
};

/// mimalloc, with the plain entry points for alignments they guarantee.
pub struct MiMalloc;

/// Whether a block of `size` bytes from plain `mi_malloc` is aligned to
/// `align`. mimalloc on 64-bit targets rounds every block above one word to
/// a multiple of 16 bytes from a 16-byte aligned start (`MI_MAX_ALIGN_SIZE`);
/// an 8-byte block is only word aligned, hence `align <= size` (the rule the
/// standard library's `System` allocator applies to `malloc`).
#[inline]
fn plain_fits(align: usize, size: usize) -> bool {
    const PLAIN_ALIGN: usize = if cfg!(target_pointer_width = "64") { 16 } else { 8 };
    align <= PLAIN_ALIGN && align <= size
}

// SAFETY: every block comes from mimalloc with at least the alignment its
// layout asks for (plain entry points only where `plain_fits`), and every
// block, however allocated, is returned with `mi_free`/`mi_realloc*`, which
// accept any mimalloc block.
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's allocation functions have no preconditions.
        unsafe {
            if plain_fits(layout.align(), layout.size()) {
                mi_malloc(layout.size()).cast()
            } else {
                mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        unsafe {
            if plain_fits(layout.align(), layout.size()) {
                mi_zalloc(layout.size()).cast()
            } else {
                mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator, so by mimalloc.
        unsafe { mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by this allocator with `layout`; the
        // new block keeps its alignment.
        unsafe {
            if plain_fits(layout.align(), new_size) {
                mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every size class up to a few KiB, at every alignment up to 64, comes
    /// back aligned, zeroed when asked, and keeps its bytes over a realloc.
    #[test]
    fn blocks_are_aligned_and_keep_their_bytes() {
        let a = MiMalloc;
        for align in [1, 2, 4, 8, 16, 32, 64] {
            for size in (1..=4200).step_by(7) {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: non-zero sizes; each block is freed once, by `a`.
                unsafe {
                    let p = a.alloc_zeroed(layout);
                    assert_eq!(p as usize % align, 0, "size {size} align {align}");
                    assert!(std::slice::from_raw_parts(p, size).iter().all(|&b| b == 0));
                    p.write_bytes(0xA5, size);
                    let grown = size * 3 + 1;
                    let q = a.realloc(p, layout, grown);
                    assert_eq!(q as usize % align, 0, "realloc to {grown} align {align}");
                    assert!(std::slice::from_raw_parts(q, size).iter().all(|&b| b == 0xA5));
                    a.dealloc(q, Layout::from_size_align(grown, align).unwrap());
                    let r = a.alloc(layout);
                    assert_eq!(r as usize % align, 0);
                    a.dealloc(r, layout);
                }
            }
        }
    }
}
