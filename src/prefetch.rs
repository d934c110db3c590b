//! A hint to the CPU to start loading memory that is about to be read.
//!
//! The gazetteer's word table is two megabytes, larger than the caches, and
//! probed at random: a probe that waits for its slot from memory stalls the
//! thread. Asking for a document's slots while its tokens are first hashed
//! lets the loads overlap with that work. The hint changes no result.

/// Starts loading the cache line holding `value` into the caches, without
/// waiting for it (nothing on targets without the instruction).
#[inline(always)]
pub fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing architecturally and cannot fault;
    // the address is that of a live reference.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>((value as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
