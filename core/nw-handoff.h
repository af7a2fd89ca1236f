/* nw-handoff.h: hand-offs between threads, announced to ThreadSanitizer.
 *
 * GLib 2.74 synchronises GMutex, GCond, GAsyncQueue, GTask and main-context sources with raw
 * futexes, which TSan cannot see: memory a worker fills and the main thread then reads
 * (a GTask's data, a report sent through an idle source) would look racy. Under TSan the
 * code says where each hand-off happens, so that TSan checks everything else for real:
 * NW_HANDOFF_RELEASE (p) on the side that is done with `p`, NW_HANDOFF_ACQUIRE (p) on the side
 * that takes it over. Elsewhere both are nothing. Internal to core/.
 *
 * NW_HANDOFF_HOLD (p) is NW_HANDOFF_ACQUIRE (p) now and NW_HANDOFF_RELEASE (p) when the
 * enclosing block is left, by whichever return. It is a declaration: write it after the
 * block's other declarations. It is for a GTask's callback (or _finish) on the main thread:
 * GLib frees the task's data where the last reference goes, which is the worker when the
 * worker lets go of the task after the callback has run, so the callback must hand the data
 * back as visibly as it took it (the data's free function starts with NW_HANDOFF_ACQUIRE). */
#pragma once

#ifdef __SANITIZE_THREAD__
#include <sanitizer/tsan_interface.h>
#define NW_HANDOFF_RELEASE(p) __tsan_release ((void *) (p))
#define NW_HANDOFF_ACQUIRE(p) __tsan_acquire ((void *) (p))

static inline void *
nw_handoff_hold (void *p)
{
  __tsan_acquire (p);
  return p;
}

static inline void
nw_handoff_let_go (void *held)
{
  __tsan_release (*(void **) held);
}

#define NW_HANDOFF_HOLD(p) \
  void *nw_handoff_held_ __attribute__ ((cleanup (nw_handoff_let_go), unused)) = \
    nw_handoff_hold ((void *) (p))
#else
#define NW_HANDOFF_RELEASE(p) ((void) (p))
#define NW_HANDOFF_ACQUIRE(p) ((void) (p))
#define NW_HANDOFF_HOLD(p) void *nw_handoff_held_ __attribute__ ((unused)) = (void *) (p)
#endif
