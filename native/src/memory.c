/*
 * The C allocator's knobs a long-running server needs (glibc only; elsewhere the call reports -2).
 * lw_arena_max(n): at most n malloc arenas for the process. glibc gives threads up to 8 × cores arenas of their own
 * and keeps what each arena once held; a server whose threads come and go (mesh workers retired after a number of
 * tasks, search and commit threads, libuv's pool) grows its resident memory arena by arena.
 * lw_trim(): malloc_trim(0) — gives the free pages inside every arena back to the kernel; free() alone returns only
 * the top of the main heap, so memory a finished thread or a burst freed otherwise stays resident.
 */
#include "memory.h"

#include <stdlib.h> /* defines __GLIBC__ where the C library is glibc */

#if defined(__GLIBC__)
#include <malloc.h>

int lw_arena_max(int n) { return mallopt(M_ARENA_MAX, n) == 1 ? 0 : -1; }

int lw_trim(void) { return malloc_trim(0); }

#else
int lw_arena_max(int n) {
  (void)n;
  return -2;
}

int lw_trim(void) { return -2; }
#endif
