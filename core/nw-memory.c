/* nw-memory.c: the memory a network needs to train, before it is allocated (nw-memory.h). */
#include "nw-memory.h"
#include "nw-node-kind.h"
#include "nw-i18n.h"

#include <unistd.h>

/* Floats per parameter: params, grads, s1, s2 (nw_net_new) and the trainer's good, candidate
 * and ratio copies (nw_trainer_new). */
#define FLOATS_PER_PARAM 7
/* Floats per BatchNorm feature: running mean and variance (state), batch mean and inverse
 * std, their evaluation copies, and the frozen pair (nw_net_new). */
#define FLOATS_PER_NORM_FEATURE 8

static guint64
mul_sat (guint64 a, guint64 b)
{
  if (a != 0 && b > G_MAXUINT64 / a)
    return G_MAXUINT64;
  return a * b;
}

static guint64
add_sat (guint64 a, guint64 b)
{
  return b > G_MAXUINT64 - a ? G_MAXUINT64 : a + b;
}

static guint64
node_per_row (const NwNodeSpec *node, int width)
{
  guint64 floats;
  switch (node->kind)
    {
    case NW_NODE_LOSS:
      return 0;
    case NW_NODE_INPUT:
      floats = (guint64) width;                    /* no gradient */
      break;
    case NW_NODE_DROPOUT:
      floats = 3 * (guint64) width;                /* output, gradient, mask */
      break;
    case NW_NODE_LAYERNORM:
      floats = 2 * (guint64) width + 2;            /* and a mean and inverse std per row */
      break;
    default:
      floats = 2 * (guint64) width;
      break;
    }
  return floats * sizeof (float);
}

static guint64
node_params (const NwNodeSpec *node, int in_width, int width)
{
  const NwNodeKindInfo *info = nw_node_kind_info (node->kind);
  guint64 bytes = 0;
  if (info->count_params != NULL)
    {
      gint64 n = info->count_params (node, in_width, width);
      bytes = mul_sat ((guint64) MAX (n, 0), FLOATS_PER_PARAM * sizeof (float));
    }
  if (node->kind == NW_NODE_BATCHNORM)
    bytes = add_sat (bytes, (guint64) width * FLOATS_PER_NORM_FEATURE * sizeof (float));
  return bytes;
}

void
nw_memory_estimate (const NwSpec *spec, const int *widths, const int *in_widths, int rows,
                    guint64 data_bytes, NwMemoryEstimate *out)
{
  g_return_if_fail (spec != NULL && widths != NULL && in_widths != NULL && out != NULL);

  *out = (NwMemoryEstimate) { .rows = MAX (rows, 1), .data = data_bytes, .largest = -1 };
  for (guint i = 0; i < spec->nodes->len; i++)
    {
      const NwNodeSpec *node = g_ptr_array_index (spec->nodes, i);
      guint64 params = node_params (node, in_widths[i], widths[i]);
      guint64 per_row = node_per_row (node, widths[i]);
      guint64 mine = add_sat (params, mul_sat (per_row, (guint64) out->rows));
      out->params = add_sat (out->params, params);
      out->per_row = add_sat (out->per_row, per_row);
      if (out->largest < 0 || mine > out->largest_bytes)
        {
          out->largest = (int) i;
          out->largest_bytes = mine;
        }
    }
  out->activations = mul_sat (out->per_row, (guint64) out->rows);
  out->total = add_sat (add_sat (out->params, out->activations), out->data);
}

int
nw_memory_eval_rows (guint64 per_row)
{
  return (int) CLAMP (NW_MEMORY_EVAL_BUDGET / MAX (per_row, 1), 1, NW_MEMORY_EVAL_ROWS);
}

guint64
nw_memory_physical (void)
{
  long pages = sysconf (_SC_PHYS_PAGES);
  long page = sysconf (_SC_PAGESIZE);
  if (pages <= 0 || page <= 0)
    return G_MAXUINT64;
  return mul_sat ((guint64) pages, (guint64) page);
}

char *
nw_memory_describe (const NwMemoryEstimate *est)
{
  g_autofree char *total = g_format_size (est->total);
  g_autofree char *params = g_format_size (est->params);
  g_autofree char *acts = g_format_size (est->activations);
  g_autofree char *rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "activations for %d row %s",
                                                        "activations for %d rows %s", est->rows),
                                           est->rows, acts);
  if (est->data > 0)
    {
      g_autofree char *data = g_format_size (est->data);
      /* Translators: "about 56.3 kB (parameters and optimizer state 252 bytes, activations
       * for 1000 rows 56.0 kB, data 96 bytes)" */
      return g_strdup_printf (_("about %s (parameters and optimizer state %s, %s, data %s)"),
                              total, params, rows, data);
    }
  return g_strdup_printf (_("about %s (parameters and optimizer state %s, %s)"), total, params,
                          rows);
}

gboolean
nw_memory_check (const NwSpec *spec, const NwMemoryEstimate *est, guint64 limit, GError **error)
{
  const NwNodeSpec *node;
  g_autofree char *total = NULL, *mine = NULL, *have = NULL;

  if (est->total <= limit)
    return TRUE;
  g_return_val_if_fail (est->largest >= 0 && (guint) est->largest < spec->nodes->len, FALSE);
  node = g_ptr_array_index (spec->nodes, est->largest);
  total = g_format_size (est->total);
  mine = g_format_size (est->largest_bytes);
  have = g_format_size (limit);
  /* Translators: node 'dense2': training this network with batches of 32 rows needs about
   * 30.8 TB, 30.8 TB of it for this layer, more than this computer's 25.3 GB of memory */
  g_set_error (error, NW_ERROR, NW_ERROR_NO_MEMORY,
               g_dngettext (GETTEXT_PACKAGE,
                            "node '%s': training this network with batches of %d row needs about "
                            "%s, %s of it for this layer, more than this computer's %s of memory; "
                            "make the layer or the batch smaller",
                            "node '%s': training this network with batches of %d rows needs about "
                            "%s, %s of it for this layer, more than this computer's %s of memory; "
                            "make the layer or the batch smaller", est->rows),
               node->id, est->rows, total, mine, have);
  return FALSE;
}
