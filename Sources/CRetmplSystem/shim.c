#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include "CRetmplSystem.h"

int cretmpl_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

#include <malloc.h>

int cretmpl_limit_malloc_arenas(int count) {
#ifdef M_ARENA_MAX
    return mallopt(M_ARENA_MAX, count);
#else
    (void)count;
    return 0;
#endif
}

size_t cretmpl_malloc_in_use(void) {
#if defined(__GLIBC__)
    return mallinfo2().uordblks;
#else
    return 0;
#endif
}

int cretmpl_malloc_trim(void) {
#if defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}
