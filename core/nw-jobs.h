/* nw-jobs.h: a count of background work (data loads, trainers built off the main thread,
 * device choices and moves) shared by whoever must wait for it: a closing program waits for
 * 0 before it exits under its workers, and tests wait for 0 before they end. One counter per
 * program (or test), handed to its sessions; a job holds a reference, so the count outlives
 * the session or window that started it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _NwJobs NwJobs;

NwJobs *nw_jobs_new    (void);
NwJobs *nw_jobs_ref    (NwJobs *jobs);
void    nw_jobs_unref  (NwJobs *jobs);
/* Any thread. */
void    nw_jobs_begin  (NwJobs *jobs);
void    nw_jobs_end    (NwJobs *jobs);
guint   nw_jobs_get_n  (NwJobs *jobs);
/* Runs the thread-default main context until the count is 0 or `timeout_ms` passed; TRUE
 * when it is 0. For a program's shutdown and for tests. */
gboolean nw_jobs_wait  (NwJobs *jobs, int timeout_ms);

/* From any thread: runs `func (data)` once on `context` (NULL: the default main context), in
 * a later iteration, always: the way background work hands its result back. (Never
 * g_main_context_invoke, which runs it at once on the calling thread whenever no thread holds
 * the context, as between two iterations: GTK calls on a worker, an object finalized there.)
 * The hand-off is announced to ThreadSanitizer: `func` sees everything the calling thread did
 * before the call. */
void    nw_report_to_context (GMainContext *context, GSourceFunc func, gpointer data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwJobs, nw_jobs_unref)

G_END_DECLS
