/* cli-info.c: `neurowire-cli info`: the network's nodes in execution order, with their
 * settings, output shapes and parameter counts. */
#include "cli-common.h"
#include "nw-i18n.h"
#include "cli-json.h"
#include "nw-node-kind.h"

#include <stdio.h>
#include <string.h>

static char *
settings_summary (NwNet *net, const NwNodeInfo *info)
{
  const NwNodeSpec *s = info->spec;
  GString *g = g_string_new (NULL);

  /* Each kind says what its settings are (core/layers/). */
  nw_node_kind_info (s->kind)->describe (s, g);
  if (!nw_net_is_chain (net) && info->n_inputs > 0)
    {
      g_string_append (g, g->len > 0 ? "; from " : "from ");
      for (int k = 0; k < info->n_inputs; k++)
        g_string_append_printf (g, "%s%s", k > 0 ? ", " : "",
                                nw_net_node (net, info->inputs[k])->spec->id);
    }
  return g_string_free (g, FALSE);
}

static gsize
node_params (const NwNodeInfo *info)
{
  return info->w_n + info->b_n;
}

/* What the trainer will need (nw_trainer_new checks the same against this computer's memory):
 * the batch or an evaluation chunk, whichever is larger, and the data, where its rows are
 * known (not for MNIST, whose shape info reads from one row). */
static void
estimate_memory (NwNet *net, const NwSpec *spec, const NwDataset *data, int batch,
                 NwMemoryEstimate *est)
{
  guint64 data_bytes = 0;
  nw_net_memory_estimate (net, 1, 0, est);
  if (spec->data.kind != NW_DATA_MNIST)
    data_bytes = ((guint64) data->train.n + (guint64) data->test.n)
                 * ((guint64) data->train.d + (guint64) data->train.k) * sizeof (float);
  nw_net_memory_estimate (net, MAX (batch, nw_memory_eval_rows (est->per_row)), data_bytes, est);
}

static void
print_json (NwNet *net, const NwSpec *spec, const NwDataset *data, gboolean fell_back, int batch)
{
  NwMemoryEstimate est;
  NwJsonWriter *w = nw_cli_json_new ("info");
  nw_json_string (w, "name", spec->name);
  nw_json_string (w, "data", data->name);
  nw_json_bool (w, "data_fallback", fell_back);
  nw_json_int (w, "input_width", nw_net_input_width (net));
  nw_json_int (w, "output_width", nw_net_output_width (net));
  nw_json_int (w, "batch", batch);
  nw_json_bool (w, "chain", nw_net_is_chain (net));
  nw_json_begin_array (w, "nodes");
  for (int i = 0; i < nw_net_n_nodes (net); i++)
    {
      const NwNodeInfo *info = nw_net_node (net, i);
      g_autofree char *settings = settings_summary (net, info);
      nw_json_begin_object (w, NULL);
      nw_json_string (w, "id", info->spec->id);
      nw_json_string (w, "kind", nw_node_kind_name (info->spec->kind));
      nw_json_int (w, "width", info->spec->kind == NW_NODE_LOSS ? 1 : info->width);
      nw_json_int (w, "params", (gint64) node_params (info));
      nw_json_string (w, "settings", settings);
      nw_json_begin_array (w, "inputs");
      for (int k = 0; k < info->n_inputs; k++)
        nw_json_string (w, NULL, nw_net_node (net, info->inputs[k])->spec->id);
      nw_json_end_array (w);
      nw_json_end_object (w);
    }
  nw_json_end_array (w);
  nw_json_int (w, "params", (gint64) nw_net_n_params (net));
  estimate_memory (net, spec, data, batch, &est);
  nw_json_begin_object (w, "memory");
  nw_json_int (w, "total_bytes", (gint64) est.total);
  nw_json_int (w, "params_bytes", (gint64) est.params);
  nw_json_int (w, "activation_rows", est.rows);
  nw_json_int (w, "activations_bytes", (gint64) est.activations);
  nw_json_int (w, "data_bytes", (gint64) est.data);
  nw_json_int (w, "physical_bytes", (gint64) MIN (nw_memory_physical (), (guint64) G_MAXINT64));
  nw_json_end_object (w);
  nw_cli_json_print (w);
}

