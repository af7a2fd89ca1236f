/* nw-handoff.h: hand-offs between threads, announced to ThreadSanitizer.
 *
 * GLib 2.74 synchronises GMutex, GCond, GAsyncQueue, GTask and main-context sources with raw
 * futexes, which TSan cannot see: memory a worker fills and the main thread then reads
 * (a GTask's data, a report sent through an idle source) would look racy. Under TSan the
 * code says where each hand-off happens, so that TSan checks everything else for real:
 * NW_HANDOFF_RELEASE (p) on the side that is done with `p`, NW_HANDOFF_ACQUIRE (p) on the side
 * that takes it over. Elsewhere both are nothing. Internal to core/. */
#pragma once

#ifdef __SANITIZE_THREAD__
#include <sanitizer/tsan_interface.h>
#define NW_HANDOFF_RELEASE(p) __tsan_release ((void *) (p))
#define NW_HANDOFF_ACQUIRE(p) __tsan_acquire ((void *) (p))
#else
#define NW_HANDOFF_RELEASE(p) ((void) (p))
#define NW_HANDOFF_ACQUIRE(p) ((void) (p))
#endif
