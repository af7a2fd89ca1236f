/* nw-session-params.c: parameters typed in by hand (a lesson's `weights` action), set on the
 * running trainer from its own thread, between two steps (nw_trainer_set_node_param). */
#include "nw-session-private.h"
#include "nw-i18n.h"

#include "nw-handoff.h"

typedef struct {
  char   *node;
  char   *which;
  float  *values;
  int     rows, cols;
} Param;

typedef struct {
  GWeakRef      session;
  GMainContext *context;
  guint         generation;
  GArray       *params;   /* Param */
  GError       *error;
  NwSessionParamsDone done;
  gpointer      done_data;
} ParamsJob;

static void
params_job_free (gpointer data)
{
  ParamsJob *job = data;
  NW_HANDOFF_ACQUIRE (job);
  for (guint i = 0; i < job->params->len; i++)
    {
      Param *p = &g_array_index (job->params, Param, i);
      g_free (p->node);
      g_free (p->which);
      g_free (p->values);
    }
  g_array_unref (job->params);
  g_weak_ref_clear (&job->session);
  g_main_context_unref (job->context);
  g_clear_error (&job->error);
  g_free (job);
}

static gboolean
params_report (gpointer data)
{
  ParamsJob *job = data;
  g_autoptr (NwSession) self = NULL;
  NW_HANDOFF_ACQUIRE (job);
  self = g_weak_ref_get (&job->session);
  if (self != NULL && self->generation == job->generation)
    {
      if (job->error != NULL)
        nw_session_message (self, _("Could not set the weights: %s"), job->error->message);
      else if (self->runner != NULL)
        nw_runner_request_snapshot (self->runner);   /* the views show the new weights */
    }
  else if (job->error == NULL)
    g_set_error_literal (&job->error, NW_ERROR, NW_ERROR_FAILED,
                         _("the network changed before the weights were set"));
  if (self != NULL && job->done != NULL)
    job->done (self, job->error, job->done_data);
  params_job_free (job);
  return G_SOURCE_REMOVE;
}

static void
params_on_runner (NwTrainer *trainer, gpointer data)
{
  ParamsJob *job = data;
  NW_HANDOFF_ACQUIRE (job);
  for (guint i = 0; i < job->params->len && job->error == NULL; i++)
    {
      Param *p = &g_array_index (job->params, Param, i);
      nw_trainer_set_node_param (trainer, p->node, p->which, p->values, p->rows, p->cols,
                                 &job->error);
    }
  NW_HANDOFF_RELEASE (job);
  nw_report_to_context (job->context, params_report, job);
}

/* The runner closed before it set them: reported as a failure. */
static void
params_job_dropped (gpointer data)
{
  ParamsJob *job = data;
  if (job->error == NULL)
    g_set_error_literal (&job->error, NW_ERROR, NW_ERROR_FAILED,
                         _("training stopped before the weights were set"));
  NW_HANDOFF_RELEASE (job);
  nw_report_to_context (job->context, params_report, job);
}

gboolean
nw_session_set_params (NwSession *self, const NwSessionParam *params, int n,
                       NwSessionParamsDone done, gpointer done_data, GError **error)
{
  ParamsJob *job;
  g_return_val_if_fail (NW_IS_SESSION (self) && (params != NULL || n == 0), FALSE);
  if (self->runner == NULL)
    {
      g_set_error_literal (error, NW_ERROR, NW_ERROR_FAILED,
                           _("there is no network that trains to set the weights of"));
      return FALSE;
    }
  job = g_new0 (ParamsJob, 1);
  g_weak_ref_init (&job->session, self);
  job->context = g_main_context_ref (self->context);
  job->generation = self->generation;
  job->params = g_array_new (FALSE, TRUE, sizeof (Param));
  job->done = done;
  job->done_data = done_data;
  for (int i = 0; i < n; i++)
    {
      Param p = {
        .node = g_strdup (params[i].node), .which = g_strdup (params[i].which),
        .values = g_memdup2 (params[i].values, sizeof (float) * params[i].rows * params[i].cols),
        .rows = params[i].rows, .cols = params[i].cols,
      };
      g_array_append_val (job->params, p);
    }
  NW_HANDOFF_RELEASE (job);
  nw_runner_call (self->runner, params_on_runner, job, params_job_dropped);
  return TRUE;
}
