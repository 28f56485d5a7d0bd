#ifndef CRETMPL_SYSTEM_H
#define CRETMPL_SYSTEM_H
/* Tiny shim for what Glibc's Swift module hides or makes awkward. */
#include <sys/types.h>

/* Creates a pipe with O_CLOEXEC set on both ends (pipe2). Returns 0 or -1 (errno). */
int cretmpl_pipe_cloexec(int fds[2]);

/* Caps glibc's malloc arenas (mallopt M_ARENA_MAX). Returns 1 on success. */
int cretmpl_limit_malloc_arenas(int count);

/* Bytes malloc has handed out and not had back (mallinfo2 uordblks); 0 where unknown. */
size_t cretmpl_malloc_in_use(void);

/* Returns free heap pages to the system (malloc_trim(0)). Returns 1 when memory was released. */
int cretmpl_malloc_trim(void);

#endif
