/* nw-jobs.c: an atomic count in a reference-counted box; reports to a main context. */
#include "nw-jobs.h"

#include "nw-handoff.h"

struct _NwJobs {
  gint n;
};

NwJobs *
nw_jobs_new (void)
{
  return g_atomic_rc_box_new0 (NwJobs);
}

NwJobs *
nw_jobs_ref (NwJobs *jobs)
{
  return g_atomic_rc_box_acquire (jobs);
}

void
nw_jobs_unref (NwJobs *jobs)
{
  if (jobs != NULL)
    g_atomic_rc_box_release (jobs);
}

void
nw_jobs_begin (NwJobs *jobs)
{
  g_atomic_int_inc (&jobs->n);
}

void
nw_jobs_end (NwJobs *jobs)
{
  g_atomic_int_add (&jobs->n, -1);
}

guint
nw_jobs_get_n (NwJobs *jobs)
{
  return (guint) g_atomic_int_get (&jobs->n);
}

gboolean
nw_jobs_wait (NwJobs *jobs, int timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  GMainContext *context = g_main_context_ref_thread_default ();
  while (nw_jobs_get_n (jobs) > 0 && g_get_monotonic_time () < end)
    {
      /* A job may end on a worker without waking the context: poll, briefly. */
      if (!g_main_context_iteration (context, FALSE))
        g_usleep (1000);
    }
  g_main_context_unref (context);
  return nw_jobs_get_n (jobs) == 0;
}

typedef struct {
  GSourceFunc func;
  gpointer    data;
} Report;

/* On the receiving context. The idle source is a hand-off through GLib's futexes, which TSan
 * does not see: the report takes over from the sending thread here. */
static gboolean
report_dispatch (gpointer p)
{
  Report *r = p;
  NW_HANDOFF_ACQUIRE (r);
  return r->func (r->data);
}

void
nw_report_to_context (GMainContext *context, GSourceFunc func, gpointer data)
{
  GSource *idle = g_idle_source_new ();
  Report *r = g_new (Report, 1);
  r->func = func;
  r->data = data;
  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, report_dispatch, r, g_free);
  g_source_set_static_name (idle, "[neurowire] report");
  NW_HANDOFF_RELEASE (r);
  g_source_attach (idle, context);
  g_source_unref (idle);
}
