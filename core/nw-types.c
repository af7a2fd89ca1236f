/* nw-types.c: the names of core's enums, one table each, used by files and the CLI.
 * Activations and node kinds are named by their own tables (layers/activations.c,
 * layers/registry.c). */
#include "nw-types.h"

#include <string.h>

G_DEFINE_QUARK (nw-error-quark, nw_error)

static const char *const loss_names[NW_N_LOSSES] = {
  "bce", "bce_logits", "softmax_xent", "mse",
};
static const char *const init_names[NW_N_INITS] = {
  "torch_default", "zeros", "constant", "normal", "uniform",
  "xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "lecun_normal",
};
static const char *const optimizer_names[NW_N_OPTIMIZERS] = {
  "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw",
};

static const char *
name_of (const char *const *names, int n, int value)
{
  return value >= 0 && value < n ? names[value] : NULL;
}

static int
value_of (const char *const *names, int n, const char *name)
{
  if (name == NULL)
    return -1;
  for (int i = 0; i < n; i++)
    if (g_ascii_strcasecmp (names[i], name) == 0)
      return i;
  return -1;
}

#define NAME_PAIR(fn, type, table, n) \
  const char *nw_##fn##_name (type v) { return name_of (table, n, (int) v); } \
  int nw_##fn##_from_name (const char *s) { return value_of (table, n, s); }

NAME_PAIR (loss, NwLoss, loss_names, NW_N_LOSSES)
NAME_PAIR (init, NwInit, init_names, NW_N_INITS)
NAME_PAIR (optimizer, NwOptimizerKind, optimizer_names, NW_N_OPTIMIZERS)
