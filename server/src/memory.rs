//! Keeping resident memory small with glibc's allocator.
//!
//! glibc gives threads that allocate at the same time separate arenas (up
//! to eight per core) and seldom returns freed arena memory to the system.
//! An export builds a few megabytes per thousand participants on whichever
//! blocking-pool thread runs it, so without care every arena ends up
//! holding the high-water mark of some export, and the process keeps
//! hundreds of megabytes it no longer uses. Two arenas are plenty for a
//! server whose writes are serialised anyway, and trimming after a large
//! export hands its memory back at once. Elsewhere this does nothing.

/// Caps the number of malloc arenas; call before starting threads.
// The workspace denies unsafe code; these two glibc calls are the server's
// only foreign functions, each with its safety argument.
#[allow(unsafe_code)]
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; M_ARENA_MAX with a
    // positive value is documented as safe to set at any time.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Returns free heap memory to the system (after a large export).
#[allow(unsafe_code)]
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory that is already free.
    unsafe {
        libc::malloc_trim(0);
    }
}
