//! A hint to the CPU to start loading memory that is about to be read.
//!
//! The model and gazetteer tables are a few megabytes, larger than the
//! caches, and looked up at random: a probe that waits for its slot from
//! memory stalls the thread. Asking for every slot of a feature list before
//! reading any lets the loads overlap. The hint changes no result.

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
