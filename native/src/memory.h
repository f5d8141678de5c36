#ifndef LW_MEMORY_H
#define LW_MEMORY_H
/* 0 when set, -1 when the allocator refused, -2 where the allocator is not glibc's. */
int lw_arena_max(int n);
/* 1 when memory went back to the kernel, 0 when none could, -2 where the allocator is not glibc's. */
int lw_trim(void);
#endif