static void
print_table (NwNet *net, const NwSpec *spec, const NwDataset *data, gboolean fell_back, int batch)
{
  int n = nw_net_n_nodes (net);
  const char *head[5] = { "#", "id", "kind", "output", "params" };
  int widths[5];
  g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

  /* The table's headings and columns stay as they are: ids, kinds and shapes are the spec's
   * words, and the columns are aligned by bytes. */
  if (nw_net_is_chain (net))
    /* Translators: "neurowire-cli info": the network's name and its number of nodes */
    printf (g_dngettext (GETTEXT_PACKAGE, "network: %s (a chain, %d node)\n",
                         "network: %s (a chain, %d nodes)\n", (gulong) n),
            spec->name != NULL ? spec->name : _("unnamed"), n);
  else
    printf (g_dngettext (GETTEXT_PACKAGE, "network: %s (a graph, %d node)\n",
                         "network: %s (a graph, %d nodes)\n", (gulong) n),
            spec->name != NULL ? spec->name : _("unnamed"), n);
  if (fell_back)
    printf (_("data:    %s files not found; assuming %d features and %d classes\n"), data->name,
            data->train.d, data->n_classes);
  else if (spec->data.kind == NW_DATA_MNIST)
    printf (_("data:    %s, %d features, %d classes\n"), data->name, data->train.d, data->n_classes);
  else
    printf (_("data:    %s, %d features, %d classes, %d training and %d test rows\n"), data->name,
            data->train.d, data->n_classes, data->train.n, data->test.n);
  printf ("\n");

  for (int c = 0; c < 5; c++)
    widths[c] = (int) strlen (head[c]);
  for (int i = 0; i < n; i++)
    {
      const NwNodeInfo *info = nw_net_node (net, i);
      char *row[5];
      row[0] = g_strdup_printf ("%d", i);
      row[1] = g_strdup (info->spec->id);
      row[2] = g_strdup (nw_node_kind_name (info->spec->kind));
      if (info->spec->kind == NW_NODE_LOSS)
        row[3] = g_strdup ("[1]");
      else if (batch > 0)
        row[3] = g_strdup_printf ("[%d, %d]", batch, info->width);
      else
        row[3] = g_strdup_printf ("[batch, %d]", info->width);
      row[4] = g_strdup_printf ("%" G_GSIZE_FORMAT, node_params (info));
      for (int c = 0; c < 5; c++)
        {
          widths[c] = MAX (widths[c], (int) strlen (row[c]));
          g_ptr_array_add (cells, row[c]);
        }
    }
  printf ("%*s  %-*s  %-*s  %-*s  %*s  %s\n", widths[0], head[0], widths[1], head[1], widths[2],
          head[2], widths[3], head[3], widths[4], head[4], "settings");
  for (int i = 0; i < n; i++)
    {
      char **row = (char **) &cells->pdata[5 * i];
      g_autofree char *settings = settings_summary (net, nw_net_node (net, i));
      printf ("%*s  %-*s  %-*s  %-*s  %*s  %s\n", widths[0], row[0], widths[1], row[1], widths[2],
              row[2], widths[3], row[3], widths[4], row[4], settings);
    }
  printf (_("\ntotal parameters: %zu\n"), nw_net_n_params (net));
  {
    NwMemoryEstimate est;
    g_autofree char *text = NULL, *have = g_format_size (nw_memory_physical ());
    estimate_memory (net, spec, data, batch, &est);
    text = nw_memory_describe (&est);
    /* Translators: the first %s is nw_memory_describe's "about 18.9 MB (...)", the second
     * the computer's memory ("25.3 GB") */
    printf (_("memory to train: %s, of this computer's %s\n"), text, have);
  }
}

int
nw_cli_info (const NwAppEnv *env, int argc, char **argv)
{
  NwCliCommon c = NW_CLI_COMMON_INIT (env, "info");
  const GOptionEntry entries[] = {
    NW_CLI_SPEC_ENTRY (c),
    NW_CLI_DATA_DIR_ENTRY (c),
    NW_CLI_JSON_ENTRY (c, N_("Print one JSON object")),
    { NULL }
  };
  g_autoptr (NwDataset) data = NULL;
  GError *error = NULL;
  gboolean fell_back = FALSE;
  int status = NW_CLI_EXIT_OK, target_width, batch;
  NwSpec *spec;

  if (!nw_cli_common_parse (&c,
                            _("Builds the network a spec describes (with the widths of the spec's data) and\n"
                              "lists its nodes in execution order: settings, output shape [batch, width] and\n"
                              "parameter count. Without the MNIST files, MNIST's shape is assumed."),
                            entries, argc, argv, NULL, NULL, &status))
    goto out;
  if (!nw_cli_common_load_spec (&c, &error))
    goto out;
  spec = c.spec;
  /* Only the shapes matter: one MNIST training row is enough. */
  if (spec->data.kind == NW_DATA_MNIST)
    spec->data.train_limit = 1;
  /* The data loader's own words ("kind 'csv' needs a path") do not say which file was read:
   * name the spec, and say that it names no CSV file. */
  if (spec->data.kind == NW_DATA_CSV && (spec->data.path == NULL || spec->data.path[0] == '\0'))
    {
      g_autofree char *base = g_path_get_basename (c.spec_path);
      g_set_error (&error, NW_ERROR, NW_ERROR_SPEC,
                   _("%s: the data is a CSV file, but the spec names none (give \"path\" in \"data\")"),
                   base);
      goto out;
    }
  if ((data = nw_cli_dataset_new (spec, TRUE, &fell_back, &error)) == NULL)
    goto out;
  target_width = nw_cli_spec_loss (spec) == NW_LOSS_SOFTMAX_XENT ? data->n_classes : data->train.k;
  if (!nw_cli_common_net (&c, data->train.d, target_width, data->n_classes, &error))
    goto out;
  /* Rows per training step; 0 where unknown (MNIST's full batch, counted without loading). */
  if (spec->data.kind == NW_DATA_MNIST)
    batch = MAX (spec->train.batch_size, 0);
  else
    batch = spec->train.batch_size > 0 ? MIN (spec->train.batch_size, data->train.n) : data->train.n;
  if (c.json)
    print_json (c.net, spec, data, fell_back, batch);
  else
    print_table (c.net, spec, data, fell_back, batch);
  goto out;

out:
  return nw_cli_common_finish (&c, error, status);
}
