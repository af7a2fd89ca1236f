/* nw-memory.h: how much memory a network needs to train, estimated before anything is
 * allocated, so that an absurd size (a million-unit layer fed by another) is refused with a
 * message naming the layer, instead of failing half-way through an allocation of terabytes.
 *
 * The figures follow what nw_net_new, nw_net_reserve and the trainer allocate:
 *   per parameter:  7 floats (the parameters, their gradients and two optimizer moments on
 *                   the backend; the last good, candidate and ratio copies on the host);
 *   per BatchNorm feature: 8 more (running, batch and frozen statistics);
 *   per row of a batch, per node: its output and its gradient (Dropout: and its mask).
 * The data (inputs and targets) is counted where it is known: by the trainer, not by
 * validation. */
#pragma once

#include "nw-spec.h"

G_BEGIN_DECLS

/* Evaluation runs in chunks of up to NW_MEMORY_EVAL_ROWS rows, and its activations take at
 * most NW_MEMORY_EVAL_BUDGET bytes whatever the batch: a wide network evaluates in fewer rows
 * at a time rather than in more memory. */
#define NW_MEMORY_EVAL_ROWS   1000
#define NW_MEMORY_EVAL_BUDGET (256u << 20)

typedef struct {
  guint64 params;           /* bytes for parameters, gradients, optimizer state, copies */
  guint64 per_row;          /* bytes of activations per row of a batch */
  int     rows;             /* the batch the activations are counted for */
  guint64 activations;      /* per_row * rows */
  guint64 data;             /* bytes of the data on the backend (0 when not known) */
  guint64 total;
  int     largest;          /* index into spec->nodes of the node that needs the most */
  guint64 largest_bytes;    /* its parameters and activations for `rows` rows */
} NwMemoryEstimate;

/* widths and in_widths are indexed like spec->nodes (from nw_spec_validate's checks). */
void     nw_memory_estimate (const NwSpec *spec, const int *widths, const int *in_widths,
                             int rows, guint64 data_bytes, NwMemoryEstimate *out);

/* The rows an evaluation chunk takes for a network of `per_row` activation bytes a row */
int      nw_memory_eval_rows (guint64 per_row);

/* The physical memory of this computer in bytes (G_MAXUINT64 when it cannot be told). */
guint64  nw_memory_physical (void);

/* FALSE (NW_ERROR_NO_MEMORY) when the estimate exceeds `limit` bytes; the message names
 * the node that needs the most, its share and the total. */
gboolean nw_memory_check    (const NwSpec *spec, const NwMemoryEstimate *est, guint64 limit,
                             GError **error);

/* "about 1.2 GB (parameters 84.0 MB, activations for 32 rows 1.1 GB, data 12.0 kB)" */
char    *nw_memory_describe (const NwMemoryEstimate *est);

G_END_DECLS
